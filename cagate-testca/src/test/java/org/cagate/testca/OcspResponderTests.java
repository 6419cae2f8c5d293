package org.cagate.testca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OcspResponderTests {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final byte[] NONCE = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final HttpClient client = HttpClient.newHttpClient();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void postWhenIssuedThenGoodSignedByIssuerWithNonceEchoed(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca)) {
            HttpResponse<byte[]> http =
                    post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), true));
            BasicOCSPResp basic = basic(http.body());

            assertThat(http.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
            assertThat(single(basic).getCertStatus()).isEqualTo(CertificateStatus.GOOD);
            assertThat(verifies(basic, ca.issuerCertificate())).isTrue();
            assertThat(nonce(basic)).isEqualTo(NONCE);
            assertThat(basic.getCerts()).hasSize(1);
            assertThat(responder.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void postWhenRevokedThenRevokedWithTimeAndReason() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential xizi = ca.user("西子").issue();
        ca.revoke(xizi.certificate(), CRLReason.keyCompromise);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            SingleResp single = single(
                    basic(post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), false))
                            .body()));

            RevokedStatus revoked = (RevokedStatus) single.getCertStatus();
            assertThat(revoked.getRevocationTime().toInstant()).isEqualTo(NOW);
            assertThat(revoked.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
        }
    }

    @Test
    void postWhenSerialNeverIssuedThenUnknown() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            SingleResp single = single(basic(
                    post(responder.url(), request(ca, BigInteger.TEN, false)).body()));

            assertThat(single.getCertStatus()).isInstanceOf(UnknownStatus.class);
        }
    }

    @Test
    void postWhenAnotherIssuerThenUnknown() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TestCa other = ca(KeyAlgorithm.EC_P256);
        Credential stranger = other.user("陌生人").issue();
        try (OcspResponder responder = OcspResponder.start(ca)) {
            byte[] request = request(other, stranger.certificate().getSerialNumber(), false);

            assertThat(single(basic(post(responder.url(), request).body())).getCertStatus())
                    .isInstanceOf(UnknownStatus.class);
        }
    }

    @Test
    void getWhenRequestInPathThenSameAnswerAsPost() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential xizi = ca.user("西子").issue();
        ca.revoke(xizi.certificate(), CRLReason.superseded);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            String encoded = URLEncoder.encode(
                    Base64.getEncoder()
                            .encodeToString(request(ca, xizi.certificate().getSerialNumber(), true)),
                    StandardCharsets.US_ASCII);

            HttpResponse<byte[]> http = client.send(
                    HttpRequest.newBuilder(URI.create(responder.url() + "/" + encoded))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            BasicOCSPResp basic = basic(http.body());

            assertThat(single(basic).getCertStatus()).isInstanceOf(RevokedStatus.class);
            assertThat(nonce(basic)).isEqualTo(NONCE);
        }
    }

    @Test
    void signByDelegateWhenSetThenSignedByOcspSigningCertificateOfTheCa() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca).signByDelegate()) {
            BasicOCSPResp basic =
                    basic(post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), false))
                            .body());
            X509Certificate delegate = responder.delegate().certificate();

            assertThat(verifies(basic, delegate)).isTrue();
            assertThat(verifies(basic, ca.issuerCertificate())).isFalse();
            assertThat(basic.getCerts()[0].getEncoded()).isEqualTo(delegate.getEncoded());
            assertThat(delegate.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
            assertThat(delegate.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId()))
                    .isNotNull();
            delegate.verify(ca.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
            assertThat(single(basic).getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        }
    }

    @Test
    void signedByWhenForeignCredentialThenSignedByIt() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential foreign = ca(KeyAlgorithm.RSA_2048).user("别人的应答器").issue();
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca).signedBy(foreign).includeSignerCertificate(false)) {
            BasicOCSPResp basic =
                    basic(post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), false))
                            .body());

            assertThat(verifies(basic, foreign.certificate())).isTrue();
            assertThat(basic.getCerts()).isEmpty();
        }
    }

    @Test
    void echoNonceWhenFalseThenNoNonceInAnswer() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca).echoNonce(false)) {
            BasicOCSPResp basic =
                    basic(post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), true))
                            .body());

            assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce))
                    .isNull();
        }
    }

    @Test
    void windowWhenSetThenThisAndNextUpdateFromCaClock() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca).window(Duration.ofMinutes(2), Duration.ofMinutes(30))) {
            SingleResp single = single(
                    basic(post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), false))
                            .body()));

            assertThat(single.getThisUpdate().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(2)));
            assertThat(single.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        }
    }

    @Test
    void fixedTimesWhenNoNextUpdateThenLeftOut() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca).fixedTimes(NOW.minus(Duration.ofDays(3)), null)) {
            SingleResp single = single(
                    basic(post(responder.url(), request(ca, xizi.certificate().getSerialNumber(), false))
                            .body()));

            assertThat(single.getThisUpdate().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(3)));
            assertThat(single.getNextUpdate()).isNull();
        }
    }

    @Test
    void errorStatusWhenTryLaterThenOcspStatusTryLaterWithoutBody() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        try (OcspResponder responder = OcspResponder.start(ca).errorStatus(OCSPRespBuilder.TRY_LATER)) {
            OCSPResp answer = new OCSPResp(
                    post(responder.url(), request(ca, BigInteger.ONE, false)).body());

            assertThat(answer.getStatus()).isEqualTo(OCSPRespBuilder.TRY_LATER);
            assertThat(answer.getResponseObject()).isNull();
        }
    }

    @Test
    void postWhenGarbageThenMalformedRequestNotHttp500() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            HttpResponse<byte[]> http = post(responder.url(), new byte[] {0x30, 0x03, 1, 2});
            HttpResponse<byte[]> empty = post(responder.url(), new byte[0]);
            HttpResponse<byte[]> badGet = client.send(
                    HttpRequest.newBuilder(URI.create(responder.url() + "/%25%25not-base64"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> huge = post(responder.url(), new byte[OcspResponder.MAX_REQUEST_BYTES + 1]);

            for (HttpResponse<byte[]> response : java.util.List.of(http, empty, badGet, huge)) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(new OCSPResp(response.body()).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        }
    }

    @Test
    void refuseWhenTrueThenHttp500AndCounted() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            responder.refuse(true);

            assertThat(post(responder.url(), request(ca, BigInteger.ONE, false)).statusCode())
                    .isEqualTo(500);
            assertThat(responder.requestCount()).isEqualTo(1);
        }
    }

    private static TestCa ca(KeyAlgorithm algorithm) {
        return TestPki.provider("ZJHX")
                .algorithm(algorithm)
                .withIntermediate()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    static byte[] request(TestCa ca, BigInteger serial, boolean withNonce) throws Exception {
        CertificateID id = new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(ca.issuerCertificate()),
                serial);
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
        if (withNonce) {
            builder.setRequestExtensions(new Extensions(new Extension(
                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                    false,
                    new DEROctetString(new DEROctetString(NONCE).getEncoded()))));
        }
        return builder.build().getEncoded();
    }

    private HttpResponse<byte[]> post(String url, byte[] body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isEqualTo(OCSPRespBuilder.SUCCESSFUL);
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static SingleResp single(BasicOCSPResp basic) {
        assertThat(basic.getResponses()).hasSize(1);
        return basic.getResponses()[0];
    }

    private static boolean verifies(BasicOCSPResp basic, X509Certificate signer) throws Exception {
        return basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER)
                .build(signer.getPublicKey()));
    }

    private static byte[] nonce(BasicOCSPResp basic) {
        Extension nonce = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        return DEROctetString.getInstance(nonce.getParsedValue()).getOctets();
    }
}
