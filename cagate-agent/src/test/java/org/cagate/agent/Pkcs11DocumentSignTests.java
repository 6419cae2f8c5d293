package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.softhsm.SoftHsm2;
import org.cagate.testca.softhsm.SoftHsmToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/sign-document against SoftHSM2 tokens (EC, RSA), the agent in its own JVM. */
class Pkcs11DocumentSignTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "482915";
    static final String WRONG_PIN = "000999";
    static final byte[] DOCUMENT = "%PDF-1.7 合同 byte range".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    static final Map<String, TestCa> CAS = new HashMap<>();
    static final Map<String, Credential> USERS = new HashMap<>();
    static final Map<String, SoftHsmToken> TOKENS = new HashMap<>();
    static AgentProcess agent;
    static AgentClient page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(SoftHsm2.isAvailable(), SoftHsm2.unavailableReason());
        SoftHsm2 hsm = SoftHsm2.create(dir.resolve("softhsm"));
        StringBuilder config = new StringBuilder("agent.allowedOrigins=" + ORIGIN + "\nagent.wrongPinDelay=1s\n");
        token(hsm, config, "ZJHX", KeyAlgorithm.EC_P256, "330400007180230A");
        token(hsm, config, "SCCA", KeyAlgorithm.RSA_2048, "510100000000000B");
        Path file = Files.writeString(dir.resolve("agent.properties"), config, StandardCharsets.UTF_8);
        agent = AgentProcess.start(file, hsm.environment());
        page = new AgentClient(agent.port(), ORIGIN);
    }

    private static void token(SoftHsm2 hsm, StringBuilder config, String code, KeyAlgorithm algorithm, String serial) {
        TestCa ca =
                TestPki.provider(code).algorithm(algorithm).withIntermediate().build();
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        SoftHsmToken token = hsm.initToken(code + "-KEY", "87654321", PIN).setSerial(serial);
        token.write(user, "西子");
        CAS.put(code, ca);
        USERS.put(code, user);
        TOKENS.put(code, token);
        String p = "provider." + code + ".";
        config.append(p + "backend=pkcs11\n")
                .append(p + "pkcs11.library=" + SoftHsm2.library() + "\n")
                .append(p + "pkcs11.tokenLabel=" + code + "-KEY\n")
                .append(p + "maxPinRetries=6\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
            assertThat(agent.output())
                    .contains("POST /v1/sign-document")
                    .contains("DOCUMENT name=合同.pdf SHA-256=")
                    .doesNotContain(PIN)
                    .doesNotContain(WRONG_PIN);
        }
    }

    @ParameterizedTest
    @CsvSource({"ZJHX, SHA256withECDSA", "SCCA, SHA256withRSA"})
    void signDocumentWhenRightPinThenTokenSignsCmsThatVerifiesWithBouncyCastleAndOpenSsl(
            String provider, String algorithm) throws Exception {
        RawHttp.Response response = page.signDocument(provider, PIN, "合同.pdf", DOCUMENT);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        assertThat(body.get("tokenSerial").asString())
                .isEqualTo(TOKENS.get(provider).serial());
        byte[] cms = Base64.getDecoder().decode(body.get("signature").asString());
        SignerInformation signer = new CMSSignedData(new CMSProcessableByteArray(DOCUMENT), cms)
                .getSignerInfos()
                .getSigners()
                .iterator()
                .next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(USERS.get(provider).certificate())))
                .isTrue();
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL CLI not installed: skipping the openssl check");
        OpenSsl.Result openssl = OpenSsl.verifyCms(
                Files.createTempDirectory(dir, "openssl"), CAS.get(provider).root(), DOCUMENT, cms);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"ZJHX", "SCCA"})
    void signPdfWhenTokenSignsThroughTheAgentThenPdfsigFindsItValid(String provider) throws Exception {
        org.cagate.pki.pdf.PdfSigner signer =
                new org.cagate.pki.pdf.PdfSigner(java.time.Clock.systemUTC(), 20L * 1024 * 1024);
        org.cagate.pki.pdf.PreparedPdf prepared = signer.prepare(
                AgentPdfSignTests.document(),
                new org.cagate.pki.pdf.SealPlacement(1, 380, 80, 120, 120),
                AgentPdfSignTests.seal(),
                "签章");

        RawHttp.Response response = page.signDocumentBody(("{\"provider\":\"" + provider + "\",\"pin\":\"" + PIN
                        + "\",\"documentName\":\"合同.pdf\",\"digests\":{\"SHA-256\":\""
                        + Base64.getEncoder().encodeToString(prepared.sha256()) + "\"}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        byte[] signed = signer.complete(
                prepared,
                Base64.getDecoder().decode(response.json().get("signature").asString()));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pdfsig")), "pdfsig (poppler-utils) not installed");
        Process pdfsig = new ProcessBuilder(
                        "pdfsig",
                        "-nocert",
                        Files.write(dir.resolve(provider + ".pdf"), signed).toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(pdfsig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pdfsig.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).contains("Signature is Valid").contains("Total document signed");
    }

    @Test
    void signDocumentWhenWrongPinThenPinIncorrectWithRetriesLeft() throws Exception {
        RawHttp.Response response = page.signDocument("SCCA", WRONG_PIN, "合同.pdf", DOCUMENT);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
        assertThat(response.json().get("retriesLeft").asInt()).isEqualTo(5);
        assertThat(response.json().get("message").asString()).isEqualTo("PIN 码错误，还可尝试 5 次");
    }
}
