package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;

class AssertionTests {
    private final String leaf = Base64.getEncoder()
            .encodeToString(Certificates.der(
                    TestPki.provider("ZJHX").build().user("西子").issue().certificate()));
    private final String signature = Base64.getEncoder().encodeToString(new byte[] {0x30, 0x06, 2, 1, 1, 2, 1, 1});

    @Test
    void fromWireWhenWellFormedThenDecoded() throws Exception {
        Assertion assertion =
                Assertion.fromWire("RAW", "SM3withSM2", leaf, List.of(leaf), signature, "330400007180230SE");

        assertThat(assertion.format()).isEqualTo(Assertion.Format.RAW);
        assertThat(assertion.algorithm()).isEqualTo(SignatureAlgorithm.SM3_WITH_SM2);
        assertThat(assertion.chain()).hasSize(1);
        assertThat(assertion.tokenSerial()).isEqualTo("330400007180230SE");
    }

    @Test
    void fromWireWhenCmsWithoutCertificateThenAccepted() throws Exception {
        assertThat(Assertion.fromWire("CMS", "SHA256withRSA", null, null, signature, null)
                        .certificate())
                .isNull();
    }

    @Test
    void fromWireWhenCertificateOrChainNotBase64ThenCertMalformed() {
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", "***", List.of(), signature, null),
                Reason.CERT_MALFORMED);
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", leaf, List.of("***"), signature, null),
                Reason.CERT_MALFORMED);
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", null, List.of(), signature, null),
                Reason.CERT_MALFORMED);
        assertReason(
                () -> Assertion.fromWire(
                        "RAW",
                        "SHA256withECDSA",
                        leaf,
                        Collections.nCopies(Assertion.MAX_CHAIN + 1, leaf),
                        signature,
                        null),
                Reason.CERT_MALFORMED);
    }

    @Test
    void fromWireWhenSignatureFormatAlgorithmOrSerialUnusableThenSignatureInvalid() {
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", leaf, List.of(), "not base64!", null),
                Reason.SIGNATURE_INVALID);
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", leaf, List.of(), "", null),
                Reason.SIGNATURE_INVALID);
        assertReason(
                () -> Assertion.fromWire("PKCS7", "SHA256withECDSA", leaf, List.of(), signature, null),
                Reason.SIGNATURE_INVALID);
        assertReason(
                () -> Assertion.fromWire("RAW", "MD5withRSA", leaf, List.of(), signature, null),
                Reason.SIGNATURE_INVALID);
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", leaf, List.of(), signature, "line\nbreak"),
                Reason.SIGNATURE_INVALID);
        String huge = Base64.getEncoder().encodeToString(new byte[Assertion.MAX_RAW_SIGNATURE_BYTES + 1]);
        assertReason(
                () -> Assertion.fromWire("RAW", "SHA256withECDSA", leaf, List.of(), huge, null),
                Reason.SIGNATURE_INVALID);
    }
}
