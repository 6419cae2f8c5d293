package org.cagate.testca.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Certificates, CRLs and PKCS#12 files of cagate-testca, checked by the OpenSSL command line. */
class OpenSslCertificateInteropTests {
    @TempDir
    Path dir;

    OpenSsl openssl;

    @BeforeEach
    void openssl() {
        assumeTrue(OpenSsl.isAvailable(), OpenSsl.unavailableReason());
        openssl = new OpenSsl(dir);
    }

    @ParameterizedTest
    @CsvSource({"RSA_2048,false", "RSA_2048,true", "EC_P256,false", "EC_P256,true", "EC_P384,false", "EC_P384,true"})
    void verifyWhenRsaOrEcChainThenOpensslAcceptsIt(KeyAlgorithm algorithm, boolean intermediate) throws Exception {
        TestCa ca = ca(algorithm, intermediate);
        Credential xizi = ca.user("西子").organization("培训省西子贸易集团").issue();
        String root = openssl.pem("root.pem", ca.root());
        String untrusted = openssl.pem("untrusted.pem", ca.caCertificates().get(0));
        String leaf = openssl.pem("leaf.pem", xizi.certificate());

        OpenSsl.Result result =
                openssl.run("verify", "-x509_strict", "-check_ss_sig", "-CAfile", root, "-untrusted", untrusted, leaf);

        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("leaf.pem: OK");
    }

    @Test
    void verifyWhenLeafFromAnotherCaThenOpensslRefusesIt() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256, true);
        Credential stranger = ca(KeyAlgorithm.EC_P256, true).user("陌生人").issue();
        String root = openssl.pem("root.pem", ca.root());
        String untrusted = openssl.pem("untrusted.pem", ca.intermediate().orElseThrow());

        OpenSsl.Result result = openssl.run(
                "verify", "-CAfile", root, "-untrusted", untrusted, openssl.pem("leaf.pem", stranger.certificate()));

        assertThat(result.ok()).isFalse();
    }

    @Test
    void verifyWhenSm2WithoutIntermediateThenOpensslAcceptsItWithTheDefaultSm2Id() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2, false);
        String root = openssl.pem("root.pem", ca.root());
        String leaf = openssl.pem("leaf.pem", ca.user("国密").issue().certificate());

        OpenSsl.Result withId = openssl.run("verify", "-vfyopt", OpenSsl.SM2_DISTID, "-CAfile", root, leaf);
        OpenSsl.Result withoutId = openssl.run("verify", "-CAfile", root, leaf);

        assertThat(withId.ok()).as(withId.output()).isTrue();
        assertThat(withoutId.ok()).as("OpenSSL 3.0 defaults to an empty SM2 id").isFalse();
    }

    /**
     * OpenSSL 3.0's {@code verify -vfyopt distid:...} sets the SM2 id on the target certificate only; the
     * intermediate's signature is then checked with an empty id and fails (error 7 at depth 1). Each link
     * does verify when it is the target, which is as far as the OpenSSL CLI can go.
     */
    @Test
    void verifyWhenSm2WithIntermediateThenEachLinkVerifiesInOpenssl() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2, true);
        String root = openssl.pem("root.pem", ca.root());
        String sub = openssl.pem("sub.pem", ca.intermediate().orElseThrow());
        String leaf = openssl.pem("leaf.pem", ca.user("国密").issue().certificate());

        OpenSsl.Result subUnderRoot = openssl.run("verify", "-vfyopt", OpenSsl.SM2_DISTID, "-CAfile", root, sub);
        OpenSsl.Result leafUnderSub =
                openssl.run("verify", "-vfyopt", OpenSsl.SM2_DISTID, "-partial_chain", "-CAfile", sub, leaf);
        OpenSsl.Result oneCall =
                openssl.run("verify", "-vfyopt", OpenSsl.SM2_DISTID, "-CAfile", root, "-untrusted", sub, leaf);

        assertThat(subUnderRoot.ok()).as(subUnderRoot.output()).isTrue();
        assertThat(leafUnderSub.ok()).as(leafUnderSub.output()).isTrue();
        assertThat(oneCall.output()).as("the limitation documented above").contains("error 7 at 1 depth");
    }

    @ParameterizedTest
    @CsvSource({"RSA_2048,false", "RSA_2048,true", "EC_P256,false", "EC_P256,true", "EC_P384,true"})
    void crlVerifyWhenRsaOrEcThenOpensslAcceptsItAndListsTheRevocation(KeyAlgorithm algorithm, boolean intermediate)
            throws Exception {
        TestCa ca = ca(algorithm, intermediate);
        Credential xizi = ca.user("西子").issue();
        ca.revoke(xizi.certificate(), CRLReason.keyCompromise);
        Instant now = ca.clock().instant();
        String crl = openssl.file(
                "ca.crl", ca.crl(now, now.plus(Duration.ofHours(1))).getEncoded());
        String chain = openssl.pem("chain.pem", ca.caCertificates().toArray(new java.security.cert.X509Certificate[0]));

        OpenSsl.Result result =
                openssl.run("crl", "-inform", "DER", "-in", crl, "-noout", "-text", "-verify", "-CAfile", chain);

        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output())
                .contains("verify OK")
                .contains(xizi.certificate().getSerialNumber().toString(16).toUpperCase())
                .contains("Key Compromise");
    }

    /** OpenSSL 3.0's crl command has no way to set the SM2 id, and checks SM2 CRLs with an empty one. */
    @Test
    void crlWhenSm2ThenOpensslReadsItButCannotCheckTheSignature() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2, false);
        Instant now = ca.clock().instant();
        var crl = ca.crl(now, now.plus(Duration.ofHours(1)));
        crl.verify(ca.root().getPublicKey(), TestPki.bouncyCastle());
        String file = openssl.file("ca.crl", crl.getEncoded());

        OpenSsl.Result text = openssl.run("crl", "-inform", "DER", "-in", file, "-noout", "-text");
        OpenSsl.Result verify = openssl.run(
                "crl",
                "-inform",
                "DER",
                "-in",
                file,
                "-noout",
                "-verify",
                "-CAfile",
                openssl.pem("root.pem", ca.root()));

        assertThat(text.ok()).as(text.output()).isTrue();
        assertThat(text.output()).contains("SM2-with-SM3");
        assertThat(verify.output()).contains("verify failure");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void pkcs12WhenAnyAlgorithmThenOpensslOpensKeyAndChain(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm, true);
        Credential xizi = ca.user("西子").issue();
        String p12 = openssl.file("xizi.p12", xizi.toPkcs12("xizi", "123456".toCharArray()));

        OpenSsl.Result result = openssl.run("pkcs12", "-in", p12, "-passin", "pass:123456", "-nodes");
        OpenSsl.Result wrongPin = openssl.run("pkcs12", "-in", p12, "-passin", "pass:654321", "-nodes");

        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("-----BEGIN PRIVATE KEY-----").contains("friendlyName: xizi");
        assertThat(result.output().split("-----BEGIN CERTIFICATE-----", -1)).hasSize(4);
        assertThat(wrongPin.ok()).isFalse();
    }

    private static TestCa ca(KeyAlgorithm algorithm, boolean intermediate) {
        var builder = TestPki.provider("ZJHX").algorithm(algorithm);
        return (intermediate ? builder.withIntermediate() : builder).build();
    }
}
