package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * PKCS#12 files as other tools write them, each made here by the OpenSSL CLI ({@code openssl pkcs12
 * -export}): the agent lists every one in /v1/tokens and signs with it.
 */
class Pkcs12VariantsTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "735194";

    @TempDir
    static Path dir;

    static TestCa ca;
    static Credential xizi;
    static Credential dongzi;
    static Agent agent;
    static AgentClient page;

    /** provider code → extra {@code openssl pkcs12 -export} options. */
    static final List<List<String>> VARIANTS = List.of(
            List.of("PLAIN", "-certpbe", "NONE", "-keypbe", "AES-256-CBC", "-macalg", "sha256"),
            List.of("OSSL3"),
            List.of("LEGACY", "-legacy"),
            List.of("NOMAC", "-nomac"),
            List.of("CHINESE", "-name", "西子的签名证书"),
            List.of("SEVERAL", "-certfile", "several.pem"),
            // signed with only by the test that shows the certificates appear once the PIN was given
            List.of("UNSEEN", "-legacy"));

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "the OpenSSL CLI is not installed");
        ca = TestPki.provider("ZJHX").ec().withIntermediate().build();
        xizi = ca.user("西子").organization("培训省西子贸易集团").issue();
        dongzi = ca.user("东子").issue();
        Files.write(
                dir.resolve("key.pem"),
                pem("PRIVATE KEY", xizi.keyPair().getPrivate().getEncoded()));
        Files.write(dir.resolve("cert.pem"), OpenSsl.pem(xizi.certificate()));
        // Another user's certificate first, then the CA certificates: the key's own must still be found.
        Files.write(
                dir.resolve("several.pem"),
                concat(
                        OpenSsl.pem(dongzi.certificate()),
                        OpenSsl.pem(ca.intermediate().orElseThrow()),
                        OpenSsl.pem(ca.root())));
        List<ProviderConfig> providers = new ArrayList<>();
        for (List<String> variant : VARIANTS) {
            String code = variant.get(0);
            Path folder = Files.createDirectories(dir.resolve(code));
            List<String> command = new ArrayList<>(List.of(
                    "openssl",
                    "pkcs12",
                    "-export",
                    "-inkey",
                    "key.pem",
                    "-in",
                    "cert.pem",
                    "-passout",
                    "pass:" + PIN,
                    "-out",
                    folder.resolve("xizi.p12").toString()));
            command.addAll(variant.subList(1, variant.size()));
            run(command);
            providers.add(ProviderConfig.pkcs12(code, code, folder));
        }
        agent = Agent.start(
                AgentConfig.of(List.of(ORIGIN), providers).withPort(0).withWrongPinDelay(Duration.ofMillis(200)));
        page = new AgentClient(agent.port(), ORIGIN);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"PLAIN", "OSSL3", "LEGACY", "NOMAC", "CHINESE", "SEVERAL"})
    void signWhenFileMadeByOpensslThenSignedWithTheKeysCertificateAndItsChain(String provider) throws Exception {
        byte[] challenge = AgentClient.challenge(ORIGIN, provider);

        RawHttp.Response response = page.sign(provider, PIN, challenge, "RAW");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        X509Certificate certificate = certificate(body.get("certificate").asString());
        assertThat(certificate).isEqualTo(xizi.certificate());
        Signature verifier = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
        verifier.initVerify(certificate);
        verifier.update(challenge);
        assertThat(verifier.verify(
                        Base64.getDecoder().decode(body.get("signature").asString())))
                .isTrue();
        if (provider.equals("SEVERAL")) {
            assertThat(body.get("chain").size()).isEqualTo(2);
            assertThat(certificate(body.get("chain").get(0).asString()))
                    .isEqualTo(ca.intermediate().orElseThrow());
        }
    }

    @ParameterizedTest
    @CsvSource({"OSSL3", "LEGACY", "NOMAC"})
    void signWhenPinWrongThenPinIncorrectWhetherOrNotTheFileHasAMac(String provider) throws Exception {
        RawHttp.Response response = page.sign(provider, "000731", AgentClient.challenge(ORIGIN, provider), "RAW");

        assertThat(response.status()).as(response.text()).isEqualTo(401);
        assertThat(response.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
    }

    @ParameterizedTest
    @CsvSource({"PLAIN", "NOMAC"})
    void tokensWhenCertificatesNotEncryptedThenListedWithoutAPin(String provider) throws Exception {
        JsonNode token = page.get("/v1/tokens?provider=" + provider).json().get(0);

        assertThat(token.get("id").asString()).isEqualTo("xizi.p12");
        assertThat(token.get("certificates").size()).isEqualTo(1);
        assertThat(token.get("certificatesNeedPin").asBoolean()).isFalse();
        assertThat(certificate(token.get("certificates").get(0).get("der").asString()))
                .isEqualTo(xizi.certificate());
    }

    @Test
    void tokensWhenCertificatesEncryptedThenListedAsNeedingThePinAndShownOnceItWasGiven() throws Exception {
        JsonNode before = page.get("/v1/tokens?provider=UNSEEN").json().get(0);
        assertThat(before.get("id").asString()).isEqualTo("xizi.p12");
        assertThat(before.get("certificates").size()).isZero();
        assertThat(before.get("certificatesNeedPin").asBoolean()).isTrue();

        assertThat(page.sign("UNSEEN", "000731", "RAW").status()).isEqualTo(401);
        assertThat(page.get("/v1/tokens?provider=UNSEEN")
                        .json()
                        .get(0)
                        .get("certificates")
                        .size())
                .isZero();
        Thread.sleep(300); // the wrong-PIN delay
        assertThat(page.sign("UNSEEN", PIN, "RAW").status()).isEqualTo(200);

        JsonNode after = page.get("/v1/tokens?provider=UNSEEN").json().get(0);
        assertThat(after.get("certificatesNeedPin").asBoolean()).isFalse();
        assertThat(certificate(after.get("certificates").get(0).get("der").asString()))
                .isEqualTo(xizi.certificate());
    }

    static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                .generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + "\n" + output).isZero();
    }

    private static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                        + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        StringBuilder all = new StringBuilder();
        for (byte[] part : parts) {
            all.append(new String(part, StandardCharsets.US_ASCII));
        }
        return all.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
