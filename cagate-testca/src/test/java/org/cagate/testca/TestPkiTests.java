package org.cagate.testca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestPkiTests {

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void issueWhenAnyAlgorithmThenLeafVerifiesUnderIssuerWithChineseNames(KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider("ZJHX").algorithm(algorithm).withIntermediate().build();

        Credential xizi = ca.user("西子").organization("培训省西子贸易集团").issue();

        X509Certificate leaf = xizi.certificate();
        leaf.verify(ca.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
        ca.issuerCertificate().verify(ca.root().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("西子").contains("培训省西子贸易集团");
        assertThat(xizi.fullChain()).hasSize(3).endsWith(ca.root());
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    }

    @Test
    void validForWhenNegativeThenExpiredCertificate() {
        TestCa ca = TestPki.provider("SCCA").build();

        X509Certificate leaf =
                ca.user("过期").validFor(Duration.ofDays(-1)).issue().certificate();

        assertThat(leaf.getNotAfter().toInstant()).isBefore(Instant.now());
    }

    @Test
    void toPkcs12WhenSm2ThenReadableWithKeyAndChain() throws Exception {
        TestCa ca = TestPki.provider("SM2CA").sm2().build();
        Credential credential = ca.user("国密用户").issue();

        KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        store.load(
                new ByteArrayInputStream(credential.toPkcs12("key", "123456".toCharArray())), "123456".toCharArray());

        assertThat(store.getKey("key", "123456".toCharArray())).isNotNull();
        assertThat(store.getCertificateChain("key")).hasSize(2);
    }

    @Test
    void crlWhenRevokedThenListsTheSerial() throws Exception {
        TestCa ca = TestPki.provider("CFCA").rsa().build();
        X509Certificate leaf = ca.user("张三").issue().certificate();

        ca.revoke(leaf, CRLReason.keyCompromise);
        var crl = ca.crl(Instant.now(), Instant.now().plus(Duration.ofHours(1)));

        crl.verify(ca.root().getPublicKey(), Security.getProvider("BC"));
        assertThat(crl.isRevoked(leaf)).isTrue();
    }
}
