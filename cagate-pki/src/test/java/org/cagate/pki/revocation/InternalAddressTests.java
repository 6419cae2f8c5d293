package org.cagate.pki.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a certificate's revocation URL may not reach unless the provider allows it. */
class InternalAddressTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "::"
            })
    void internalWhenLoopbackLinkLocalPrivateOrSpecialThenTrue(String literal) throws Exception {
        assertThat(RevocationChecker.internal(InetAddress.getByName(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.7", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2001:db8::1", "2400:3200::1"})
    void internalWhenPublicThenFalse(String literal) throws Exception {
        assertThat(RevocationChecker.internal(InetAddress.getByName(literal))).isFalse();
    }
}
