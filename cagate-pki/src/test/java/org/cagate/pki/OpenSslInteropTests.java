package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.testing.Sign;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An independent implementation signs, cagate-pki verifies: RAW signatures by {@code openssl dgst} (RSA,
 * ECDSA, SM2 with distid 1234567812345678) and CMS by {@code openssl cms}. OpenSSL 3.0's {@code cms
 * -sign} cannot sign with SM2 keys (it fails with "illegal zero content"); the SM2 CMS test proves that
 * and then verifies a CMS whose SM2 signature over the signed attributes OpenSSL made.
 */
class OpenSslInteropTests {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final byte[] CHALLENGE = Sign.challenge("ZJHX");

    @TempDir
    Path dir;

    private final AssertionVerifier verifier =
            new AssertionVerifier(Clock.systemUTC(), RevocationChecker.create(Clock.systemUTC(), new SecureRandom()));

    @BeforeAll
    static void requireOpenSsl() {
        if (!Files.isExecutable(OPENSSL)) {
            System.err.println("OpenSslInteropTests skipped: " + OPENSSL + " is absent (apt-get install openssl)");
        }
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL), OPENSSL + " is absent; interop tests skipped");
    }

    private static ProviderPolicy provider(TestCa ca) throws PkiException {
        return new ProviderPolicy(
                "ZJHX", TrustAnchors.of(List.of(ca.root())), IdentityRule.SPKI_SHA256, RevocationPolicy.NONE);
    }

    private Credential user(KeyAlgorithm algorithm, TestCa ca) throws IOException {
        Credential user = ca.user("互操作").issue();
        Files.write(
                dir.resolve("key.pem"),
                pem("PRIVATE KEY", user.keyPair().getPrivate().getEncoded()));
        Files.writeString(dir.resolve("cert.pem"), Certificates.toPem(user.certificate()));
        Files.writeString(
                dir.resolve("chain.pem"), Certificates.toPem(ca.intermediate().orElseThrow()));
        Files.write(dir.resolve("challenge.txt"), CHALLENGE);
        return user;
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "EC_P384", "SM2"})
    void verifyWhenOpensslDgstSignedRawThenVerified(KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider("ZJHX").algorithm(algorithm).withIntermediate().build();
        Credential user = user(algorithm, ca);
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "dgst"));
        if (algorithm == KeyAlgorithm.SM2) {
            command.addAll(List.of("-sm3", "-sigopt", "distid:1234567812345678"));
        } else {
            command.add("-sha256");
        }
        command.addAll(List.of("-sign", "key.pem", "-out", "sig.bin", "challenge.txt"));
        run(command);

        Assertion assertion = new Assertion(
                Assertion.Format.RAW,
                Sign.algorithmOf(user),
                Certificates.der(user.certificate()),
                List.of(Certificates.der(ca.intermediate().orElseThrow())),
                Files.readAllBytes(dir.resolve("sig.bin")),
                null);

        assertThat(verifier.verify(assertion, CHALLENGE, provider(ca)).certificate())
                .isEqualTo(user.certificate());
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256"})
    void verifyWhenOpensslCmsSignedDetachedThenVerifiedWithSignerFromTheCms(KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider("ZJHX").algorithm(algorithm).withIntermediate().build();
        Credential user = user(algorithm, ca);
        run(List.of(
                OPENSSL.toString(),
                "cms",
                "-sign",
                "-binary",
                "-md",
                "sha256",
                "-in",
                "challenge.txt",
                "-signer",
                "cert.pem",
                "-inkey",
                "key.pem",
                "-certfile",
                "chain.pem",
                "-outform",
                "DER",
                "-out",
                "cms.der"));

        Assertion assertion = Assertion.fromWire(
                "CMS",
                Sign.algorithmOf(user).wireName(),
                null,
                List.of(),
                Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("cms.der"))),
                null);
        VerifiedAssertion verified = verifier.verify(assertion, CHALLENGE, provider(ca));

        assertThat(verified.certificate()).isEqualTo(user.certificate());
        assertThat(verified.chain()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256"})
    void verifyWhenOpensslCmsSentWithoutAlgorithmAndCertificateThenBothTakenFromTheSignedData(KeyAlgorithm algorithm)
            throws Exception {
        TestCa ca =
                TestPki.provider("ZJHX").algorithm(algorithm).withIntermediate().build();
        Credential user = user(algorithm, ca);
        run(List.of(
                OPENSSL.toString(),
                "cms",
                "-sign",
                "-binary",
                "-in",
                "challenge.txt",
                "-signer",
                "cert.pem",
                "-inkey",
                "key.pem",
                "-certfile",
                "chain.pem",
                "-outform",
                "DER",
                "-out",
                "cms.der"));
        String cms = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("cms.der")));

        VerifiedAssertion verified =
                verifier.verify(Assertion.fromWire("CMS", null, null, List.of(), cms, null), CHALLENGE, provider(ca));

        assertThat(verified.certificate()).isEqualTo(user.certificate());
        assertThat(verified.algorithm()).isEqualTo(Sign.algorithmOf(user));
        String other = algorithm == KeyAlgorithm.RSA_2048 ? "SHA256withECDSA" : "SHA256withRSA";
        assertThatThrownBy(() -> verifier.verify(
                        Assertion.fromWire("CMS", other, null, List.of(), cms, null), CHALLENGE, provider(ca)))
                .isInstanceOfSatisfying(
                        PkiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID));
        assertThatThrownBy(() -> Assertion.fromWire("RAW", null, null, List.of(), cms, null))
                .isInstanceOf(PkiException.class);
    }

    @Test
    void verifyWhenOpensslCmsWithoutSignedAttributesThenVerified() throws Exception {
        TestCa ca = TestPki.provider("ZJHX").ec().withIntermediate().build();
        Credential user = user(KeyAlgorithm.EC_P256, ca);
        run(List.of(
                OPENSSL.toString(),
                "cms",
                "-sign",
                "-binary",
                "-noattr",
                "-md",
                "sha256",
                "-in",
                "challenge.txt",
                "-signer",
                "cert.pem",
                "-inkey",
                "key.pem",
                "-certfile",
                "chain.pem",
                "-outform",
                "DER",
                "-out",
                "cms.der"));
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                null,
                List.of(),
                Files.readAllBytes(dir.resolve("cms.der")),
                null);

        assertThat(verifier.verify(assertion, CHALLENGE, provider(ca)).certificate())
                .isEqualTo(user.certificate());
    }

    @Test
    void verifyWhenOpensslCmsSignedOtherContentThenSignatureInvalid() throws Exception {
        TestCa ca = TestPki.provider("ZJHX").ec().withIntermediate().build();
        Credential user = user(KeyAlgorithm.EC_P256, ca);
        Files.write(dir.resolve("other.txt"), Sign.challenge("SCCA"));
        run(List.of(
                OPENSSL.toString(),
                "cms",
                "-sign",
                "-binary",
                "-md",
                "sha256",
                "-in",
                "other.txt",
                "-signer",
                "cert.pem",
                "-inkey",
                "key.pem",
                "-outform",
                "DER",
                "-out",
                "cms.der"));
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(user.certificate()),
                List.of(),
                Files.readAllBytes(dir.resolve("cms.der")),
                null);

        AssertionVerifierTests.assertReason(
                () -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenSm2CmsThenOpensslCannotSignItButItsSm2SignatureInsideBcCmsVerifies() throws Exception {
        TestCa ca = TestPki.provider("ZJHX").sm2().withIntermediate().build();
        Credential user = user(KeyAlgorithm.SM2, ca);

        Result cms = exec(List.of(
                OPENSSL.toString(),
                "cms",
                "-sign",
                "-binary",
                "-md",
                "sm3",
                "-in",
                "challenge.txt",
                "-signer",
                "cert.pem",
                "-inkey",
                "key.pem",
                "-outform",
                "DER",
                "-out",
                "cms.der"));
        if (cms.exit() == 0 && Files.size(dir.resolve("cms.der")) > 0) {
            // A later OpenSSL signs SM2 CMS: then it must verify here too.
            Assertion assertion = new Assertion(
                    Assertion.Format.CMS,
                    SignatureAlgorithm.SM3_WITH_SM2,
                    null,
                    List.of(),
                    Files.readAllBytes(dir.resolve("cms.der")),
                    null);
            assertThat(verifier.verify(assertion, CHALLENGE, provider(ca))).isNotNull();
        } else {
            assertThat(cms.output()).contains("illegal zero content");
        }

        // The SignedData is assembled by Bouncy Castle; the SM2 signature over its signed attributes is
        // made by `openssl dgst -sm3 -sigopt distid:1234567812345678`.
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build())
                .build(new OpenSslSm2Signer(), user.certificate()));
        generator.addCertificates(
                new JcaCertStore(List.of(user.certificate(), ca.intermediate().orElseThrow())));
        byte[] hybrid = generator
                .generate(new CMSProcessableByteArray(CHALLENGE), false)
                .toASN1Structure()
                .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        Assertion assertion =
                new Assertion(Assertion.Format.CMS, SignatureAlgorithm.SM3_WITH_SM2, null, List.of(), hybrid, null);

        assertThat(verifier.verify(assertion, CHALLENGE, provider(ca)).certificate())
                .isEqualTo(user.certificate());
    }

    /** A BC ContentSigner whose signature is computed by the openssl command line with key.pem. */
    private final class OpenSslSm2Signer implements ContentSigner {
        private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream();

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);
        }

        @Override
        public OutputStream getOutputStream() {
            return toBeSigned;
        }

        @Override
        public byte[] getSignature() {
            try {
                Files.write(dir.resolve("attrs.der"), toBeSigned.toByteArray());
                run(List.of(
                        OPENSSL.toString(),
                        "dgst",
                        "-sm3",
                        "-sigopt",
                        "distid:1234567812345678",
                        "-sign",
                        "key.pem",
                        "-out",
                        "attrs.sig",
                        "attrs.der"));
                return Files.readAllBytes(dir.resolve("attrs.sig"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Result(int exit, String output) {}

    private Result exec(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl hung: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    private void run(List<String> command) throws Exception {
        Result result = exec(command);
        assertThat(result.exit())
                .as(String.join(" ", command) + "\n" + result.output())
                .isZero();
    }

    private static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
