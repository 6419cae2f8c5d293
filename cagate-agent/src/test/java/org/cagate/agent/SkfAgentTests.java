package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.softskf.SoftSkf;
import org.cagate.testca.softskf.SoftSkfDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The real agent over HTTP with 国密 USB keys through the SKF API: JNA calls the soft SKF token (C, on
 * OpenSSL 3; cagate-testca) exactly as it would call a CA company's driver. One token installation per
 * provider, so PIN counters, locks and unplugging in one test leave the others alone. Every signature is
 * checked by the OpenSSL command line as an independent peer, and by the server's verifier.
 */
class SkfAgentTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "615243";
    static final String WRONG_PIN = "000615";
    static final String APP = "GM_APP";

    @TempDir
    static Path dir;

    static final Map<String, TestCa> CAS = new HashMap<>();
    static final Map<String, Credential> USERS = new HashMap<>();
    static final Map<String, SoftSkfDevice> DEVICES = new HashMap<>();
    static final Map<String, SoftSkf> INSTALLATIONS = new HashMap<>();
    static final Map<String, ProviderConfig> PROVIDERS = new HashMap<>();
    static Agent agent;
    static AgentClient page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(SoftSkf.isAvailable(), SoftSkf.unavailableReason());
        List<ProviderConfig> providers = new ArrayList<>();
        providers.add(key("SCCA", "四川CA", KeyAlgorithm.SM2, "510100000000001S"));
        providers.add(key("TWCA", "天威CA", KeyAlgorithm.RSA_2048, "110100000000002R"));
        providers.add(key("HBCA", "湖北CA", KeyAlgorithm.SM2, "420100000000003W"));
        providers.add(key("BJCA", "北京CA", KeyAlgorithm.SM2, "110100000000004L"));
        providers.add(key("CFCA", "CFCA", KeyAlgorithm.SM2, "110100000000005U"));
        providers.add(key("ZJHX", "浙江汇信CA", KeyAlgorithm.SM2, "330400000000006M"));
        providers.add(ProviderConfig.skf("GONE", "未安装驱动", dir.resolve("no-such-driver/libskf.so")));
        AgentConfig config =
                AgentConfig.of(List.of(ORIGIN), providers).withPort(0).withWrongPinDelay(Duration.ofMillis(200));
        agent = Agent.start(config);
        page = new AgentClient(agent.port(), ORIGIN);
    }

    private static ProviderConfig key(String code, String name, KeyAlgorithm algorithm, String serial) {
        // SKF keys hold the user's certificate only, so these CAs issue from the root the platform trusts.
        TestCa ca = TestPki.provider(code).algorithm(algorithm).build();
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        SoftSkf skf = SoftSkf.create(dir.resolve("skf-" + code));
        SoftSkfDevice device = skf.device(code + "-KEY", serial);
        device.application(APP, PIN, 6).container(algorithm == KeyAlgorithm.SM2 ? "SM2_SIGN" : "RSA_SIGN", user);
        CAS.put(code, ca);
        USERS.put(code, user);
        DEVICES.put(code, device);
        INSTALLATIONS.put(code, skf);
        ProviderConfig provider = ProviderConfig.skf(code, name, skf.library());
        PROVIDERS.put(code, provider);
        return provider;
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void statusAndTokensWhenKeyPluggedInThenSkfBackendWithDeviceSerialAndSigningCertificate() throws Exception {
        JsonNode status = page.get("/v1/status").json();
        JsonNode tokens = page.get("/v1/tokens?provider=SCCA").json();

        JsonNode scca = provider(status, "SCCA");
        assertThat(scca.get("backend").asString()).isEqualTo("SKF");
        assertThat(scca.get("tokenPresent").asBoolean()).isTrue();
        assertThat(provider(status, "GONE").get("tokenPresent").asBoolean()).isFalse();
        assertThat(tokens.size()).isEqualTo(1);
        JsonNode token = tokens.get(0);
        assertThat(token.get("id").asString()).isEqualTo("510100000000001S");
        assertThat(token.get("serial").asString()).isEqualTo("510100000000001S");
        assertThat(token.get("label").asString()).isEqualTo("SCCA-KEY");
        JsonNode certificate = token.get("certificates").get(0);
        assertThat(certificate.get("id").asString())
                .isEqualTo(Certificates.id(USERS.get("SCCA").certificate()));
        assertThat(certificate.get("subject").asString()).contains("CN=西子");
    }

    @ParameterizedTest
    @CsvSource({"SCCA, RAW, SM3withSM2", "SCCA, CMS, SM3withSM2", "TWCA, RAW, SHA256withRSA", "TWCA, CMS, SHA256withRSA"
    })
    void signWhenRightPinThenOpenSslVerifiesAndTheServerAcceptsTheAssertion(
            String provider, String format, String algorithm) throws Exception {
        byte[] challenge = AgentClient.challenge(ORIGIN, provider);

        RawHttp.Response response = page.sign(provider, PIN, challenge, format);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        assertThat(body.get("tokenSerial").asString()).isEqualTo(serial(provider));
        assertThat(Pkcs12AgentTests.certificate(body.get("certificate").asString()))
                .isEqualTo(USERS.get(provider).certificate());
        byte[] signature = Base64.getDecoder().decode(body.get("signature").asString());
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
                : verifyCmsSignerInfo(work, provider, algorithm, challenge, signature);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
        assertThat(openssl.output()).contains("Verified OK");
    }

    /**
     * OpenSSL 3.0's cms command cannot verify SM2, so the SignerInfo is checked in two steps: the
     * messageDigest attribute equals OpenSSL's digest of the challenge, and the signature verifies with
     * {@code openssl dgst} over the DER of the signed attributes.
     */
    private static OpenSsl.Result verifyCmsSignerInfo(
            Path work, String provider, String algorithm, byte[] challenge, byte[] cms) throws Exception {
        SignerInformation signer =
                new CMSSignedData(cms).getSignerInfos().getSigners().iterator().next();
        Attribute digest = signer.getSignedAttributes().get(CMSAttributes.messageDigest);
        byte[] messageDigest = ASN1OctetString.getInstance(
                        digest.getAttrValues().getObjectAt(0))
                .getOctets();
        Path data = Files.write(work.resolve("challenge.bin"), challenge);
        Process dgst = new ProcessBuilder(
                        "openssl",
                        "dgst",
                        algorithm.equals("SM3withSM2") ? "-sm3" : "-sha256",
                        "-binary",
                        data.toString())
                .start();
        assertThat(dgst.getInputStream().readAllBytes()).isEqualTo(messageDigest);
        return OpenSsl.verifyRaw(
                work,
                USERS.get(provider).certificate(),
                algorithm,
                signer.getEncodedSignedAttributes(),
                signer.getSignature());
    }

    @Test
    void signDocumentWhenSm2KeyOnSkfThenCmsOverTheDocumentWithItsSm3DigestVerifies() throws Exception {
        byte[] document = "%PDF-1.7 投标文件 of 西子".getBytes(StandardCharsets.UTF_8);

        RawHttp.Response response = page.signDocument("SCCA", PIN, "投标文件.pdf", document);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("algorithm").asString()).isEqualTo("SM3withSM2");
        assertThat(response.json().get("digestAlgorithm").asString()).isEqualTo("SM3");
        byte[] cms = Base64.getDecoder().decode(response.json().get("signature").asString());
        SignerInformation signer = new CMSSignedData(new CMSProcessableByteArray(document), cms)
                .getSignerInfos()
                .getSigners()
                .iterator()
                .next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(USERS.get("SCCA").certificate())))
                .isTrue();
    }

    @Test
    void signWhenWrongPinThenRetriesCountDownOnTheKeyAndTheRightPinResetsThem() throws Exception {
        SoftSkfDevice.Application app = DEVICES.get("HBCA").application(APP);

        RawHttp.Response first = page.sign("HBCA", WRONG_PIN, "RAW");
        int leftOnKeyAfterFirst = app.retriesLeft();
        long beforeSecond = System.nanoTime();
        RawHttp.Response second = page.sign("HBCA", WRONG_PIN, "CMS");
        long secondMillis = (System.nanoTime() - beforeSecond) / 1_000_000;
        int leftOnKeyAfterSecond = app.retriesLeft();
        RawHttp.Response right = page.sign("HBCA", PIN, "RAW");

        assertThat(first.status()).isEqualTo(401);
        assertThat(first.json().get("code").asString()).isEqualTo("PIN_INCORRECT");
        assertThat(first.json().get("retriesLeft").asInt()).isEqualTo(5);
        assertThat(first.json().get("message").asString()).isEqualTo("PIN 码错误，还可尝试 5 次");
        assertThat(first.json().has("signature")).isFalse();
        assertThat(leftOnKeyAfterFirst).isEqualTo(5);
        assertThat(second.json().get("retriesLeft").asInt()).isEqualTo(4);
        // The wrong-PIN delay (200 ms here) holds the next try on this key, as on PKCS#11 keys.
        assertThat(secondMillis).isGreaterThanOrEqualTo(150);
        assertThat(leftOnKeyAfterSecond).isEqualTo(4);
        assertThat(right.status()).as(right.text()).isEqualTo(200);
        assertThat(app.retriesLeft()).isEqualTo(6);
        // The right PIN's login was cleared (SKF_ClearSecureState): a wrong PIN now gets no signature.
        assertThat(page.sign("HBCA", WRONG_PIN, "RAW").json().get("retriesLeft").asInt())
                .isEqualTo(5);
        assertThat(page.sign("HBCA", PIN, "RAW").status()).isEqualTo(200);
    }

    @Test
    void signWhenLastTryIsWrongThenPinLockedAndThenNoPinIsTriedOnTheLockedKey() throws Exception {
        SoftSkfDevice.Application app = DEVICES.get("BJCA").application(APP).retriesLeft(1);

        // The key's final try: no PIN is sent to it until the person confirmed it (the page's 最后一次机会).
        int refusalsBefore = app.refusals();
        RawHttp.Response unconfirmed = page.sign("BJCA", PIN, "RAW");
        assertThat(unconfirmed.status()).isEqualTo(409);
        assertThat(unconfirmed.json().get("code").asString()).isEqualTo("PIN_FINAL_TRY");
        assertThat(unconfirmed.json().get("retriesLeft").asInt()).isEqualTo(1);
        assertThat(app.retriesLeft()).isEqualTo(1);
        assertThat(app.refusals()).isEqualTo(refusalsBefore);

        RawHttp.Response lastTry = page.signConfirmingFinalTry("BJCA", WRONG_PIN, "RAW");
        int refusalsWhenLocked = app.refusals();
        RawHttp.Response rightPinOnLockedKey = page.sign("BJCA", PIN, "CMS");

        assertThat(lastTry.status()).isEqualTo(423);
        assertThat(lastTry.json().get("code").asString()).isEqualTo("PIN_LOCKED");
        assertThat(lastTry.json().get("retriesLeft").asInt()).isZero();
        assertThat(rightPinOnLockedKey.status()).isEqualTo(423);
        assertThat(rightPinOnLockedKey.json().get("code").asString()).isEqualTo("PIN_LOCKED");
        assertThat(rightPinOnLockedKey.json().get("message").asString()).isEqualTo("PIN 码已锁定，请联系 CA 服务商解锁");
        assertThat(app.refusals()).as("PINs the key refused").isEqualTo(refusalsWhenLocked);
        assertThat(app.retriesLeft()).isZero();
    }

    @Test
    void signWhenDoneThenTheKeyAsksForThePinAgainWhoeverCallsTheLibraryNext() throws Exception {
        assertThat(page.sign("SCCA", PIN, "CMS").status()).isEqualTo(200);
        Skf skf = Skf.load(INSTALLATIONS.get("SCCA").library());
        byte[] e = new byte[32];

        skf.lock().lock();
        try {
            Pointer device = skf.connect(skf.devices().get(0));
            Pointer app = skf.openApplication(device, APP.getBytes(StandardCharsets.US_ASCII));
            Pointer container = skf.openContainer(app, "SM2_SIGN".getBytes(StandardCharsets.US_ASCII));
            try {
                // The key keeps a verified PIN for its application, for every caller, until
                // SKF_ClearSecureState: the agent's request left it locked.
                assertThatThrownBy(() -> skf.eccSign(container, e))
                        .isInstanceOfSatisfying(
                                SkfException.class, x -> assertThat(x.code()).isEqualTo(Sar.USER_NOT_LOGGED_IN));
                skf.verifyPin(app, PIN.toCharArray());
                assertThat(skf.eccSign(container, e)).hasSize(128);
            } finally {
                skf.clearSecureState(app);
                skf.closeContainer(container);
                skf.closeApplication(app);
                skf.disconnect(device);
            }
        } finally {
            skf.lock().unlock();
        }
    }

    @Test
    void signWhenKeyPulledOutThenTokenNotFoundAndWhenPutBackThenSignsAgain() throws Exception {
        SoftSkfDevice device = DEVICES.get("CFCA");
        assertThat(page.sign("CFCA", PIN, "RAW").status()).isEqualTo(200);

        device.unplug();
        RawHttp.Response removed = page.sign("CFCA", PIN, "RAW");
        boolean presentWhileOut = provider(page.get("/v1/status").json(), "CFCA")
                .get("tokenPresent")
                .asBoolean();
        JsonNode tokensWhileOut = page.get("/v1/tokens?provider=CFCA").json();
        device.plugIn();
        RawHttp.Response back = page.sign("CFCA", PIN, "CMS");

        assertThat(removed.status()).isEqualTo(404);
        assertThat(removed.json().get("code").asString()).isEqualTo("TOKEN_NOT_FOUND");
        assertThat(removed.json().get("message").asString()).isEqualTo("未检测到密钥盘");
        assertThat(presentWhileOut).isFalse();
        assertThat(tokensWhileOut.size()).isZero();
        assertThat(back.status()).as(back.text()).isEqualTo(200);
    }

    @Test
    void signWhenKeyPulledOutAfterThePinWasVerifiedThenTokenNotFoundAndNothingStaysUnlocked() throws Exception {
        SoftSkfDevice device = DEVICES.get("ZJHX");
        // The CMS signing time is read after SKF_VerifyPIN and SKF_OpenContainer, just before
        // SKF_ECCSignData: the key leaves the USB port at that moment.
        AtomicInteger reads = new AtomicInteger();
        Clock pullsTheKeyOut = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (reads.incrementAndGet() == 2) {
                    device.unplug();
                }
                return Instant.now();
            }
        };
        SkfBackend backend = new SkfBackend(PROVIDERS.get("ZJHX"), pullsTheKeyOut);
        Token token = backend.token(null);

        assertThatThrownBy(() -> backend.sign(
                        token,
                        null,
                        PIN.toCharArray(),
                        Signing.challenge(AgentClient.challenge(ORIGIN, "ZJHX"), SignatureFormat.CMS),
                        true))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_NOT_FOUND);
                    assertThat(e.detail()).contains("SKF_ECCSignData answered SAR_DEVICE_REMOVED (0x0A000023)");
                });
        device.plugIn();
        assertThat(page.sign("ZJHX", WRONG_PIN, "RAW").json().get("code").asString())
                .isEqualTo("PIN_INCORRECT");
        assertThat(page.sign("ZJHX", PIN, "RAW").status()).isEqualTo(200);
    }

    @Test
    void signWhenTheKeyAnswersAnotherSarCodeThenAgentErrorNamingTheFunctionAndTheCode() throws Exception {
        Credential user = TestPki.provider("ODD").sm2().build().user("西子").issue();
        SoftSkf skf = SoftSkf.create(dir.resolve("skf-odd"));
        SoftSkfDevice device = skf.device("ODD-KEY", "990000000000010K");
        device.application(APP, PIN, 6).container("SM2_SIGN", user);
        Path key = device.folder().resolve(APP + "/SM2_SIGN/sign.key.pem");
        // The key file goes away between SKF_OpenContainer and SKF_ECCSignData (the CMS signing time is
        // read in between): the token answers SAR_KEYNOTFOUNTERR, a code the agent has no page error for.
        AtomicInteger reads = new AtomicInteger();
        Clock losesTheKey = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (reads.incrementAndGet() == 2) {
                    try {
                        Files.delete(key);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return Instant.now();
            }
        };
        SkfBackend backend = new SkfBackend(ProviderConfig.skf("ODD", "ODD", skf.library()), losesTheKey);
        Token token = backend.token(null);

        assertThatThrownBy(() -> backend.sign(
                        token,
                        null,
                        PIN.toCharArray(),
                        Signing.challenge(AgentClient.challenge(ORIGIN, "ODD"), SignatureFormat.CMS),
                        true))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AGENT_ERROR);
                    assertThat(e.detail()).contains("SKF_ECCSignData answered SAR_KEYNOTFOUNTERR (0x0A00001B)");
                    assertThat(e.clientMessage()).isEqualTo("CA 驱动内部错误，请查看驱动日志或联系客服");
                });
        assertThat(Sar.name(0x0B000033)).isEqualTo("vendor code 0x0B000033");
    }

    @Test
    void signWhenTwoRequestsArriveTogetherOnOneKeyThenBothAreSignedOneAfterTheOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String format = i % 2 == 0 ? "RAW" : "CMS";
                answers.add(pool.submit((Callable<RawHttp.Response>) () -> page.sign("SCCA", PIN, format)));
            }

            for (Future<RawHttp.Response> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().text()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signWhenVendorLibraryIsNotInstalledThenTokenNotFound() throws Exception {
        RawHttp.Response response = page.sign("GONE", PIN, "RAW");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("TOKEN_NOT_FOUND");
    }

    @Test
    void diagnoseWhenKeysPluggedInThenListsDevicesApplicationsRetriesContainersAndCertificates() {
        DEVICES.get("TWCA").application(APP).retriesLeft(3);
        String output = diagnose(PROVIDERS.get("SCCA"), PROVIDERS.get("TWCA"));
        DEVICES.get("TWCA").application(APP).retriesLeft(6);

        assertThat(output)
                .contains("provider SCCA 四川CA: SKF " + INSTALLATIONS.get("SCCA").library())
                .contains("library loaded (64-bit x86), all 17 SKF functions the agent calls are exported")
                .contains(
                        "device \"SCCA-KEY\": serial 510100000000001S, label \"SCCA-KEY\" (cagate soft SKF (test only))")
                .contains("application GM_APP: user PIN 6 of 6 tries left")
                .contains("container SM2_SIGN (SM2)")
                .contains("container RSA_SIGN (RSA)")
                .contains("application GM_APP: user PIN 3 of 6 tries left")
                .contains("certificate CN=西子")
                .contains("days left");
    }

    @Test
    void diagnoseWhenLibraryCannotBeLoadedThenSaysWhyInWordsAHelpDeskCanActOn() throws Exception {
        Path missing = dir.resolve("no-such-driver/libskf.so");
        Path library = INSTALLATIONS.get("SCCA").library();
        byte[] elf = Files.readAllBytes(library);
        elf[4] = 1; // ELFCLASS32 and EM_386: what a 32-bit x86 vendor .so says in its header
        elf[18] = 3;
        elf[19] = 0;
        Path thirtyTwoBit = Files.write(dir.resolve("libskf32.so"), elf);
        Path needsMissing = SoftSkf.libraryWithMissingDependency(dir.resolve("vendor"));
        Path notSkf =
                Files.copy(Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1").toRealPath(), dir.resolve("libz-copy.so"));

        String output = diagnose(
                ProviderConfig.skf("GONE", "未安装驱动", missing),
                ProviderConfig.skf("OLD", "旧驱动", thirtyTwoBit),
                ProviderConfig.skf("DEPS", "缺少依赖", needsMissing),
                ProviderConfig.skf("NOTSKF", "不是SKF", notSkf));

        assertThat(output)
                .contains("library NOT loadable: file not found: " + missing
                        + " (install the CA company's USB key driver, or correct skf.library in the configuration)")
                .contains("library NOT loadable: " + thirtyTwoBit
                        + " is a 32-bit x86 library and this agent runs in a 64-bit Java")
                .contains("library NOT loadable: a library that libvendor-skf.so needs is missing: libcagate-gone.so")
                .contains("NOT an SKF library the agent can use: missing SKF_EnumDev, SKF_ConnectDev");
    }

    @Test
    void signWhenKeyAndCertificateMadeByOpenSslArePutOnATokenWithTheTestCaCliThenOpenSslVerifiesTheSignature()
            throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL CLI not installed");
        Path work = Files.createDirectories(dir.resolve("openssl-made"));
        Path key = work.resolve("key.pem");
        Path cert = work.resolve("cert.pem");
        Path cnf = Files.writeString(
                work.resolve("req.cnf"),
                "[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n[dn]\nCN=openssl-made\n"
                        + "[ext]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", key.toString());
        run(
                "openssl",
                "req",
                "-new",
                "-x509",
                "-config",
                cnf.toString(),
                "-key",
                key.toString(),
                "-sm3",
                "-sigopt",
                "distid:1234567812345678",
                "-days",
                "30",
                "-out",
                cert.toString());
        Path skfDir = work.resolve("skf");

        int exit = new picocli.CommandLine(new org.cagate.testca.cli.TestCaCommand())
                .execute(
                        "softskf",
                        "--skf-dir",
                        skfDir.toString(),
                        "--device",
                        "OSSL-KEY",
                        "--serial",
                        "990000000000009O",
                        "--pin",
                        PIN,
                        "--key",
                        key.toString(),
                        "--cert",
                        cert.toString());
        SkfBackend backend = new SkfBackend(
                ProviderConfig.skf("OSSL", "OpenSSL", skfDir.resolve("libcagate-softskf.so")), Clock.systemUTC());
        byte[] challenge = AgentClient.challenge(ORIGIN, "OSSL");
        var signature = backend.sign(
                backend.token(null), null, PIN.toCharArray(), Signing.challenge(challenge, SignatureFormat.RAW), true);

        assertThat(exit).isZero();
        assertThat(backend.token(null).serial()).isEqualTo("990000000000009O");
        assertThat(signature.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=openssl-made");
        OpenSsl.Result verified =
                OpenSsl.verifyRaw(work, signature.certificate(), "SM3withSM2", challenge, signature.signature());
        assertThat(verified.exitCode()).as(verified.output()).isZero();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
    }

    private static String diagnose(ProviderConfig... providers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AgentConfig config = AgentConfig.of(List.of(ORIGIN), List.of(providers)).withPort(0);
        new Diagnose(config, Clock.systemUTC(), new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String serial(String provider) {
        return switch (provider) {
            case "SCCA" -> "510100000000001S";
            case "TWCA" -> "110100000000002R";
            default -> throw new IllegalArgumentException(provider);
        };
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
