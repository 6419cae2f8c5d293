package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.revocation.RevocationStatus;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.Sign;
import org.cagate.testca.Credential;
import org.cagate.testca.CrlServer;
import org.cagate.testca.OcspResponder;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;

/**
 * The verifier against cagate-testca's own CRL server and OCSP responder, which the demo and the server's
 * tests use: what they publish must be what cagate-pki accepts.
 */
class TestCaServersTests {
    /** The test CA serves on 127.0.0.1, which certificate URLs may reach only when allowed explicitly. */
    private static final java.util.List<String> LOOPBACK = java.util.List.of("127.0.0.1");

    private static final byte[] CHALLENGE = Sign.challenge("SCCA");

    private final MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");
    private final AssertionVerifier verifier =
            new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom()));
    private final TestCa ca =
            TestPki.provider("SCCA").sm2().withIntermediate().clock(clock).build();

    private ProviderPolicy provider(RevocationPolicy revocation) throws PkiException {
        return new ProviderPolicy("SCCA", TrustAnchors.of(ca.caCertificates()), IdentityRule.SPKI_SHA256, revocation);
    }

    @Test
    void verifyWhenTestCaCrlServerListsTheCertificateThenCertRevoked() throws Exception {
        try (CrlServer crl = CrlServer.start(ca)) {
            Credential good = ca.user("好").crlDistributionPoint(crl.url()).issue();
            Credential bad = ca.user("坏").crlDistributionPoint(crl.url()).issue();
            ca.revoke(bad.certificate(), CRLReason.keyCompromise);
            ProviderPolicy provider = provider(RevocationPolicy.crl(false).withFetch(LOOPBACK, true));

            assertThat(verifier.verify(Sign.rawAssertion(good, CHALLENGE, List.of()), CHALLENGE, provider)
                            .revocation()
                            .outcome())
                    .isEqualTo(RevocationStatus.Outcome.GOOD_BY_CRL);
            assertReason(
                    () -> verifier.verify(Sign.rawAssertion(bad, CHALLENGE, List.of()), CHALLENGE, provider),
                    Reason.CERT_REVOKED);
        }
    }

    @Test
    void verifyWhenTestCaOcspResponderSignsDirectlyOrByDelegateThenItsAnswersAreAccepted() throws Exception {
        try (OcspResponder ocsp = OcspResponder.start(ca)) {
            Credential good = ca.user("好").ocspResponder(ocsp.url()).issue();
            Credential bad = ca.user("坏").ocspResponder(ocsp.url()).issue();
            ca.revoke(bad.certificate(), CRLReason.keyCompromise);
            ProviderPolicy provider =
                    provider(RevocationPolicy.ocsp(false, null).withFetch(LOOPBACK, true));

            assertThat(verifier.verify(Sign.rawAssertion(good, CHALLENGE, List.of()), CHALLENGE, provider)
                            .revocation()
                            .outcome())
                    .isEqualTo(RevocationStatus.Outcome.GOOD_BY_OCSP);
            ocsp.signByDelegate();
            assertReason(
                    () -> verifier.verify(Sign.rawAssertion(bad, CHALLENGE, List.of()), CHALLENGE, provider),
                    Reason.CERT_REVOKED);
        }
    }

    @Test
    void verifyWhenTestCaOcspResponderOmitsTheNonceThenRevocationUnavailable() throws Exception {
        try (OcspResponder ocsp = OcspResponder.start(ca)) {
            ocsp.echoNonce(false);
            Credential user = ca.user("西子").issue();
            ProviderPolicy provider = provider(RevocationPolicy.ocsp(false, URI.create(ocsp.url())));

            assertReason(
                    () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider),
                    Reason.REVOCATION_UNAVAILABLE);
        }
    }
}
