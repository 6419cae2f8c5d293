package org.cagate.testca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;

class CrlServerTests {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private final HttpClient client = HttpClient.newHttpClient();
    private final TestCa ca = TestPki.provider("ZJHX")
            .ec()
            .withIntermediate()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    @Test
    void getWhenUserRevokedThenCrlListsItAndVerifiesUnderIssuer() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            Credential xizi = ca.user("西子").crlDistributionPoint(server.url()).issue();
            ca.revoke(xizi.certificate(), CRLReason.keyCompromise);

            HttpResponse<byte[]> response = get(server.url());
            X509CRL crl = crl(response.body());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
            crl.verify(ca.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
            assertThat(crl.isRevoked(xizi.certificate())).isTrue();
            assertThat(crl.getRevokedCertificate(xizi.certificate()).getRevocationReason())
                    .hasToString("KEY_COMPROMISE");
            assertThat(server.url()).startsWith("http://127.0.0.1:").endsWith("/crl/ZJHX.crl");
        }
    }

    @Test
    void getWhenWindowSetThenCrlCarriesThisAndNextUpdateFromCaClock() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            server.window(Duration.ofMinutes(10), Duration.ofMinutes(5));

            X509CRL crl = crl(get(server.url()).body());

            assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
            assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        }
    }

    @Test
    void getWhenNextUpdateInPastThenStaleCrlServed() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            server.nextUpdateIn(Duration.ofHours(-1));

            assertThat(crl(get(server.url()).body()).getNextUpdate().toInstant())
                    .isBefore(NOW);
        }
    }

    @Test
    void getWhenFixedTimesThenThoseTimes() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            Instant from = Instant.parse("2026-01-01T00:00:00Z");
            server.fixedTimes(from, from.plus(Duration.ofDays(7)));

            X509CRL crl = crl(get(server.url()).body());

            assertThat(crl.getThisUpdate().toInstant()).isEqualTo(from);
            assertThat(crl.getNextUpdate().toInstant()).isEqualTo(from.plus(Duration.ofDays(7)));
        }
    }

    @Test
    void refuseWhenTrueThenHttp500AndStillCounted() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            server.refuse(true);
            assertThat(get(server.url()).statusCode()).isEqualTo(500);
            server.refuse(false);
            assertThat(get(server.url()).statusCode()).isEqualTo(200);
            assertThat(server.requestCount()).isEqualTo(2);
            server.resetRequestCount();
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void delayWhenLongerThanClientTimeoutThenClientTimesOut() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            server.delay(Duration.ofSeconds(3));

            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url()))
                    .timeout(Duration.ofMillis(300))
                    .build();

            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void serveBytesWhenGarbageThenGarbageServedUntilCleared() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            server.serveBytes(new byte[] {1, 2, 3});
            assertThat(get(server.url()).body()).containsExactly(1, 2, 3);
            server.serveBytes(null);
            assertThat(crl(get(server.url()).body())).isNotNull();
        }
    }

    @Test
    void postWhenNotGetThen405AndOtherPathThen404() throws Exception {
        try (CrlServer server = CrlServer.start(ca)) {
            HttpResponse<byte[]> post = client.send(
                    HttpRequest.newBuilder(URI.create(server.url()))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(get(server.url() + "x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void onWhenTwoProvidersShareAServerThenEachServesItsOwnCrl() throws Exception {
        TestCa other = TestPki.provider("SCCA").rsa().build();
        try (LoopbackHttp http = LoopbackHttp.start(0);
                CrlServer zjhx = CrlServer.on(http, ca);
                CrlServer scca = CrlServer.on(http, other)) {
            X509CRL first = crl(get(zjhx.url()).body());
            X509CRL second = crl(get(scca.url()).body());

            first.verify(ca.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
            second.verify(other.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
            zjhx.close();
            assertThat(get(zjhx.url()).statusCode()).isEqualTo(404);
            assertThat(get(scca.url()).statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static X509CRL crl(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCRL(new ByteArrayInputStream(der));
    }
}
