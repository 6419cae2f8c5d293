package org.cagate.testca;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * An RFC 3161 time-stamp authority for tests and the demo: a TSA certificate issued by a test CA
 * (extendedKeyUsage timeStamping, critical) answers {@code application/timestamp-query} POSTs at
 * {@link #url()} with tokens dated by the CA's clock (genTime), so PAdES B-T signatures can be made
 * and checked without the network.
 *
 * <pre>{@code
 * try (TsaServer tsa = TsaServer.start(ca)) {
 *     URI url = URI.create(tsa.url());
 * }
 * }</pre>
 */
public final class TsaServer implements AutoCloseable {
    /** cagate's test TSA policy (a private arc; any OID will do for a test). */
    public static final String POLICY = "1.3.6.1.4.1.55555.21.1";

    private final TestCa ca;
    private final Credential tsa;
    private final LoopbackHttp http;
    private final boolean ownsHttp;
    private final String path;
    private final AtomicLong serial = new AtomicLong(1);
    public final AtomicInteger requests = new AtomicInteger();

    private TsaServer(TestCa ca, LoopbackHttp http, boolean ownsHttp) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.tsa = ca.user(ca.providerCode() + " Test TSA")
                .organization("cagate test CA")
                .keyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature)
                .criticalExtension(
                        Extension.extendedKeyUsage.getId(), new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
                .noDefaultUrls()
                .issue();
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.path = "/tsa/" + ca.providerCode();
        http.handle(path, this::serve);
    }

    public static TsaServer start(TestCa ca) {
        return new TsaServer(ca, LoopbackHttp.start(0), true);
    }

    /** Attaches to a shared server; closing this TsaServer leaves the shared server running. */
    public static TsaServer on(LoopbackHttp http, TestCa ca) {
        return new TsaServer(ca, http, false);
    }

    /** e.g. http://127.0.0.1:41234/tsa/ZJHX */
    public String url() {
        return http.baseUrl() + path;
    }

    public X509Certificate certificate() {
        return tsa.certificate();
    }

    /** A DER TimeStampResp for a DER TimeStampReq (SHA-256, SHA-384, SHA-512 or SM3 imprints). */
    public byte[] respond(byte[] request) throws IOException {
        try {
            TimeStampRequest parsed = new TimeStampRequest(request);
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                    new JcaSimpleSignerInfoGeneratorBuilder()
                            .setProvider(BouncyCastle.PROVIDER)
                            .build(
                                    ca.algorithm().signatureAlgorithm(),
                                    tsa.keyPair().getPrivate(),
                                    tsa.certificate()),
                    new JcaDigestCalculatorProviderBuilder()
                            .setProvider(BouncyCastle.PROVIDER)
                            .build()
                            .get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                    org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)),
                    new ASN1ObjectIdentifier(POLICY));
            List<X509Certificate> certificates = new ArrayList<>();
            certificates.add(tsa.certificate());
            certificates.addAll(tsa.caCertificates());
            tokens.addCertificates(new JcaCertStore(certificates));
            TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
            TimeStampResponse response = responses.generate(
                    parsed,
                    BigInteger.valueOf(serial.getAndIncrement()),
                    Date.from(ca.clock().instant()));
            return response.getEncoded();
        } catch (IOException e) {
            throw e;
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IOException("cannot answer the time-stamp request: " + e.getMessage(), e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        byte[] request = exchange.getRequestBody().readNBytes(64 * 1024);
        byte[] answer;
        try {
            answer = respond(request);
        } catch (IOException e) {
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        ServerSwitches.send(exchange, 200, "application/timestamp-reply", answer);
    }

    @Override
    public void close() {
        http.remove(path);
        if (ownsHttp) {
            http.close();
        }
    }
}
