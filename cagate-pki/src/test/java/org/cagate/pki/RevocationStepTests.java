package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.revocation.RevocationStatus;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.RevocationServer;
import org.cagate.pki.testing.Sign;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Step 6 of {@link AssertionVerifier}: revocation by the provider's policy, against loopback servers. */
class RevocationStepTests {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final byte[] CHALLENGE = Sign.challenge("ZJHX");
    /** Nothing listens here: connections are refused at once. */
    private static final URI DEAD = URI.create("http://127.0.0.1:9/nothing");
    /** The test servers listen on 127.0.0.1: certificate URLs reach them only when allowed explicitly. */
    private static final List<String> LOOPBACK = List.of("127.0.0.1");

    private final MutableClock clock = new MutableClock(NOW);
    private final AssertionVerifier verifier =
            new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom()));
    private final TestCa ca =
            TestPki.provider("ZJHX").sm2().withIntermediate().clock(clock).build();
    private RevocationServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RevocationServer server(TestCa ca) throws Exception {
        server = RevocationServer.start(ca, clock);
        return server;
    }

    private ProviderPolicy provider(TestCa ca, RevocationPolicy revocation) throws PkiException {
        return new ProviderPolicy("ZJHX", TrustAnchors.of(ca.caCertificates()), IdentityRule.SPKI_SHA256, revocation);
    }

    private VerifiedAssertion verify(Credential user, ProviderPolicy provider) throws PkiException {
        return verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifyWhenCrlFromDistributionPointListsTheCertificateThenCertRevoked(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = TestPki.provider("ZJHX")
                .algorithm(algorithm)
                .withIntermediate()
                .clock(clock)
                .build();
        RevocationServer server = server(ca);
        Credential user =
                ca.user("吊销").crlDistributionPoint(server.crlUrl().toString()).issue();
        ca.revoke(user.certificate(), CRLReason.keyCompromise);

        assertReason(
                () -> verify(user, provider(ca, RevocationPolicy.crl(false).withFetch(LOOPBACK, true))),
                Reason.CERT_REVOKED);
    }

    @Test
    void verifyWhenConfiguredCrlDoesNotListTheCertificateThenGoodByCrl() throws Exception {
        RevocationServer server = server(ca);
        Credential user = ca.user("西子").issue();
        ca.revoke(ca.user("别人").issue().certificate(), CRLReason.keyCompromise);

        VerifiedAssertion verified = verify(user, provider(ca, RevocationPolicy.crl(false, server.crlUrl())));

        assertThat(verified.revocation().outcome()).isEqualTo(RevocationStatus.Outcome.GOOD_BY_CRL);
        assertThat(verified.revocation().source()).isEqualTo(server.crlUrl().toString());
    }

    @Test
    void verifyWhenOcspSaysRevokedThenCertRevoked() throws Exception {
        RevocationServer server = server(ca);
        Credential user =
                ca.user("吊销").ocspResponder(server.ocspUrl().toString()).issue();
        ca.revoke(user.certificate(), CRLReason.keyCompromise);

        assertReason(
                () -> verify(
                        user, provider(ca, RevocationPolicy.ocsp(false, null).withFetch(LOOPBACK, true))),
                Reason.CERT_REVOKED);
    }

    @Test
    void verifyWhenOcspSaysGoodThenGoodByOcsp() throws Exception {
        RevocationServer server = server(ca);
        Credential user = ca.user("西子").issue();

        VerifiedAssertion verified = verify(user, provider(ca, RevocationPolicy.ocsp(false, server.ocspUrl())));

        assertThat(verified.revocation().outcome()).isEqualTo(RevocationStatus.Outcome.GOOD_BY_OCSP);
    }

    @Test
    void verifyWhenCrlUnreachableAndFailClosedThenRevocationUnavailable() throws Exception {
        Credential user = ca.user("西子").crlDistributionPoint(DEAD.toString()).issue();

        assertReason(() -> verify(user, provider(ca, RevocationPolicy.crl(false))), Reason.REVOCATION_UNAVAILABLE);
    }

    @Test
    void verifyWhenCrlUnreachableAndFailOpenThenAcceptedAndSaysSo() throws Exception {
        Credential user = ca.user("西子").crlDistributionPoint(DEAD.toString()).issue();

        VerifiedAssertion verified = verify(user, provider(ca, RevocationPolicy.crl(true)));

        assertThat(verified.revocation().outcome()).isEqualTo(RevocationStatus.Outcome.UNAVAILABLE_ACCEPTED);
        assertThat(verified.revocation().detail()).contains(DEAD.toString());
    }

    @Test
    void verifyWhenOcspUnreachableAndFailClosedThenRevocationUnavailable() throws Exception {
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verify(user, provider(ca, RevocationPolicy.ocsp(false, DEAD))), Reason.REVOCATION_UNAVAILABLE);
    }

    @Test
    void verifyWhenOcspUnreachableAndFailOpenThenAccepted() throws Exception {
        Credential user = ca.user("西子").issue();

        VerifiedAssertion verified = verify(user, provider(ca, RevocationPolicy.ocsp(true, DEAD)));

        assertThat(verified.revocation().outcome()).isEqualTo(RevocationStatus.Outcome.UNAVAILABLE_ACCEPTED);
    }

    @Test
    void verifyWhenRevokedAndFailOpenThenStillCertRevoked() throws Exception {
        RevocationServer server = server(ca);
        Credential user = ca.user("吊销").issue();
        ca.revoke(user.certificate(), CRLReason.superseded);

        assertReason(
                () -> verify(user, provider(ca, RevocationPolicy.crl(true, server.crlUrl()))), Reason.CERT_REVOKED);
    }

    @Test
    void verifyWhenNoRevocationSourceAnywhereThenRevocationUnavailable() throws Exception {
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verify(user, provider(ca, RevocationPolicy.ocsp(false, null))), Reason.REVOCATION_UNAVAILABLE);
    }

    @Test
    void verifyWhenOcspThenCrlAndOcspDownThenCrlDecidesRevoked() throws Exception {
        RevocationServer server = server(ca);
        Credential user =
                ca.user("吊销").crlDistributionPoint(server.crlUrl().toString()).issue();
        ca.revoke(user.certificate(), CRLReason.keyCompromise);
        RevocationPolicy policy =
                new RevocationPolicy(RevocationPolicy.Mode.OCSP_THEN_CRL, false, List.of(), DEAD, LOOPBACK, true);

        assertReason(() -> verify(user, provider(ca, policy)), Reason.CERT_REVOKED);
        assertThat(server.crlRequests.get()).isEqualTo(1);
    }

    @Test
    void verifyWhenOcspThenCrlAndOcspUnknownThenCertUntrustedWithoutAskingTheCrl() throws Exception {
        // RFC 6960 2.2: "unknown" means the responder does not know the certificate, e.g. one made with a
        // stolen issuing key; the CRL of that CA cannot list it, so asking the CRL would bind it.
        RevocationServer server = server(ca);
        server.answerUnknown = true;
        Credential user = ca.user("西子").issue();
        RevocationPolicy policy = new RevocationPolicy(
                RevocationPolicy.Mode.OCSP_THEN_CRL, false, List.of(server.crlUrl()), server.ocspUrl());

        assertReason(() -> verify(user, provider(ca, policy)), Reason.CERT_UNTRUSTED);
        assertThat(server.ocspRequests.get()).isEqualTo(1);
        assertThat(server.crlRequests.get()).isZero();
    }

    @Test
    void verifyWhenOcspUnknownAndFailOpenThenStillCertUntrusted() throws Exception {
        RevocationServer server = server(ca);
        server.answerUnknown = true;
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verify(user, provider(ca, RevocationPolicy.ocsp(true, server.ocspUrl()))), Reason.CERT_UNTRUSTED);
    }

    @Test
    void verifyWhenOcspThenCrlAndOcspGoodThenNoCrlFetched() throws Exception {
        RevocationServer server = server(ca);
        Credential user = ca.user("西子").issue();
        RevocationPolicy policy = new RevocationPolicy(
                RevocationPolicy.Mode.OCSP_THEN_CRL, false, List.of(server.crlUrl()), server.ocspUrl());

        assertThat(verify(user, provider(ca, policy)).revocation().outcome())
                .isEqualTo(RevocationStatus.Outcome.GOOD_BY_OCSP);
        assertThat(server.crlRequests.get()).isZero();
    }

    @Test
    void verifyWhenWarmThenNeitherCrlNorOcspFetchedAgainUntilNextUpdate() throws Exception {
        RevocationServer server = server(ca);
        Credential crlUser = ca.user("甲").issue();
        Credential ocspUser = ca.user("乙").issue();
        ProviderPolicy byCrl = provider(ca, RevocationPolicy.crl(false, server.crlUrl()));
        ProviderPolicy byOcsp = provider(ca, RevocationPolicy.ocsp(false, server.ocspUrl()));
        for (int i = 0; i < 5; i++) {
            verify(crlUser, byCrl);
            verify(ocspUser, byOcsp);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(server.crlRequests.get()).isEqualTo(1);
        assertThat(server.ocspRequests.get()).isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        verify(crlUser, byCrl);
        verify(ocspUser, byOcsp);

        assertThat(server.crlRequests.get()).isEqualTo(2);
        assertThat(server.ocspRequests.get()).isEqualTo(2);
    }

    @Test
    void verifyWhenRevokedAfterAGoodCachedOcspAnswerThenRevokedOnceItExpires() throws Exception {
        RevocationServer server = server(ca);
        Credential user = ca.user("西子").issue();
        ProviderPolicy byOcsp = provider(ca, RevocationPolicy.ocsp(false, server.ocspUrl()));
        verify(user, byOcsp);
        ca.revoke(user.certificate(), CRLReason.keyCompromise);

        clock.advance(server.ocspValidity.plusSeconds(1));

        assertReason(() -> verify(user, byOcsp), Reason.CERT_REVOKED);
    }

    @Test
    void verifyWhenCrlOnlyInTheCertificateOnAHostNotAllowedThenNotFetchedAndRevocationUnavailable() throws Exception {
        RevocationServer server = server(ca);
        Credential user =
                ca.user("西子").crlDistributionPoint(server.crlUrl().toString()).issue();

        assertReason(() -> verify(user, provider(ca, RevocationPolicy.crl(false))), Reason.REVOCATION_UNAVAILABLE);
        assertThat(server.crlRequests.get()).isZero();
    }

    @Test
    void verifyWhenOcspOnlyInTheCertificateOnAHostNotAllowedThenNotFetchedEvenFailOpen() throws Exception {
        RevocationServer server = server(ca);
        Credential user =
                ca.user("西子").ocspResponder(server.ocspUrl().toString()).issue();

        VerifiedAssertion verified = verify(user, provider(ca, RevocationPolicy.ocsp(true, null)));

        assertThat(verified.revocation().outcome()).isEqualTo(RevocationStatus.Outcome.UNAVAILABLE_ACCEPTED);
        assertThat(verified.revocation().detail()).contains("not fetched");
        assertThat(server.ocspRequests.get()).isZero();
    }

    @Test
    void verifyWhenCertificateHostAllowedButLoopbackThenNotFetchedUnlessPrivateAddressesAllowed() throws Exception {
        RevocationServer server = server(ca);
        Credential user =
                ca.user("西子").crlDistributionPoint(server.crlUrl().toString()).issue();

        assertReason(
                () -> verify(user, provider(ca, RevocationPolicy.crl(false).withFetch(LOOPBACK, false))),
                Reason.REVOCATION_UNAVAILABLE);
        assertThat(server.crlRequests.get()).isZero();
        assertThat(verify(user, provider(ca, RevocationPolicy.crl(false).withFetch(LOOPBACK, true)))
                        .revocation()
                        .outcome())
                .isEqualTo(RevocationStatus.Outcome.GOOD_BY_CRL);
        assertThat(server.crlRequests.get()).isEqualTo(1);
    }

    @Test
    void verifyWhenCertificateUrlOnTheServerOfAConfiguredUrlThenFetched() throws Exception {
        RevocationServer server = server(ca);
        Credential user =
                ca.user("西子").ocspResponder(server.ocspUrl().toString()).issue();
        RevocationPolicy policy =
                new RevocationPolicy(RevocationPolicy.Mode.OCSP_THEN_CRL, false, List.of(server.crlUrl()), null);

        assertThat(verify(user, provider(ca, policy)).revocation().outcome())
                .isEqualTo(RevocationStatus.Outcome.GOOD_BY_OCSP);
    }

    @Test
    void verifyWhenAllowedHostResolvesToAPrivateAddressThenNotFetched() throws Exception {
        List<org.cagate.pki.revocation.RevocationFetch> seen = new java.util.ArrayList<>();
        RevocationChecker checker = new RevocationChecker(
                new org.cagate.pki.revocation.CrlSource(
                        org.cagate.pki.revocation.HttpFetcher.create(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                        clock),
                new org.cagate.pki.revocation.OcspClient(
                        org.cagate.pki.revocation.HttpFetcher.create(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                        clock,
                        new SecureRandom()),
                seen::add,
                host -> new java.net.InetAddress[] {java.net.InetAddress.getByAddress(host, new byte[] {10, 0, 0, 5})});
        AssertionVerifier verifier = new AssertionVerifier(clock, checker);
        Credential user = ca.user("西子")
                .crlDistributionPoint("http://crl.ca.example.cn/zjhx.crl")
                .issue();
        RevocationPolicy policy = RevocationPolicy.crl(false).withFetch(List.of("*.ca.example.cn"), false);

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, policy)),
                Reason.REVOCATION_UNAVAILABLE);
        assertThat(seen).singleElement().satisfies(fetch -> {
            assertThat(fetch.outcome()).isEqualTo(org.cagate.pki.revocation.RevocationFetch.Outcome.NOT_ALLOWED);
            assertThat(fetch.fromCertificate()).isTrue();
            assertThat(fetch.detail()).contains("10.0.0.5");
        });
    }
}
