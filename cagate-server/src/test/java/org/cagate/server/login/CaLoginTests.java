package org.cagate.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.server.caprovider.CaTestKit.assertion;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.cagate.pki.Certificates;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.CaBuilder;
import org.cagate.testca.Credential;
import org.cagate.testca.CrlServer;
import org.cagate.testca.OcspResponder;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/ca/login}: success for every algorithm and format, and every refusal. */
@CagateServerTest
class CaLoginTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    CaTestKit kit;
    Fixtures.Org org;
    TestAccount user;

    @BeforeEach
    void organisationAndUser() {
        kit = new CaTestKit(port, clock, fixtures);
        org = fixtures.organization();
        user = fixtures.user(org);
    }

    static Stream<Arguments> keys() {
        List<Arguments> all = new ArrayList<>();
        for (String algorithm : List.of("EC", "RSA", "SM2")) {
            for (SignatureFormat format : SignatureFormat.values()) {
                all.add(Arguments.of(algorithm, format));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keys")
    void loginWhenBoundKeySignsThenSignedInAndAudited(String algorithm, SignatureFormat format) {
        CaBuilder builder = TestPki.provider("ZJHX").withIntermediate();
        TestCa ca = kit.ca(
                switch (algorithm) {
                    case "RSA" -> builder.rsa();
                    case "SM2" -> builder.sm2();
                    default -> builder.ec();
                });
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        CaTestKit.bind(login(user), provider, key, user.id());
        ApiClient browser = ApiClient.on(port);

        ApiClient.Response response = browser.post("/api/ca/login", assertion(browser, "LOGIN", provider, key, format));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("account").path("id").asLong()).isEqualTo(user.id());
        assertThat(response.json()
                        .path("account")
                        .path("organization")
                        .path("id")
                        .asLong())
                .isEqualTo(org.id());
        assertThat(response.json().path("redirect").asString()).isEqualTo("/apps");
        assertThat(browser.get("/api/me").json().path("loginName").asString()).isEqualTo(user.loginName());
        assertThat(browser.get("/apps").status()).isEqualTo(200);
        assertThat(audits(provider))
                .containsExactly("BIND/SUCCESS/null/" + user.id(), "CA_LOGIN/SUCCESS/null/" + user.id());
    }

    @Test
    void loginWhenPasswordGuessesHoldTheNameBackEverywhereThenCaLoginStillSignsIn() {
        World w = world();
        for (int i = 0; i < 14; i++) {
            ApiClient.on(port)
                    .fromIp("198.51.103." + (i < 4 ? 1 : i))
                    .post("/api/auth/password", Map.of("loginName", user.loginName(), "password", "Guess-" + i));
        }
        ApiClient browser = ApiClient.on(port);
        assertThat(browser.post(
                                "/api/auth/password",
                                Map.of("loginName", user.loginName(), "password", user.password()))
                        .code())
                .isEqualTo("ACCOUNT_LOCKED");

        ApiClient.Response response =
                browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(browser.get("/api/me").json().path("loginName").asString()).isEqualTo(user.loginName());
    }

    @Test
    void loginWhenSessionExistedThenNewSessionIdAndOldOneGone() {
        World w = world();
        ApiClient browser = login(fixtures.user(org));
        String before = browser.cookie("SESSION").orElseThrow();
        String csrfBefore = browser.cookie("XSRF-TOKEN").orElseThrow();

        ApiClient.Response response =
                browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(browser.cookie("SESSION").orElseThrow()).isNotEqualTo(before);
        assertThat(browser.cookie("XSRF-TOKEN").orElseThrow()).isNotEqualTo(csrfBefore);
        assertThat(browser.get("/api/me").json().path("id").asLong()).isEqualTo(user.id());
        ApiClient stale = ApiClient.on(port).header("Cookie", "SESSION=" + before);
        assertThat(stale.get("/api/me").code()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void loginWhenKeyNotBoundThenCaNotBoundSaysBindFirst() {
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        ApiClient browser = ApiClient.on(port);

        ApiClient.Response response = browser.post(
                "/api/ca/login",
                assertion(browser, "LOGIN", provider, ca.user("西子").issue(), SignatureFormat.RAW));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("CA_NOT_BOUND");
        assertThat(response.detail()).contains("尚未绑定平台账号", "账号密码登录", "绑定");
        assertThat(browser.cookie("SESSION")).isEmpty();
        assertThat(audits(provider)).containsExactly("CA_LOGIN/FAILURE/CA_NOT_BOUND/null");
        assertThat(jdbc.sql("SELECT key_id FROM audit_event WHERE provider_code = :p AND action = 'CA_LOGIN'")
                        .param("p", provider)
                        .query(String.class)
                        .single())
                .hasSize(64);
    }

    @Test
    void loginWhenAssertionReplayedOrChallengeExpiredOrForBindThenChallengeCodes() {
        World w = world();
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> used = assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        assertThat(browser.post("/api/ca/login", used).status()).isEqualTo(200);
        ApiClient signedIn = login(user);
        Map<String, Object> forBind = assertion(signedIn, "BIND", w.provider, w.key, SignatureFormat.RAW);
        Map<String, Object> late = assertion(ApiClient.on(port), "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        Map<String, Object> unknown = new HashMap<>(late);
        unknown.put("challengeId", "not-a-challenge-id-at-all");

        ApiClient replayer = ApiClient.on(port);
        ApiClient.Response replay = replayer.post("/api/ca/login", used);
        ApiClient.Response bind = ApiClient.on(port).post("/api/ca/login", forBind);
        clock.advance(Duration.ofSeconds(121));
        ApiClient.Response expired = ApiClient.on(port).post("/api/ca/login", late);

        assertThat(replay.code()).isEqualTo("CHALLENGE_USED");
        assertThat(bind.code()).isEqualTo("CHALLENGE_UNKNOWN");
        assertThat(expired.code()).isEqualTo("CHALLENGE_EXPIRED");
        assertThat(ApiClient.on(port).post("/api/ca/login", unknown).code()).isEqualTo("CHALLENGE_UNKNOWN");
        assertThat(audits(w.provider))
                .containsSubsequence(
                        "CA_LOGIN/SUCCESS/null/" + user.id(),
                        "CA_LOGIN/FAILURE/CHALLENGE_UNKNOWN/null",
                        "CA_LOGIN/FAILURE/CHALLENGE_EXPIRED/null");
        assertThat(jdbc.sql("SELECT reason_code FROM audit_event WHERE action = 'CA_LOGIN' AND client_ip = :ip")
                        .param("ip", replayer.ip())
                        .query(String.class)
                        .list())
                .containsExactly("CHALLENGE_USED");
    }

    @Test
    void loginWhenChallengeForAnotherProviderThenCertUntrusted() {
        World w = world();
        String other = kit.provider(kit.ca(), org.regionCode());
        ApiClient browser = ApiClient.on(port);

        ApiClient.Response response =
                browser.post("/api/ca/login", assertion(browser, "LOGIN", other, w.key, SignatureFormat.RAW));

        assertThat(response.code()).isEqualTo("CERT_UNTRUSTED");
    }

    @Test
    void loginWhenPostedFromAnotherOriginThenOriginMismatch() {
        World w = world();
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> body = assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW);

        ApiClient.Response response =
                browser.header("Origin", "https://zcygov.example.com").post("/api/ca/login", body);

        assertThat(response.code()).isEqualTo("ORIGIN_MISMATCH");
        assertThat(ApiClient.on(port)
                        .header("Origin", "https://platform.example.gov.cn")
                        .post(
                                "/api/ca/login",
                                assertion(ApiClient.on(port), "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void loginWhenCertificateRenewedOnSameKeyThenSignedInAndBindingRefreshed() {
        World w = world();
        Credential renewed = w.ca.user("西子")
                .keyPair(w.key.keyPair())
                .validFor(Duration.ofDays(730))
                .issue();
        ApiClient browser = ApiClient.on(port);

        ApiClient.Response response =
                browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, renewed, SignatureFormat.CMS));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode binding =
                login(user).get("/api/ca/bindings").json().path("items").get(0);
        assertThat(binding.path("certificate").path("sha256").asString())
                .isEqualTo(Certificates.sha256Hex(renewed.certificate()));
        assertThat(binding.path("certificate").path("notAfter").asString())
                .isEqualTo(renewed.certificate().getNotAfter().toInstant().toString());
        assertThat(audits(w.provider))
                .containsExactly(
                        "BIND/SUCCESS/null/" + user.id(),
                        "CERT_RENEWED/SUCCESS/null/" + user.id(),
                        "CA_LOGIN/SUCCESS/null/" + user.id());
        ApiClient old = ApiClient.on(port);
        assertThat(old.post("/api/ca/login", assertion(old, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                        .status())
                .isEqualTo(200);
        assertThat(audits(w.provider))
                .filteredOn(a -> a.startsWith("CERT_RENEWED"))
                .hasSize(1);
    }

    @Test
    void loginWhenRevokedByCrlThenCertRevoked() {
        TestCa ca = kit.ca();
        try (CrlServer crl = CrlServer.start(ca)) {
            ca.defaultCrlUrl(crl.url());
            World w = world(ca);
            Credential revoked = ca.user("西子").issue();
            CaTestKit.bind(login(user), w.provider, revoked, user.id());
            revocation(w, loopback("CRL"));
            ca.revoke(revoked.certificate(), CRLReason.keyCompromise);
            ApiClient browser = ApiClient.on(port);

            ApiClient.Response response = browser.post(
                    "/api/ca/login", assertion(browser, "LOGIN", w.provider, revoked, SignatureFormat.RAW));

            assertThat(response.code()).isEqualTo("CERT_REVOKED");
            assertThat(crl.requestCount()).isPositive();
            assertThat(browser.post(
                                    "/api/ca/login",
                                    assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void loginWhenRevokedByOcspThenCertRevoked() {
        TestCa ca = kit.ca();
        try (OcspResponder ocsp = OcspResponder.start(ca)) {
            ca.defaultOcspUrl(ocsp.url());
            World w = world(ca);
            Credential other = ca.user("西子").issue();
            CaTestKit.bind(login(user), w.provider, other, user.id());
            revocation(w, loopback("OCSP"));
            ca.revoke(other.certificate(), CRLReason.keyCompromise);
            ApiClient good = ApiClient.on(port);
            assertThat(good.post("/api/ca/login", assertion(good, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                            .status())
                    .isEqualTo(200);
            ApiClient browser = ApiClient.on(port);

            ApiClient.Response response =
                    browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, other, SignatureFormat.CMS));

            assertThat(response.code()).isEqualTo("CERT_REVOKED");
            assertThat(ocsp.requestCount()).isPositive();
        }
    }

    @Test
    void loginWhenAccountRegionOrProviderNoLongerAllowThenRefused() {
        World w = world();
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> disabledAccount = assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        jdbc.sql("UPDATE account SET status = 'DISABLED' WHERE id = :id")
                .param("id", user.id())
                .update();
        assertThat(browser.post("/api/ca/login", disabledAccount).code()).isEqualTo("ACCOUNT_DISABLED");
        jdbc.sql("UPDATE account SET status = 'ACTIVE' WHERE id = :id")
                .param("id", user.id())
                .update();

        jdbc.sql("UPDATE region SET ca_enabled = FALSE WHERE code = :c")
                .param("c", org.regionCode())
                .update();
        assertThat(browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                        .code())
                .isEqualTo("REGION_CA_DISABLED");
        jdbc.sql("UPDATE region SET ca_enabled = TRUE WHERE code = :c")
                .param("c", org.regionCode())
                .update();

        kit.putProvider(w.provider, CaTestKit.providerBody(w.ca, fixtures.region(true)));
        assertThat(browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                        .code())
                .isEqualTo("PROVIDER_DISABLED");
        Map<String, Object> beforeDisabling = assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        Map<String, Object> disabled = CaTestKit.providerBody(w.ca, org.regionCode());
        disabled.put("enabled", false);
        kit.putProvider(w.provider, disabled);
        assertThat(browser.post("/api/ca/login", beforeDisabling).code()).isEqualTo("PROVIDER_DISABLED");
        assertThat(CaTestKit.challenge(browser, "LOGIN", w.provider).code()).isEqualTo("PROVIDER_DISABLED");
        assertThat(CaTestKit.challenge(browser, "LOGIN", "NOSUCHPROVIDER").code())
                .isEqualTo("PROVIDER_UNKNOWN");
        assertThat(browser.cookie("SESSION")).isEmpty();
    }

    @Test
    void loginWhenCertificateOrSignatureBadThenPkiCodes() {
        World w = world();
        Instant now = clock.instant();
        Map<String, Credential> cases = Map.of(
                "CERT_UNTRUSTED", kit.ca().user("西子").issue(),
                "CERT_EXPIRED",
                        w.ca.user("西子")
                                .notBefore(now.minus(Duration.ofDays(30)))
                                .notAfter(now.minus(Duration.ofDays(1)))
                                .issue(),
                "CERT_NOT_YET_VALID",
                        w.ca.user("西子")
                                .notBefore(now.plus(Duration.ofDays(1)))
                                .notAfter(now.plus(Duration.ofDays(9)))
                                .issue(),
                "CERT_USAGE", w.ca.user("西子").keyUsage(KeyUsage.keyEncipherment).issue());
        cases.forEach((code, key) -> {
            ApiClient browser = ApiClient.on(port);
            ApiClient.Response response =
                    browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, key, SignatureFormat.RAW));
            assertThat(response.code()).as(code + ": " + response).isEqualTo(code);
        });
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> wrongBytes = CaTestKit.sign(
                (String) assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW)
                        .get("challengeId"),
                "something else".getBytes(),
                w.key,
                SignatureFormat.RAW);
        Map<String, Object> garbage = assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        garbage.put("certificate", "AAAA");
        Map<String, Object> badAlgorithm = assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        badAlgorithm.put("algorithm", "MD5withRSA");

        assertThat(browser.post("/api/ca/login", wrongBytes).code()).isEqualTo("SIGNATURE_INVALID");
        assertThat(browser.post("/api/ca/login", garbage).code()).isEqualTo("CERT_MALFORMED");
        assertThat(browser.post("/api/ca/login", badAlgorithm).code()).isEqualTo("SIGNATURE_INVALID");
        assertThat(browser.send("POST", "/api/ca/login", "{\"challengeId\":1}", "application/json")
                        .code())
                .isEqualTo("VALIDATION");
    }

    @Test
    void loginAndBindWhenOpensslCmsSentWithoutAlgorithmAndCertificateThenBothTakenFromTheSignedData(@TempDir Path dir)
            throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "the OpenSSL CLI is absent");
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        ApiClient owner = login(user);
        Map<String, Object> bind = opensslCms(dir, owner, "BIND", provider, key);
        bind.put("accountId", user.id());

        ApiClient.Response bound = owner.post("/api/ca/bindings", bind);
        ApiClient browser = ApiClient.on(port);
        ApiClient.Response login = browser.post("/api/ca/login", opensslCms(dir, browser, "LOGIN", provider, key));

        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().path("account").path("id").asLong()).isEqualTo(user.id());
        Map<String, Object> disagreeing = opensslCms(dir, ApiClient.on(port), "LOGIN", provider, key);
        disagreeing.put("algorithm", "SHA256withRSA");
        assertThat(ApiClient.on(port).post("/api/ca/login", disagreeing).code()).isEqualTo("SIGNATURE_INVALID");
        Map<String, Object> otherCertificate = opensslCms(dir, ApiClient.on(port), "LOGIN", provider, key);
        otherCertificate.put(
                "certificate", CaTestKit.base64(ca.user("东子").issue().certificate()));
        assertThat(ApiClient.on(port).post("/api/ca/login", otherCertificate).code())
                .isEqualTo("SIGNATURE_INVALID");
        Map<String, Object> rawWithout = assertion(ApiClient.on(port), "LOGIN", provider, key, SignatureFormat.RAW);
        rawWithout.remove("algorithm");
        assertThat(ApiClient.on(port).post("/api/ca/login", rawWithout).code()).isEqualTo("VALIDATION");
    }

    /**
     * A challenge signed by {@code openssl cms -sign -binary -outform DER} (detached), sent as drivers that
     * return PKCS#7 do: only challengeId, format and signature.
     */
    private static Map<String, Object> opensslCms(
            Path dir, ApiClient client, String purpose, String provider, Credential key) throws Exception {
        JsonNode issued = CaTestKit.challenge(client, purpose, provider).json();
        Files.write(
                dir.resolve("challenge.bin"),
                Base64.getDecoder().decode(issued.path("toBeSigned").asString()));
        Files.writeString(dir.resolve("cert.pem"), Certificates.toPem(key.certificate()));
        Files.writeString(
                dir.resolve("chain.pem"),
                Certificates.toPem(key.caCertificates().get(0)));
        Files.writeString(
                dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(key.keyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "cms",
                        "-sign",
                        "-binary",
                        "-in",
                        "challenge.bin",
                        "-signer",
                        "cert.pem",
                        "-inkey",
                        "key.pem",
                        "-certfile",
                        "chain.pem",
                        "-outform",
                        "DER",
                        "-out",
                        "cms.der")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(output).isZero();
        Map<String, Object> body = new HashMap<>();
        body.put("challengeId", issued.path("id").asString());
        body.put("format", "CMS");
        body.put("signature", Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("cms.der"))));
        return body;
    }

    @Test
    void loginWhenRevocationCannotBeCheckedThenUnavailableUnlessFailOpen() {
        World w = world();
        revocation(w, Map.of("mode", "OCSP", "failOpen", false, "ocspUrl", "http://127.0.0.1:1/ocsp"));
        ApiClient browser = ApiClient.on(port);
        assertThat(browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                        .code())
                .isEqualTo("REVOCATION_UNAVAILABLE");

        revocation(w, Map.of("mode", "OCSP", "failOpen", true, "ocspUrl", "http://127.0.0.1:1/ocsp"));
        assertThat(browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                        .status())
                .isEqualTo(200);
        assertThat(jdbc.sql(
                                "SELECT detail FROM audit_event WHERE provider_code = :p AND action = 'CA_LOGIN' AND outcome = 'SUCCESS'")
                        .param("p", w.provider)
                        .query(String.class)
                        .single())
                .contains("UNAVAILABLE_ACCEPTED");
    }

    @Test
    void loginWhenTooManyWithOneKeyOrFromOneAddressThenRateLimited() {
        World w = world();
        for (int i = 0; i < 10; i++) {
            ApiClient browser = ApiClient.on(port);
            assertThat(browser.post(
                                    "/api/ca/login",
                                    assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW))
                            .status())
                    .isEqualTo(200);
        }
        ApiClient eleventh = ApiClient.on(port);
        ApiClient.Response perKey =
                eleventh.post("/api/ca/login", assertion(eleventh, "LOGIN", w.provider, w.key, SignatureFormat.RAW));

        ApiClient one = ApiClient.on(port);
        Map<String, Object> bogus = assertion(one, "LOGIN", w.provider, w.key, SignatureFormat.RAW);
        bogus.put("challengeId", "AAAAAAAAAAAAAAAAAAAAAA");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 121; i++) {
            codes.add(one.post("/api/ca/login", bogus).code());
        }

        assertThat(perKey.code()).isEqualTo("RATE_LIMITED");
        assertThat(perKey.header("Retry-After")).isNotNull();
        assertThat(codes.subList(0, 120)).containsOnly("CHALLENGE_UNKNOWN");
        assertThat(codes.get(120)).isEqualTo("RATE_LIMITED");
    }

    /** A provider for the CA offered in the organisation's region, and a key of it bound to the user. */
    record World(TestCa ca, String provider, Credential key) {}

    private World world() {
        return world(kit.ca());
    }

    private World world(TestCa ca) {
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        CaTestKit.bind(login(user), provider, key, user.id());
        return new World(ca, provider, key);
    }

    /** A fail-closed policy whose certificate URLs may reach cagate-testca's servers on 127.0.0.1. */
    private static Map<String, Object> loopback(String mode) {
        return Map.of(
                "mode", mode, "failOpen", false, "fetchHosts", List.of("127.0.0.1"), "fetchPrivateAddresses", true);
    }

    @Test
    void loginWhenCertificateCrlOnLoopbackNotAllowedThenNotFetchedAndTheProviderPageShowsIt() {
        TestCa ca = kit.ca();
        try (CrlServer crl = CrlServer.start(ca)) {
            ca.defaultCrlUrl(crl.url());
            World w = world(ca);
            revocation(w, Map.of("mode", "CRL", "failOpen", false));
            ApiClient browser = ApiClient.on(port);

            ApiClient.Response refused =
                    browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW));
            ApiClient operator = login(fixtures.platformAdmin());
            ApiClient.Response sources = operator.get("/api/admin/ca-providers/" + w.provider + "/revocation-sources");
            ApiClient.Response page = operator.get("/system/platform/ca-providers/" + w.provider);

            assertThat(refused.code()).isEqualTo("REVOCATION_UNAVAILABLE");
            assertThat(crl.requestCount()).as("nothing fetched from 127.0.0.1").isZero();
            assertThat(sources.json().get(0).path("url").asString()).isEqualTo(crl.url());
            assertThat(sources.json().get(0).path("outcome").asString()).isEqualTo("NOT_ALLOWED");
            assertThat(sources.json().get(0).path("fromCertificate").asBoolean())
                    .isTrue();
            assertThat(page.body()).contains(crl.url()).contains("证书中的地址").contains("未允许，未访问");

            revocation(w, loopback("CRL"));
            ApiClient.Response allowed =
                    browser.post("/api/ca/login", assertion(browser, "LOGIN", w.provider, w.key, SignatureFormat.RAW));

            assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
            assertThat(crl.requestCount()).isPositive();
            assertThat(operator.get("/api/admin/ca-providers/" + w.provider + "/revocation-sources")
                            .json()
                            .get(0)
                            .path("outcome")
                            .asString())
                    .isEqualTo("ANSWERED");
        }
    }

    private void revocation(World w, Map<String, Object> revocation) {
        Map<String, Object> body = CaTestKit.providerBody(w.ca, org.regionCode());
        body.put("revocation", revocation);
        ApiClient.Response response = kit.putProvider(w.provider, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private ApiClient login(TestAccount account) {
        return ApiClient.on(port).login(account.loginName(), account.password());
    }

    /** action/outcome/reason/subject of the provider's audit records (not PROVIDER_CHANGED), oldest first. */
    private List<String> audits(String provider) {
        return jdbc.sql("SELECT action, outcome, reason_code, subject_account_id FROM audit_event"
                        + " WHERE provider_code = :p AND action <> 'PROVIDER_CHANGED' ORDER BY id")
                .param("p", provider)
                .query((rs, n) -> rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/"
                        + (rs.getObject(4) == null ? "null" : rs.getLong(4)))
                .list();
    }
}
