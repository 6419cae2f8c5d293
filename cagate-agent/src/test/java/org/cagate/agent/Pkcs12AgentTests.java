package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
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
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

/** The real agent over HTTP with PKCS#12 files (EC, RSA, SM2): the API and its security checks. */
class Pkcs12AgentTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String OTHER_ORIGIN = "https://train.example.gov.cn";
    static final String PIN = "735194";
    static final String WRONG_PIN = "000731";

    @TempDir
    static Path dir;

    static final Map<String, TestCa> CAS = new java.util.HashMap<>();
    static final Map<String, Credential> USERS = new java.util.HashMap<>();
    static Agent agent;
    static AgentClient page;
    static final List<String> LOG = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG.add(record.getMessage() + " " + record.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void start() throws Exception {
        List<ProviderConfig> providers = new ArrayList<>();
        providers.add(soft("ZJHX", "浙江汇信CA", KeyAlgorithm.EC_P256));
        providers.add(soft("SCCA", "四川CA", KeyAlgorithm.RSA_2048));
        providers.add(soft("CFCA", "CFCA", KeyAlgorithm.SM2));
        providers.add(soft("TWCA", "天威CA", KeyAlgorithm.EC_P256));
        providers.add(ProviderConfig.pkcs12("EMPTY", "无证书", Files.createDirectories(dir.resolve("empty"))));
        AgentConfig config = AgentConfig.of(List.of(ORIGIN, OTHER_ORIGIN), providers)
                .withPort(0)
                .withWrongPinDelay(Duration.ofSeconds(1));
        Logger.getLogger("org.cagate.agent").addHandler(CAPTURE);
        agent = Agent.start(config);
        page = new AgentClient(agent.port(), ORIGIN);
    }

    private static ProviderConfig soft(String code, String name, KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider(code).algorithm(algorithm).withIntermediate().build();
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        Path folder = dir.resolve(code.toLowerCase());
        user.writePkcs12(folder.resolve("xizi.p12"), "xizi", PIN.toCharArray());
        CAS.put(code, ca);
        USERS.put(code, user);
        return ProviderConfig.pkcs12(code, name, folder);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("org.cagate.agent").removeHandler(CAPTURE);
        if (agent != null) {
            agent.close();
        }
        assertThat(LOG).isNotEmpty().noneMatch(line -> line.contains(PIN) || line.contains(WRONG_PIN));
    }

    @Test
    void statusWhenFilesPresentThenEveryProviderWithItsTokenState() throws Exception {
        RawHttp.Response response = page.get("/v1/status");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        JsonNode status = response.json();
        assertThat(status.get("product").asString()).isEqualTo("cagate-agent");
        assertThat(status.get("version").asString()).isNotBlank();
        JsonNode zjhx = status.get("providers").get(0);
        assertThat(zjhx.get("code").asString()).isEqualTo("ZJHX");
        assertThat(zjhx.get("name").asString()).isEqualTo("浙江汇信CA");
        assertThat(zjhx.get("backend").asString()).isEqualTo("PKCS12");
        assertThat(zjhx.get("tokenPresent").asBoolean()).isTrue();
        assertThat(status.get("providers").get(4).get("tokenPresent").asBoolean())
                .isFalse();
    }

    @Test
    void tokensWhenProviderGivenThenItsFilesAreListed() throws Exception {
        RawHttp.Response response = page.get("/v1/tokens?provider=ZJHX");

        assertThat(response.status()).isEqualTo(200);
        JsonNode tokens = response.json();
        assertThat(tokens.size()).isEqualTo(1);
        assertThat(tokens.get(0).get("id").asString()).isEqualTo("xizi.p12");
        assertThat(tokens.get(0).get("provider").asString()).isEqualTo("ZJHX");
        assertThat(tokens.get(0).get("label").asString()).isEqualTo("xizi");
        assertThat(tokens.get(0).has("certificates")).isTrue();
        assertThat(page.get("/v1/tokens?provider=EMPTY").json().size()).isZero();
        assertThat(page.get("/v1/tokens?provider=NOPE").json().get("code").asString())
                .isEqualTo("PROVIDER_UNKNOWN");
    }

    @ParameterizedTest
    @CsvSource({"ZJHX, RAW, SHA256withECDSA", "SCCA, RAW, SHA256withRSA", "CFCA, RAW, SM3withSM2"})
    void signRawWhenKeyOfEachTypeThenSignatureVerifiesWithTheCertificateAndOpenSsl(
            String provider, String format, String algorithm) throws Exception {
        byte[] challenge = AgentClient.challenge(ORIGIN, provider);

        RawHttp.Response response = page.sign(provider, PIN, challenge, format);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("format").asString()).isEqualTo("RAW");
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        X509Certificate certificate = certificate(body.get("certificate").asString());
        assertThat(certificate).isEqualTo(USERS.get(provider).certificate());
        assertThat(body.get("chain").size()).isEqualTo(2);
        assertThat(body.has("tokenSerial")).isFalse();
        byte[] signature = Base64.getDecoder().decode(body.get("signature").asString());
        Signature verifier = Signature.getInstance(algorithm, BouncyCastle.provider());
        verifier.initVerify(certificate);
        verifier.update(challenge);
        assertThat(verifier.verify(signature)).isTrue();
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL CLI not installed: skipping the openssl check");
        OpenSsl.Result openssl =
                OpenSsl.verifyRaw(Files.createTempDirectory(dir, "raw"), certificate, algorithm, challenge, signature);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
        assertThat(openssl.output()).contains("Verified OK");
    }

    @ParameterizedTest
    @CsvSource({"ZJHX, SHA256withECDSA, true", "SCCA, SHA256withRSA, true", "CFCA, SM3withSM2, false"})
    void signCmsWhenKeyOfEachTypeThenDetachedSignedDataVerifies(String provider, String algorithm, boolean byOpenSsl)
            throws Exception {
        byte[] challenge = AgentClient.challenge(ORIGIN, provider);

        RawHttp.Response response = page.sign(provider, PIN, challenge, "CMS");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("format").asString()).isEqualTo("CMS");
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        byte[] cms = Base64.getDecoder().decode(body.get("signature").asString());
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(challenge), cms);
        SignerInformation signer =
                signed.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(USERS.get(provider).certificate())))
                .isTrue();
        // OpenSSL 3.0's cms command does not verify SM2 signers; BC did above.
        assumeTrue(byOpenSsl && OpenSsl.isAvailable(), "openssl cms check not possible for " + algorithm);
        OpenSsl.Result openssl = OpenSsl.verifyCms(
                Files.createTempDirectory(dir, "cms"), CAS.get(provider).root(), challenge, cms);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
        assertThat(openssl.output()).contains("Verification successful");
    }

    @Test
    void signWhenPinWrongThenPinIncorrectAndTheNextTryWaitsForTheDelay() throws Exception {
        RawHttp.Response wrong = page.sign("TWCA", WRONG_PIN, "RAW");

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
        assertThat(wrong.json().get("message").asString()).contains("PIN");
        assertThat(wrong.json().has("retriesLeft")).isFalse(); // a file has no retry counter
        assertThat(wrong.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);

        long start = System.nanoTime();
        RawHttp.Response right = page.sign("TWCA", PIN, "RAW");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(right.status()).isEqualTo(200);
        assertThat(waitedMillis).isGreaterThanOrEqualTo(900);
        // The help desk reads what was asked, by whom, for which key, the outcome and the time taken.
        assertThat(LOG)
                .anyMatch(line -> line.matches("POST /v1/sign origin=" + ORIGIN
                        + " provider=TWCA token=xizi.p12 RAW LOGIN -> 401 PIN_INCORRECT \\(wrong PIN\\) \\d+ ms.*"));
    }

    @Test
    void signWhenOriginNotAllowedThenOriginNotAllowedAndNoCorsHeaders() throws Exception {
        AgentClient evil = page.withOrigin("https://evil.example.com");

        RawHttp.Response sign = evil.sign("ZJHX", PIN, AgentClient.challenge(ORIGIN, "ZJHX"), "RAW");
        RawHttp.Response status = evil.get("/v1/status");

        assertThat(sign.status()).isEqualTo(403);
        assertThat(sign.json().get("code").asString()).isEqualTo("ORIGIN_NOT_ALLOWED");
        assertThat(sign.header("Access-Control-Allow-Origin")).isNull();
        assertThat(status.status()).isEqualTo(403);
        assertThat(status.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void requestWhenHostHeaderIsNotLoopbackThenRefused() throws Exception {
        Map<String, String> rebinding = page.headers();
        rebinding.put("Host", "evil.example.com:" + page.port());

        RawHttp.Response status = RawHttp.send(page.port(), "GET", "/v1/status", rebinding, null);
        rebinding.put("Host", "127.0.0.1.evil.example.com");
        RawHttp.Response tokens = RawHttp.send(page.port(), "GET", "/v1/tokens", rebinding, null);
        rebinding.put("Host", "localhost:1");
        RawHttp.Response otherPort = RawHttp.send(page.port(), "GET", "/v1/status", rebinding, null);

        assertThat(List.of(status, tokens, otherPort)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().get("code").asString()).isEqualTo("ORIGIN_NOT_ALLOWED");
        });
        rebinding.put("Host", "localhost:" + page.port());
        assertThat(RawHttp.send(page.port(), "GET", "/v1/status", rebinding, null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void signWhenChallengeIsForAnotherOriginThenOriginMismatch() throws Exception {
        // Both origins are allowed; the page of one may not obtain a signature over the other's challenge.
        AgentClient other = page.withOrigin(OTHER_ORIGIN);

        RawHttp.Response response = other.sign("ZJHX", PIN, AgentClient.challenge(ORIGIN, "ZJHX"), "RAW");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("code").asString()).isEqualTo("ORIGIN_MISMATCH");
    }

    @Test
    void signWhenBytesAreNotAChallengeThenNotAChallenge() throws Exception {
        byte[] arbitrary = "请向账户 6222 转账 10000 元".getBytes(StandardCharsets.UTF_8);
        byte[] crlf = new String(AgentClient.challenge(ORIGIN, "ZJHX"), StandardCharsets.UTF_8)
                .replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] forOtherProvider = AgentClient.challenge(ORIGIN, "SCCA");

        assertThat(List.of(
                        page.sign("ZJHX", PIN, arbitrary, "RAW"),
                        page.sign("ZJHX", PIN, crlf, "CMS"),
                        page.sign("ZJHX", PIN, forOtherProvider, "RAW")))
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.json().get("code").asString()).isEqualTo("NOT_A_CHALLENGE");
                });
    }

    @Test
    void signWhenProviderUnknownOrNoTokenThenTypedErrors() throws Exception {
        RawHttp.Response unknown = page.sign("NOPE", PIN, "RAW");
        RawHttp.Response empty = page.sign("EMPTY", PIN, "RAW");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("PROVIDER_UNKNOWN");
        assertThat(empty.status()).isEqualTo(404);
        assertThat(empty.json().get("code").asString()).isEqualTo("TOKEN_NOT_FOUND");
        assertThat(empty.json().get("message").asString()).isEqualTo("未检测到密钥盘");
    }

    @Test
    void preflightWhenAllowedOriginAsksForPrivateNetworkThenGranted() throws Exception {
        Map<String, String> headers = page.headers();
        headers.put("Access-Control-Request-Method", "POST");
        headers.put("Access-Control-Request-Headers", "content-type");
        headers.put("Access-Control-Request-Private-Network", "true");

        RawHttp.Response allowed = RawHttp.send(page.port(), "OPTIONS", "/v1/sign", headers, null);
        headers.put("Origin", "https://evil.example.com");
        RawHttp.Response foreign = RawHttp.send(page.port(), "OPTIONS", "/v1/sign", headers, null);

        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(allowed.header("Access-Control-Allow-Private-Network")).isEqualTo("true");
        assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(allowed.header("Access-Control-Allow-Headers")).containsIgnoringCase("content-type");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
        assertThat(foreign.header("Access-Control-Allow-Private-Network")).isNull();
    }

    @Test
    void signWhenRequestIsMalformedThenBadRequestNeverServerError() throws Exception {
        byte[] huge = new byte[70 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        Map<String, String> plain = page.headers();
        plain.put("Content-Type", "text/plain");

        List<RawHttp.Response> responses = List.of(
                page.signBody("not json".getBytes(StandardCharsets.UTF_8)),
                page.signBody("{\"provider\":\"ZJHX\"}".getBytes(StandardCharsets.UTF_8)),
                page.signBody(("{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"%%%\",\"format\":\"RAW\"}")
                        .getBytes(StandardCharsets.UTF_8)),
                page.signBody(("{\"provider\":\"ZJHX\",\"pin\":1,\"toBeSigned\":\"\",\"format\":\"RAW\"}")
                        .getBytes(StandardCharsets.UTF_8)),
                page.signBody(("{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"\",\"format\":\"PDF\"}")
                        .getBytes(StandardCharsets.UTF_8)),
                page.signBody(huge),
                page.post("/v1/sign", plain, "{}".getBytes(StandardCharsets.UTF_8)),
                page.post("/v1/status", page.headers(), new byte[0]));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("code").asString()).isEqualTo("BAD_REQUEST");
        });
        assertThat(page.get("/v1/nothing").json().get("code").asString()).isEqualTo("NOT_FOUND");
        RawHttp.Response head = RawHttp.send(page.port(), "HEAD", "/v1/status", page.headers(), null);
        assertThat(head.status()).isEqualTo(400);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void statusWhenNoOriginThenAnsweredWithoutCorsHeaders() throws Exception {
        RawHttp.Response response = page.withOrigin(null).get("/v1/status");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        assertThat(page.withOrigin(null)
                        .sign("ZJHX", PIN, AgentClient.challenge(ORIGIN, "ZJHX"), "RAW")
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("ORIGIN_NOT_ALLOWED");
    }

    @Test
    void listenWhenStartedThenBoundTo127001Only() {
        // Checked on the socket itself: no traffic is sent to this machine's other addresses.
        assertThat(agent.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(agent.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void requestWhenClientSendsTooSlowlyThenTheConnectionIsCut() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), page.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            // Headers never finished, as a slow-loris client does (tests cut after 2 s, the agent after 10 s).
            out.write(("POST /v1/sign HTTP/1.1\r\nHost: 127.0.0.1:" + page.port() + "\r\nOrigin: " + ORIGIN + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }

            assertThat(read).isEqualTo(-1);
        }
    }

    @Test
    void signWhenClientStopsSendingTheBodyThenLoggedAsClientTimeoutNotAgentError() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), page.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            // Headers complete, body promised but only begun: the handler waits for the rest until the cut.
            out.write(("POST /v1/sign HTTP/1.1\r\nHost: 127.0.0.1:" + page.port() + "\r\nOrigin: " + ORIGIN
                            + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"provider\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                while (socket.getInputStream().read() >= 0) {
                    // the agent closes the connection
                }
            } catch (java.net.SocketException reset) {
                // closed
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (LOG.stream().noneMatch(line -> line.startsWith("POST /v1/sign") && line.contains("CLIENT_TIMEOUT"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(LOG)
                .anyMatch(line ->
                        line.startsWith("POST /v1/sign origin=" + ORIGIN) && line.contains("-> 408 CLIENT_TIMEOUT"))
                .noneMatch(line -> line.startsWith("POST /v1/sign") && line.contains("500 AGENT_ERROR"));
    }

    static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                .generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }
}
