package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** POST /v1/sign-document (签章) over HTTP with PKCS#12 files: RSA, EC and SM2, and its refusals. */
class DocumentSignTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "735194";
    static final String WRONG_PIN = "000731";
    static final byte[] DOCUMENT = "%PDF-1.7 投标文件 byte range".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    static final Map<String, TestCa> CAS = new HashMap<>();
    static final Map<String, Credential> USERS = new HashMap<>();
    static Agent agent;
    static AgentClient page;
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void start() throws Exception {
        List<ProviderConfig> providers = new ArrayList<>();
        providers.add(soft("ZJHX", KeyAlgorithm.EC_P256));
        providers.add(soft("SCCA", KeyAlgorithm.RSA_2048));
        providers.add(soft("CFCA", KeyAlgorithm.SM2));
        providers.add(ProviderConfig.pkcs12("EMPTY", "无证书", Files.createDirectories(dir.resolve("empty"))));
        Logger.getLogger("org.cagate.agent").addHandler(CAPTURE);
        agent = Agent.start(
                AgentConfig.of(List.of(ORIGIN), providers).withPort(0).withWrongPinDelay(Duration.ofMillis(200)));
        page = new AgentClient(agent.port(), ORIGIN);
    }

    private static ProviderConfig soft(String code, KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider(code).algorithm(algorithm).withIntermediate().build();
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        Path folder = dir.resolve(code.toLowerCase());
        user.writePkcs12(folder.resolve("xizi.p12"), "xizi", PIN.toCharArray());
        CAS.put(code, ca);
        USERS.put(code, user);
        return ProviderConfig.pkcs12(code, code, folder);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("org.cagate.agent").removeHandler(CAPTURE);
        if (agent != null) {
            agent.close();
        }
        assertThat(LOG).isNotEmpty().noneMatch(line -> line.contains(PIN) || line.contains(WRONG_PIN));
    }

    @ParameterizedTest
    @CsvSource({"ZJHX, SHA256withECDSA, SHA-256", "SCCA, SHA256withRSA, SHA-256", "CFCA, SM3withSM2, SM3"})
    void signDocumentWhenRightPinThenCmsOverTheDocumentVerifiesWithBouncyCastleAndOpenSsl(
            String provider, String algorithm, String digest) throws Exception {
        RawHttp.Response response = page.signDocument(provider, PIN, "投标文件.pdf", DOCUMENT);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("format").asString()).isEqualTo("CMS");
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        assertThat(body.get("digestAlgorithm").asString()).isEqualTo(digest);
        assertThat(body.get("chain").size()).isEqualTo(2);
        byte[] cms = Base64.getDecoder().decode(body.get("signature").asString());
        Credential user = USERS.get(provider);
        SignerInformation signer = new CMSSignedData(new CMSProcessableByteArray(DOCUMENT), cms)
                .getSignerInfos()
                .getSigners()
                .iterator()
                .next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(user.certificate())))
                .isTrue();
        assertThat(signer.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2))
                .isNotNull();
        String hex = HexFormat.of()
                .formatHex(MessageDigest.getInstance(digest, BouncyCastle.provider())
                        .digest(DOCUMENT));
        // The request's log line is written once the answer has gone out: wait for it, as a reader of the log would.
        assertThat(logged(line -> line.startsWith("POST /v1/sign-document origin=" + ORIGIN)
                        && line.contains("provider=" + provider)
                        && line.contains("DOCUMENT name=投标文件.pdf " + digest + "=" + hex + " " + algorithm)
                        && line.contains("-> 200 OK")))
                .as("the request's log line, in %s", LOG)
                .isTrue();

        assumeTrue(OpenSsl.isAvailable(), "OpenSSL CLI not installed: skipping the openssl check");
        Path work = Files.createTempDirectory(dir, "openssl");
        OpenSsl.Result signedAttributes = OpenSsl.verifySignedAttributes(work, user.certificate(), algorithm, cms);
        assertThat(signedAttributes.exitCode()).as(signedAttributes.output()).isZero();
        if (!provider.equals("CFCA")) { // OpenSSL 3.0's cms command cannot verify SM2
            OpenSsl.Result whole = OpenSsl.verifyCms(work, CAS.get(provider).root(), DOCUMENT, cms);
            assertThat(whole.exitCode()).as(whole.output()).isZero();
        }
    }

    @Test
    void signDocumentWhenWrongPinThenPinIncorrectAndNoSignature() throws Exception {
        RawHttp.Response response = page.signDocument("ZJHX", WRONG_PIN, "合同.pdf", DOCUMENT);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
        assertThat(response.json().get("message").asString()).isEqualTo("PIN 码错误");
        assertThat(response.json().has("signature")).isFalse();
    }

    @Test
    void signDocumentWhenNoKeyThenTokenNotFoundInTheSeedsWords() throws Exception {
        RawHttp.Response response = page.signDocument("EMPTY", PIN, "合同.pdf", DOCUMENT);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("TOKEN_NOT_FOUND");
        assertThat(response.json().get("message").asString()).isEqualTo("未检测到密钥盘");
    }

    @Test
    void signDocumentWhenForeignOriginOrNoOriginThenRefusedBeforeTheKey() throws Exception {
        RawHttp.Response foreign =
                page.withOrigin("https://evil.example.com").signDocument("ZJHX", PIN, "合同.pdf", DOCUMENT);
        RawHttp.Response none = page.withOrigin(null).signDocument("ZJHX", PIN, "合同.pdf", DOCUMENT);

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("code").asString()).isEqualTo("ORIGIN_NOT_ALLOWED");
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().get("code").asString()).isEqualTo("ORIGIN_NOT_ALLOWED");
    }

    @Test
    void signDocumentWhenSm2KeyAndOnlySha256SentThenBadRequestNamingTheDigest() throws Exception {
        String body = "{\"provider\":\"CFCA\",\"pin\":\"" + PIN + "\",\"documentName\":\"承诺函.pdf\","
                + "\"digests\":{\"SHA-256\":\"" + AgentClient.digest("SHA-256", DOCUMENT) + "\"}}";

        RawHttp.Response response = page.signDocumentBody(body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.json().get("message").asString()).contains("SM3 摘要");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"documentName\":\"a.pdf\"}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"digests\":{\"SHA-256\":\"AAAA\"}}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"documentName\":\"a.pdf\",\"digests\":{\"SHA-256\":\"AAAA\"}}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"documentName\":\"a.pdf\",\"digests\":{\"MD5\":\"AAAA\"}}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"documentName\":\"a.pdf\",\"digests\":{\"SHA-256\":\"*\"}}",
                "{\"provider\":\"ZJHX\",\"documentName\":\"a.pdf\",\"digests\":{}}",
                "[1]"
            })
    void signDocumentWhenBodyMalformedThenBadRequest(String body) throws Exception {
        RawHttp.Response response = page.signDocumentBody(body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).isEqualTo("BAD_REQUEST");
    }

    private static boolean logged(java.util.function.Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (LOG.stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
