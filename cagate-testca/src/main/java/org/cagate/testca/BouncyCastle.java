package org.cagate.testca;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one Bouncy Castle provider instance the test CA uses; registered once, never replaced. */
final class BouncyCastle {
    static final Provider PROVIDER = provider();

    private BouncyCastle() {}

    private static Provider provider() {
        Provider installed = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (installed != null) {
            return installed;
        }
        BouncyCastleProvider bc = new BouncyCastleProvider();
        Security.addProvider(bc);
        return bc;
    }
}
