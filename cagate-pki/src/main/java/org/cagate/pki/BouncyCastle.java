package org.cagate.pki;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider cagate-pki parses and verifies with. The JDK cannot parse SM2 keys and its
 * P-256 verification is about 14x slower than BC's, so every EC and SM2 operation names this provider
 * explicitly. Registered once when absent; a provider someone else registered is used, never replaced.
 */
public final class BouncyCastle {
    private static final Provider PROVIDER = install();

    private BouncyCastle() {}

    public static Provider provider() {
        return PROVIDER;
    }

    private static synchronized Provider install() {
        Provider installed = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (installed != null) {
            return installed;
        }
        BouncyCastleProvider bc = new BouncyCastleProvider();
        Security.addProvider(bc);
        return bc;
    }
}
