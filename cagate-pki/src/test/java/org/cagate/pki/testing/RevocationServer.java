package org.cagate.pki.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.TestCa;

/**
 * A loopback CRL server and OCSP responder for one test CA, on an ephemeral port, with knobs for the
 * failures revocation checking must survive: wrong signer, no nonce, "unknown", HTTP errors, huge bodies.
 * Counts requests so tests can prove what was (not) fetched.
 */
public final class RevocationServer implements AutoCloseable {
    private final TestCa ca;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    public final AtomicInteger crlRequests = new AtomicInteger();
    public final AtomicInteger ocspRequests = new AtomicInteger();

    public volatile Duration crlValidity = Duration.ofHours(1);
    public volatile Duration ocspValidity = Duration.ofMinutes(10);
    /** Replaces the CA's CRL when set. */
    public volatile Supplier<byte[]> crlBody;
    /** Answer every request with this HTTP status instead, when not 200. */
    public volatile int httpStatus = 200;

    public volatile boolean echoNonce = true;
    public volatile boolean answerUnknown;
    /** Signs OCSP answers with this certificate and key instead of the CA's issuer (delegated responder). */
    public volatile X509Certificate responderCertificate;

    public volatile PrivateKey responderKey;
    public volatile String responderAlgorithm;

    private RevocationServer(TestCa ca, Clock clock) throws IOException {
        this.ca = ca;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/crl", this::crl);
        server.createContext("/ocsp", this::ocsp);
        server.setExecutor(executor);
        server.start();
    }

    public static RevocationServer start(TestCa ca, Clock clock) throws IOException {
        return new RevocationServer(ca, clock);
    }

    public URI crlUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/crl");
    }

    public URI ocspUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp");
    }

    private void crl(HttpExchange exchange) throws IOException {
        crlRequests.incrementAndGet();
        try (exchange) {
            if (httpStatus != 200) {
                exchange.sendResponseHeaders(httpStatus, -1);
                return;
            }
            Instant now = clock.instant();
            byte[] body = crlBody != null
                    ? crlBody.get()
                    : ca.crl(now, now.plus(crlValidity)).getEncoded();
            send(exchange, "application/pkix-crl", body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void ocsp(HttpExchange exchange) throws IOException {
        ocspRequests.incrementAndGet();
        try (exchange) {
            if (httpStatus != 200) {
                exchange.sendResponseHeaders(httpStatus, -1);
                return;
            }
            OCSPReq request = new OCSPReq(exchange.getRequestBody().readAllBytes());
            send(exchange, "application/ocsp-response", answer(request).getEncoded());
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private OCSPResp answer(OCSPReq request) throws Exception {
        Instant now = clock.instant();
        X509Certificate signerCertificate =
                responderCertificate != null ? responderCertificate : ca.issuerCertificate();
        PrivateKey signerKey = responderKey != null ? responderKey : ca.issuerPrivateKey();
        String algorithm =
                responderAlgorithm != null ? responderAlgorithm : ca.algorithm().signatureAlgorithm();
        X509CertificateHolder issuer = new JcaX509CertificateHolder(ca.issuerCertificate());
        X509CertificateHolder signer = new JcaX509CertificateHolder(signerCertificate);
        var digests = new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.provider())
                .build();
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(signer.getSubject()));
        for (Req req : request.getRequestList()) {
            CertificateID id = req.getCertID();
            CertificateStatus status;
            if (answerUnknown || !id.matchesIssuer(issuer, digests)) {
                status = new UnknownStatus();
            } else {
                status = ca.revocation(id.getSerialNumber())
                        .<CertificateStatus>map(r -> new RevokedStatus(Date.from(r.revokedAt()), r.reason()))
                        .orElse(CertificateStatus.GOOD);
            }
            builder.addResponse(id, status, Date.from(now), Date.from(now.plus(ocspValidity)), null);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoNonce && nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        X509CertificateHolder[] chain = responderCertificate != null ? new X509CertificateHolder[] {signer} : null;
        var contentSigner = new JcaContentSignerBuilder(algorithm)
                .setProvider(BouncyCastle.provider())
                .build(signerKey);
        return new OCSPRespBuilder()
                .build(OCSPRespBuilder.SUCCESSFUL, builder.build(contentSigner, chain, Date.from(now)));
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
