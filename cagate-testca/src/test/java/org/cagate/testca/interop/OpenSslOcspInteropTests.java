package org.cagate.testca.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.OcspResponder;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OCSP responder, queried and checked by {@code openssl ocsp} (which sends a nonce and checks it). */
class OpenSslOcspInteropTests {
    @TempDir
    Path dir;

    OpenSsl openssl;

    @BeforeEach
    void openssl() {
        assumeTrue(OpenSsl.isAvailable(), OpenSsl.unavailableReason());
        openssl = new OpenSsl(dir);
    }

    @ParameterizedTest
    @CsvSource({
        "RSA_2048,false,false",
        "RSA_2048,true,true",
        "EC_P256,true,false",
        "EC_P256,true,true",
        "EC_P384,false,true"
    })
    void ocspWhenGoodAndRevokedThenOpensslVerifiesAnswersAndNonce(
            KeyAlgorithm algorithm, boolean intermediate, boolean delegated) throws Exception {
        TestCa ca = ca(algorithm, intermediate);
        Credential good = ca.user("西子").issue();
        Credential revoked = ca.user("东子").issue();
        ca.revoke(revoked.certificate(), CRLReason.keyCompromise);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            if (delegated) {
                responder.signByDelegate();
            }

            OpenSsl.Result first = query(ca, responder, good);
            OpenSsl.Result second = query(ca, responder, revoked);

            assertThat(first.ok()).as(first.output()).isTrue();
            assertThat(first.output())
                    .contains("Response verify OK")
                    .contains("leaf.pem: good")
                    .doesNotContain("WARNING");
            assertThat(second.output())
                    .contains("Response verify OK")
                    .contains("leaf.pem: revoked")
                    .contains("Reason: keyCompromise")
                    .contains("Revocation Time:");
            assertThat(responder.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void ocspWhenResponderDropsTheNonceThenOpensslNoticesIt() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256, true);
        Credential xizi = ca.user("西子").issue();
        try (OcspResponder responder = OcspResponder.start(ca).echoNonce(false)) {
            OpenSsl.Result result = query(ca, responder, xizi);

            assertThat(result.output()).contains("WARNING: no nonce in response");
        }
    }

    @Test
    void ocspWhenSignedByForeignResponderThenOpensslRefusesTheAnswer() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256, true);
        Credential xizi = ca.user("西子").issue();
        Credential foreign = ca(KeyAlgorithm.EC_P256, false).ocspSigner();
        try (OcspResponder responder = OcspResponder.start(ca).signedBy(foreign)) {
            OpenSsl.Result result = query(ca, responder, xizi);

            assertThat(result.output()).contains("Response Verify Failure").doesNotContain("Response verify OK");
        }
    }

    /**
     * OpenSSL 3.0 checks SM2-signed OCSP answers with an empty SM2 id (no option sets it), so it cannot
     * verify them; with -noverify it still reads status, reason and nonce, which this test pins down.
     */
    @Test
    void ocspWhenSm2ThenOpensslReadsStatusAndNonceButCannotCheckTheSignature() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2, true);
        Credential revoked = ca.user("国密").issue();
        ca.revoke(revoked.certificate(), CRLReason.superseded);
        try (OcspResponder responder = OcspResponder.start(ca)) {
            OpenSsl.Result checked = query(ca, responder, revoked);
            OpenSsl.Result unchecked = query(ca, responder, revoked, "-noverify");

            assertThat(checked.output()).contains("Response Verify Failure");
            assertThat(unchecked.output())
                    .contains("leaf.pem: revoked")
                    .contains("Reason: superseded")
                    .doesNotContain("nonce");
        }
    }

    private OpenSsl.Result query(TestCa ca, OcspResponder responder, Credential user, String... extra)
            throws Exception {
        String issuer = openssl.pem("issuer.pem", ca.issuerCertificate());
        String root = openssl.pem("root.pem", ca.root());
        String leaf = openssl.pem("leaf.pem", user.certificate());
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "ocsp", "-issuer", issuer, "-cert", leaf, "-url", responder.url(), "-CAfile", root, "-timeout", "20"));
        args.addAll(java.util.List.of(extra));
        return openssl.run(args.toArray(String[]::new));
    }

    private static TestCa ca(KeyAlgorithm algorithm, boolean intermediate) {
        var builder = TestPki.provider("ZJHX").algorithm(algorithm);
        return (intermediate ? builder.withIntermediate() : builder).build();
    }
}
