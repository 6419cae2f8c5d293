package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificatesTests {
    private final TestCa ca = TestPki.provider("ZJHX").sm2().withIntermediate().build();
    private final X509Certificate leaf = ca.user("西子").issue().certificate();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void parseWhenDerOfAnyAlgorithmThenSameCertificate(KeyAlgorithm algorithm) throws Exception {
        X509Certificate certificate = TestPki.provider("X")
                .algorithm(algorithm)
                .build()
                .user("用户")
                .issue()
                .certificate();

        assertThat(Certificates.parse(certificate.getEncoded())).isEqualTo(certificate);
    }

    @Test
    void parseWhenPemThenSameCertificate() throws Exception {
        byte[] pem = ("\n" + Certificates.toPem(leaf)).getBytes(StandardCharsets.US_ASCII);

        assertThat(Certificates.parse(pem)).isEqualTo(leaf);
    }

    @Test
    void parseBase64WhenWireFieldThenSameCertificate() throws Exception {
        assertThat(Certificates.parseBase64(Base64.getEncoder().encodeToString(leaf.getEncoded())))
                .isEqualTo(leaf);
    }

    @Test
    void parsePemBundleWhenTextAroundBlocksThenEveryCertificateInOrder() throws Exception {
        String bundle = "# 浙江汇信CA\n" + Certificates.toPem(ca.root()) + "intermediate:\n"
                + Certificates.toPem(ca.intermediate().orElseThrow());

        assertThat(Certificates.parsePemBundle(bundle))
                .containsExactly(ca.root(), ca.intermediate().orElseThrow());
    }

    @Test
    void sha256HexWhenCertificateThenDigestOfDer() throws Exception {
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));

        assertThat(Certificates.sha256Hex(leaf)).isEqualTo(expected).hasSize(64);
    }

    @Test
    void parseWhenTruncatedThenCertMalformed() throws Exception {
        byte[] der = leaf.getEncoded();

        assertReason(() -> Certificates.parse(Arrays.copyOf(der, der.length - 1)), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parse(Arrays.copyOf(der, 10)), Reason.CERT_MALFORMED);
    }

    @Test
    void parseWhenTrailingBytesThenCertMalformed() throws Exception {
        byte[] der = leaf.getEncoded();

        assertReason(() -> Certificates.parse(Arrays.copyOf(der, der.length + 1)), Reason.CERT_MALFORMED);
    }

    @Test
    void parseWhenHugeThenCertMalformedWithoutReadingIt() {
        byte[] huge = new byte[Certificates.MAX_CERTIFICATE_BYTES + 1];
        huge[0] = 0x30;

        assertReason(() -> Certificates.parse(huge), Reason.CERT_MALFORMED);
    }

    @Test
    void parseWhenLengthClaimsFarMoreThanGivenThenCertMalformed() {
        // SEQUENCE with a 4-byte length of 2 GiB, then nothing.
        byte[] lying = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x00};

        assertReason(() -> Certificates.parse(lying), Reason.CERT_MALFORMED);
    }

    @Test
    void parseWhenGarbageOrEmptyThenCertMalformed() {
        assertReason(() -> Certificates.parse(new byte[0]), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parse(null), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parse("hello".getBytes()), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parse(new byte[] {0x30, 0x00}), Reason.CERT_MALFORMED);
    }

    @Test
    void parseWhenTwoPemBlocksThenCertMalformed() {
        byte[] two = (Certificates.toPem(leaf) + Certificates.toPem(ca.root())).getBytes(StandardCharsets.US_ASCII);

        assertReason(() -> Certificates.parse(two), Reason.CERT_MALFORMED);
    }

    @Test
    void parseWhenPemBodyNotBase64ThenCertMalformed() {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB*not*base64\n-----END CERTIFICATE-----\n";

        assertReason(() -> Certificates.parse(pem.getBytes(StandardCharsets.US_ASCII)), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parsePemBundle("no certificates here"), Reason.CERT_MALFORMED);
    }

    @Test
    void parseBase64WhenNotBase64ThenCertMalformed() {
        assertReason(() -> Certificates.parseBase64("%%%"), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parseBase64(""), Reason.CERT_MALFORMED);
        assertReason(() -> Certificates.parseBase64("AAAA"), Reason.CERT_MALFORMED);
    }
}
