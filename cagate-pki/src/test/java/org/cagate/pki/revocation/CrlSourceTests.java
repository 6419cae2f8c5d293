package org.cagate.pki.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.pki.PkiException;
import org.cagate.pki.Reason;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.RevocationServer;
import org.cagate.testca.Credential;
import org.cagate.testca.CrlServer;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrlSourceTests {
    private final MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");
    private final TestCa ca =
            TestPki.provider("SCCA").ec().withIntermediate().clock(clock).build();
    private final HttpFetcher fetcher = HttpFetcher.create(Duration.ofSeconds(2), Duration.ofSeconds(2));
    private final CrlSource crls = new CrlSource(fetcher, clock, Duration.ofMinutes(1), 1024 * 1024);
    private RevocationServer server;

    @BeforeEach
    void start() throws Exception {
        server = RevocationServer.start(ca, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void crlWhenServedThenIndexedBySerial() throws Exception {
        Credential revoked = ca.user("吊销").issue();
        ca.revoke(revoked.certificate(), CRLReason.keyCompromise);

        Crl crl = crls.crl(server.crlUrl(), ca.issuerCertificate());

        assertThat(crl.revocation(revoked.certificate().getSerialNumber()))
                .hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(CRLReason.keyCompromise));
        assertThat(crl.nextUpdate()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void crlWhenSignedByAnotherCaThenRevocationUnavailable() throws Exception {
        TestCa other = TestPki.provider("OTHER").ec().clock(clock).build();
        server.crlBody = () -> encoded(other, clock.instant());

        assertUnavailable(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()));
    }

    @Test
    void crlWhenSameNameButForgedSignatureThenRevocationUnavailable() throws Exception {
        TestCa impostor =
                TestPki.provider("SCCA").ec().withIntermediate().clock(clock).build();
        server.crlBody = () -> encoded(impostor, clock.instant());

        assertThatThrownBy(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void crlWhenPastNextUpdateThenRevocationUnavailable() throws Exception {
        server.crlBody = () -> {
            Instant then = clock.instant().minus(Duration.ofDays(2));
            try {
                return ca.crl(then, then.plus(Duration.ofDays(1))).getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        assertUnavailable(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()));
    }

    @Test
    void crlWhenGarbageThenRevocationUnavailable() {
        server.crlBody = () -> "<html>maintenance</html>".getBytes();

        assertUnavailable(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()));
    }

    @Test
    void crlWhenLargerThanTheLimitThenRevocationUnavailable() {
        CrlSource small = new CrlSource(fetcher, clock, Duration.ofMinutes(1), 100);

        assertUnavailable(() -> small.crl(server.crlUrl(), ca.issuerCertificate()));
    }

    @Test
    void crlWhenFetchFailedThenNotRetriedBeforeMinimumInterval() throws Exception {
        server.httpStatus = 503;
        assertUnavailable(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()));
        server.httpStatus = 200;

        clock.advance(Duration.ofSeconds(30));
        assertUnavailable(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()));
        assertThat(server.crlRequests.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(31));
        assertThat(crls.crl(server.crlUrl(), ca.issuerCertificate())).isNotNull();
        assertThat(server.crlRequests.get()).isEqualTo(2);
    }

    @Test
    void crlWhenManyCallersMissAtOnceThenOneFetch() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Crl>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> crls.crl(server.crlUrl(), ca.issuerCertificate()));
            }
            for (Future<Crl> f : pool.invokeAll(calls)) {
                assertThat(f.get()).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(server.crlRequests.get()).isEqualTo(1);
    }

    @Test
    void crlWhenFreshAndCachedThenAnsweredWithoutTheNetwork() throws Exception {
        crls.crl(server.crlUrl(), ca.issuerCertificate());
        server.close();

        clock.advance(Duration.ofMinutes(59));

        assertThat(crls.crl(server.crlUrl(), ca.issuerCertificate())).isNotNull();
        assertThat(server.crlRequests.get()).isEqualTo(1);
    }

    @Test
    void crlWhenServerAnswersSlowerThanTheReadTimeoutThenRevocationUnavailableWithoutWaitingForIt() throws Exception {
        try (CrlServer slow = CrlServer.start(ca)) {
            slow.delay(Duration.ofSeconds(2));
            CrlSource impatient = new CrlSource(
                    HttpFetcher.create(Duration.ofSeconds(1), Duration.ofMillis(300)),
                    clock,
                    Duration.ofMinutes(1),
                    1 << 20);
            long started = System.nanoTime();

            assertUnavailable(() -> impatient.crl(URI.create(slow.url()), ca.issuerCertificate()));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        }
    }

    private static byte[] encoded(TestCa ca, Instant now) {
        try {
            return ca.crl(now, now.plus(Duration.ofHours(1))).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(PkiException.class)
                .satisfies(e -> assertThat(((PkiException) e).reason()).isEqualTo(Reason.REVOCATION_UNAVAILABLE));
    }
}
