package org.cagate.pki.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.revocation.CrlSourceTests.assertUnavailable;

import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.RevocationServer;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OcspClientTests {
    private final MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");
    private final TestCa ca =
            TestPki.provider("CFCA").rsa().withIntermediate().clock(clock).build();
    private final OcspClient ocsp =
            new OcspClient(HttpFetcher.create(Duration.ofSeconds(2), Duration.ofSeconds(2)), clock, new SecureRandom());
    private final Credential user = ca.user("张三").issue();
    private RevocationServer server;

    @BeforeEach
    void start() throws Exception {
        server = RevocationServer.start(ca, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OcspAnswer ask() throws Exception {
        return ocsp.status(user.certificate(), ca.issuerCertificate(), server.ocspUrl());
    }

    @Test
    void statusWhenSignedByTheIssuerThenGood() throws Exception {
        OcspAnswer answer = ask();

        assertThat(answer.status()).isEqualTo(OcspAnswer.Status.GOOD);
        assertThat(answer.nextUpdate()).isEqualTo(clock.instant().plus(server.ocspValidity));
    }

    @Test
    void statusWhenRevokedThenRevokedWithTimeAndReason() throws Exception {
        ca.revoke(user.certificate(), CRLReason.affiliationChanged);

        OcspAnswer answer = ask();

        assertThat(answer.status()).isEqualTo(OcspAnswer.Status.REVOKED);
        assertThat(answer.reason()).isEqualTo(CRLReason.affiliationChanged);
        assertThat(answer.revokedAt()).isEqualTo(clock.instant());
    }

    @Test
    void statusWhenDelegatedResponderWithOcspSigningThenGood() throws Exception {
        Credential responder = ca.user("OCSP Responder")
                .extension(Extension.extendedKeyUsage.getId(), new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning))
                .issue();
        server.responderCertificate = responder.certificate();
        server.responderKey = responder.keyPair().getPrivate();

        assertThat(ask().status()).isEqualTo(OcspAnswer.Status.GOOD);
    }

    @Test
    void statusWhenDelegatedResponderLacksOcspSigningThenRevocationUnavailable() {
        Credential responder = ca.user("Not A Responder").issue();
        server.responderCertificate = responder.certificate();
        server.responderKey = responder.keyPair().getPrivate();

        assertUnavailable(this::ask);
    }

    @Test
    void statusWhenResponderCertificateFromAnotherCaThenRevocationUnavailable() {
        TestCa other = TestPki.provider("EVIL").rsa().clock(clock).build();
        Credential responder = other.user("OCSP Responder")
                .extension(Extension.extendedKeyUsage.getId(), new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning))
                .issue();
        server.responderCertificate = responder.certificate();
        server.responderKey = responder.keyPair().getPrivate();

        assertUnavailable(this::ask);
    }

    @Test
    void statusWhenSignedWithAnotherKeyInTheIssuersNameThenRevocationUnavailable() {
        TestCa impostor =
                TestPki.provider("CFCA").rsa().withIntermediate().clock(clock).build();
        server.responderKey = impostor.issuerPrivateKey();

        assertUnavailable(this::ask);
    }

    @Test
    void statusWhenNonceNotEchoedThenRevocationUnavailable() {
        server.echoNonce = false;

        assertUnavailable(this::ask);
    }

    @Test
    void statusWhenHttpErrorThenRevocationUnavailable() {
        server.httpStatus = 500;

        assertUnavailable(this::ask);
    }

    @Test
    void statusWhenUnknownThenUnknownAndAskedAgainNextTime() throws Exception {
        server.answerUnknown = true;

        assertThat(ask().status()).isEqualTo(OcspAnswer.Status.UNKNOWN);
        assertThat(ask().status()).isEqualTo(OcspAnswer.Status.UNKNOWN);
        assertThat(server.ocspRequests.get()).isEqualTo(2);
    }

    @Test
    void statusWhenGoodAnswerCachedThenNotAskedUntilNextUpdate() throws Exception {
        ask();
        clock.advance(server.ocspValidity.minusSeconds(1));
        ask();
        assertThat(server.ocspRequests.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        ask();

        assertThat(server.ocspRequests.get()).isEqualTo(2);
    }

    @Test
    void statusWhenAnswerIsStaleThenRevocationUnavailable() {
        server.ocspValidity = Duration.ofMinutes(-30);

        assertUnavailable(this::ask);
    }
}
