package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.util.List;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;

class TrustAnchorsTests {
    private final TestCa ca = TestPki.provider("ZJHX").rsa().withIntermediate().build();

    @Test
    void fromPemWhenRootAndIntermediateThenSortedAndShownForTheOperator() throws Exception {
        TrustAnchors anchors = TrustAnchors.fromPem(
                Certificates.toPem(ca.intermediate().orElseThrow()) + Certificates.toPem(ca.root()));

        assertThat(anchors.roots()).containsExactly(ca.root());
        assertThat(anchors.intermediates()).containsExactly(ca.intermediate().orElseThrow());
        assertThat(anchors.entries()).hasSize(2);
        TrustAnchors.Entry root = anchors.entries().get(0);
        assertThat(root.root()).isTrue();
        assertThat(root.details().subject()).contains("ZJHX Test Root CA");
        assertThat(root.details().sha256()).isEqualTo(Certificates.sha256Hex(ca.root()));
        assertThat(root.details().notAfter()).isEqualTo(ca.root().getNotAfter().toInstant());
    }

    @Test
    void fingerprintWhenSameCertificatesInAnotherOrderThenEqual() throws Exception {
        TrustAnchors one = TrustAnchors.of(List.of(ca.root(), ca.intermediate().orElseThrow()));
        TrustAnchors two = TrustAnchors.of(List.of(ca.intermediate().orElseThrow(), ca.root(), ca.root()));

        assertThat(one.fingerprint()).isEqualTo(two.fingerprint());
        assertThat(one).isEqualTo(two);
        assertThat(TrustAnchors.of(List.of(ca.root())).fingerprint()).isNotEqualTo(one.fingerprint());
    }

    @Test
    void ofWhenUserCertificateThenCertMalformed() {
        assertReason(
                () -> TrustAnchors.of(List.of(ca.root(), ca.user("西子").issue().certificate())), Reason.CERT_MALFORMED);
    }

    @Test
    void ofWhenOnlyIntermediatesThenCertMalformed() {
        assertReason(() -> TrustAnchors.of(List.of(ca.intermediate().orElseThrow())), Reason.CERT_MALFORMED);
    }
}
