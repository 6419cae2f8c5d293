package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.revocation.RevocationChecker;
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

/**
 * The real agent, in its own JVM, over HTTP against SoftHSM2 tokens written by cagate-testca: one token
 * per provider, so that PIN delays, locks and unplugging in one test leave the others alone.
 */
class Pkcs11AgentTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "482915";
    static final String WRONG_PIN = "000999";

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
        token(hsm, config, "ZJHX", "浙江汇信CA", KeyAlgorithm.EC_P256, "330400007180230A");
        token(hsm, config, "SCCA", "四川CA", KeyAlgorithm.RSA_2048, "510100000000000B");
        token(hsm, config, "TWCA", "天威CA", KeyAlgorithm.EC_P256, "110100000000000C");
        token(hsm, config, "CFCA", "CFCA", KeyAlgorithm.EC_P256, "110100000000000D");
        token(hsm, config, "BJCA", "北京CA", KeyAlgorithm.EC_P256, "110100000000000E");
        token(hsm, config, "HBCA", "湖北CA", KeyAlgorithm.EC_P256, "420100000000000F");
        token(hsm, config, "GDCA", "广东CA", KeyAlgorithm.EC_P256, "4401000000000010");
        Path file = Files.writeString(dir.resolve("agent.properties"), config, StandardCharsets.UTF_8);
        agent = AgentProcess.start(file, hsm.environment());
        page = new AgentClient(agent.port(), ORIGIN);
    }

    private static void token(
            SoftHsm2 hsm, StringBuilder config, String code, String name, KeyAlgorithm algorithm, String serial) {
        TestCa ca =
                TestPki.provider(code).algorithm(algorithm).withIntermediate().build();
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        SoftHsmToken token = hsm.initToken(code + "-KEY", "87654321", PIN).setSerial(serial);
        token.write(user, "西子");
        CAS.put(code, ca);
        USERS.put(code, user);
        TOKENS.put(code, token);
        String p = "provider." + code + ".";
        config.append(p + "name=" + name + "\n")
                .append(p + "backend=pkcs11\n")
                .append(p + "pkcs11.library=" + SoftHsm2.library() + "\n")
                .append(p + "pkcs11.tokenLabel=" + code + "-KEY\n")
                .append(p + "maxPinRetries=6\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
            assertThat(agent.output())
                    .contains("POST /v1/sign")
                    .doesNotContain(PIN)
                    .doesNotContain(WRONG_PIN);
        }
    }

    @Test
    void statusWhenTokensPluggedInThenPresentWithPkcs11Backend() throws Exception {
        JsonNode status = page.get("/v1/status").json();

        JsonNode zjhx = provider(status, "ZJHX");
        assertThat(zjhx.get("name").asString()).isEqualTo("浙江汇信CA");
        assertThat(zjhx.get("backend").asString()).isEqualTo("PKCS11");
        assertThat(zjhx.get("tokenPresent").asBoolean()).isTrue();
        assertThat(provider(status, "SCCA").get("tokenPresent").asBoolean()).isTrue();
    }

    @Test
    void tokensWhenProviderGivenThenTheTokenWithItsSerialAndUserCertificate() throws Exception {
        JsonNode tokens = page.get("/v1/tokens?provider=ZJHX").json();

        assertThat(tokens.size()).isEqualTo(1);
        JsonNode token = tokens.get(0);
        assertThat(token.get("id").asString()).isEqualTo("330400007180230A");
        assertThat(token.get("serial").asString()).isEqualTo("330400007180230A");
        assertThat(token.get("label").asString()).isEqualTo("ZJHX-KEY");
        assertThat(token.get("provider").asString()).isEqualTo("ZJHX");
        JsonNode certificate = token.get("certificates").get(0);
        assertThat(token.get("certificates").size()).isEqualTo(1); // the CA certificates are left out
        X509Certificate user = USERS.get("ZJHX").certificate();
        assertThat(certificate.get("id").asString()).isEqualTo(Certificates.id(user));
        assertThat(certificate.get("subject").asString()).contains("CN=西子");
        assertThat(certificate.get("serialNumber").asString())
                .isEqualTo(user.getSerialNumber().toString(16).toUpperCase());
        assertThat(certificate.get("notAfter").asString())
                .isEqualTo(user.getNotAfter().toInstant().toString());
        assertThat(Pkcs12AgentTests.certificate(certificate.get("der").asString()))
                .isEqualTo(user);
    }

    @ParameterizedTest
    @CsvSource({
        "ZJHX, RAW, SHA256withECDSA",
        "SCCA, RAW, SHA256withRSA",
        "ZJHX, CMS, SHA256withECDSA",
        "SCCA, CMS, SHA256withRSA"
    })
    void signWhenRightPinThenSignatureVerifiesWithOpenSslAndCarriesTheTokenSerial(
            String provider, String format, String algorithm) throws Exception {
        byte[] challenge = AgentClient.challenge(ORIGIN, provider);

        RawHttp.Response response = page.sign(provider, PIN, challenge, format);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("format").asString()).isEqualTo(format);
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        assertThat(body.get("tokenSerial").asString())
                .isEqualTo(TOKENS.get(provider).serial());
        assertThat(Pkcs12AgentTests.certificate(body.get("certificate").asString()))
                .isEqualTo(USERS.get(provider).certificate());
        assertThat(body.get("chain").size()).isEqualTo(2);
        byte[] signature = Base64.getDecoder().decode(body.get("signature").asString());
        if (format.equals("RAW")) {
            Signature verifier = Signature.getInstance(algorithm, BouncyCastle.provider());
            verifier.initVerify(USERS.get(provider).certificate());
            verifier.update(challenge);
            assertThat(verifier.verify(signature)).isTrue();
        }
        // The server's verifier accepts what SunPKCS11 signed, as it accepts software keys (VerifierInteropTests).
        ProviderPolicy policy = new ProviderPolicy(
                provider,
                TrustAnchors.of(List.of(CAS.get(provider).root())),
                IdentityRule.SPKI_SHA256,
                RevocationPolicy.NONE);
        Clock clock = Clock.systemUTC();
        new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom()))
                .verify(VerifierInteropTests.assertion(body), challenge, policy);
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL CLI not installed: skipping the openssl check");
        Path work = Files.createTempDirectory(dir, "openssl");
        OpenSsl.Result openssl = format.equals("RAW")
                ? OpenSsl.verifyRaw(work, USERS.get(provider).certificate(), algorithm, challenge, signature)
                : OpenSsl.verifyCms(work, CAS.get(provider).root(), challenge, signature);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
    }

    @Test
    void signWhenRightPinThenWrongPinThenPinIncorrectWithRetriesLeftNotASignature() throws Exception {
        assertThat(page.sign("TWCA", PIN, "RAW").status()).isEqualTo(200);

        RawHttp.Response wrong = page.sign("TWCA", WRONG_PIN, "RAW");
        RawHttp.Response wrongAgain = page.sign("TWCA", WRONG_PIN, "CMS");

        // The login of the first request was logged out: the wrong PIN does not ride on it.
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
        assertThat(wrong.json().get("retriesLeft").asInt()).isEqualTo(5);
        assertThat(wrong.json().has("signature")).isFalse();
        assertThat(wrongAgain.json().get("retriesLeft").asInt()).isEqualTo(4);
        assertThat(page.sign("TWCA", PIN, "RAW").status()).isEqualTo(200);
        assertThat(page.sign("TWCA", WRONG_PIN, "RAW").json().get("retriesLeft").asInt())
                .isEqualTo(5);
    }

    @Test
    void signWhenTokenReportsFinalTryOrLockedThenRetriesLeftOneOrPinLocked() throws Exception {
        TOKENS.get("CFCA").reportPinState(SoftHsmToken.ReportedPinState.FINAL_TRY);
        RawHttp.Response finalTry = page.signConfirmingFinalTry("CFCA", WRONG_PIN, "RAW");
        TOKENS.get("CFCA").reportPinState(SoftHsmToken.ReportedPinState.LOCKED);
        RawHttp.Response locked = page.sign("CFCA", PIN, "RAW");

        assertThat(finalTry.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
        assertThat(finalTry.json().get("retriesLeft").asInt()).isEqualTo(1);
        // SoftHSM2 would still accept the right PIN; the agent does not try a PIN on a key that says locked.
        assertThat(locked.status()).isEqualTo(423);
        assertThat(locked.json().get("code").asString()).isEqualTo("PIN_LOCKED");
        assertThat(locked.json().get("retriesLeft").asInt()).isZero();
    }

    @Test
    void signWhenTokenReportsFinalTryThenNoPinTriedUntilTheRequestSaysTheUserConfirmed() throws Exception {
        SoftHsmToken token = TOKENS.get("GDCA");
        token.reportPinState(SoftHsmToken.ReportedPinState.FINAL_TRY);
        try {
            // The right PIN: had the agent tried it, the key would have signed.
            RawHttp.Response unconfirmed = page.sign("GDCA", PIN, "RAW");
            RawHttp.Response confirmed = page.signConfirmingFinalTry("GDCA", PIN, "RAW");

            assertThat(unconfirmed.status()).as(unconfirmed.text()).isEqualTo(409);
            assertThat(unconfirmed.json().get("code").asString()).isEqualTo("PIN_FINAL_TRY");
            assertThat(unconfirmed.json().get("retriesLeft").asInt()).isEqualTo(1);
            assertThat(unconfirmed.json().get("message").asString()).contains("最后一次机会");
            assertThat(unconfirmed.json().has("signature")).isFalse();
            assertThat(confirmed.status()).as(confirmed.text()).isEqualTo(200);
            assertThat(confirmed.json().get("signature").asString()).isNotEmpty();
        } finally {
            token.reportPinState(SoftHsmToken.ReportedPinState.OK);
        }
        assertThat(page.sign("GDCA", PIN, "RAW").status())
                .as("a key with tries left needs no confirmation")
                .isEqualTo(200);
    }

    @Test
    void signWhenTokenUnpluggedThenTokenNotFoundAndWhenPluggedBackThenSignsAgain() throws Exception {
        SoftHsmToken token = TOKENS.get("BJCA");
        assertThat(page.sign("BJCA", PIN, "RAW").status()).isEqualTo(200);

        token.unplug();
        RawHttp.Response removed = page.sign("BJCA", PIN, "RAW");
        boolean presentWhileOut = provider(page.get("/v1/status").json(), "BJCA")
                .get("tokenPresent")
                .asBoolean();
        JsonNode tokensWhileOut = page.get("/v1/tokens?provider=BJCA").json();
        token.plug();
        RawHttp.Response back = page.sign("BJCA", PIN, "CMS");

        assertThat(removed.status()).isEqualTo(404);
        assertThat(removed.json().get("code").asString()).isEqualTo("TOKEN_NOT_FOUND");
        assertThat(removed.json().get("message").asString()).isEqualTo("未检测到密钥盘");
        assertThat(presentWhileOut).isFalse();
        assertThat(tokensWhileOut.size()).isZero();
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        assertThat(provider(page.get("/v1/status").json(), "ZJHX")
                        .get("tokenPresent")
                        .asBoolean())
                .isTrue();
        assertThat(page.sign("ZJHX", PIN, "RAW").status()).isEqualTo(200); // the rescan left others working
    }

    @Test
    void diagnoseWhenTokensPluggedInThenPrintsModuleTokensPinStateAndCertificateExpiry() throws Exception {
        TOKENS.get("SCCA").reportPinState(SoftHsmToken.ReportedPinState.COUNT_LOW);
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(AgentProcess.JVM_ACCESS.split(" ")));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                "--config",
                dir.resolve("agent.properties").toString(),
                "--diagnose"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(SoftHsm2.create(dir.resolve("softhsm")).environment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output)
                .contains("module loaded: SoftHSM")
                .contains("token \"SCCA-KEY\" serial 510100000000000B")
                .contains("PIN: wrong PIN entered since the last right one")
                .contains("certificate CN=西子")
                .contains("days left")
                .doesNotContain(PIN);
        TOKENS.get("SCCA").reportPinState(SoftHsmToken.ReportedPinState.OK);
    }

    @Test
    void signWhenRightAndWrongPinsArriveInParallelThenEachGetsItsOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<RawHttp.Response>> right = new ArrayList<>();
            List<Future<RawHttp.Response>> wrong = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                right.add(pool.submit(() -> page.sign("ZJHX", PIN, "RAW")));
                wrong.add(pool.submit(() -> page.sign("HBCA", WRONG_PIN, "RAW")));
                right.add(pool.submit(() -> page.sign("SCCA", PIN, "CMS")));
            }

            for (Future<RawHttp.Response> r : right) {
                assertThat(r.get().status()).as(r.get().text()).isEqualTo(200);
            }
            for (Future<RawHttp.Response> w : wrong) {
                assertThat(w.get().json().get("code").asString()).isEqualTo("PIN_INCORRECT");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode provider(JsonNode status, String code) {
        for (JsonNode provider : status.get("providers")) {
            if (provider.get("code").asString().equals(code)) {
                return provider;
            }
        }
        throw new AssertionError("no provider " + code + " in " + status);
    }
}
