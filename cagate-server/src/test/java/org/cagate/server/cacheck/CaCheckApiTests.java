package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.driver.LocalAgent;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The server side of CA 检测 with a real agent: what the page reads from the agent (status, tokens, a
 * PIN-signed LOGIN challenge) is what these tests read and post. Every outcome: no key, expired,
 * untrusted, unbound, bound (and bound but expired), plus the refusals of a check that proves nothing.
 */
@CagateServerTest
class CaCheckApiTests extends LocalAgentServerTest {

    @Autowired
    JdbcClient jdbc;

    private ApiClient page;

    @BeforeEach
    void pageOfTheCheck() {
        ensureWorld();
        page = ApiClient.on(port);
    }

    private Credential valid(String name) {
        return agent().ca(LocalAgent.SCCA).user(name).issue();
    }

    private JsonNode check(Credential credential) throws Exception {
        agent().insertKey(LocalAgent.SCCA, credential);
        Map<String, Object> assertion = agent().signLogin(page, LocalAgent.SCCA, LocalAgent.PIN);
        assertThat(assertion).doesNotContainKey("code");
        ApiClient.Response checked = page.post("/api/ca/check", assertion);
        assertThat(checked.status()).as(checked.toString()).isEqualTo(200);
        return checked.json();
    }

    private Fixtures.TestAccount boundAccount(Credential credential) {
        Fixtures.TestAccount account = fixtures.account(sichuanOrganization(), "USER");
        ApiClient user = ApiClient.on(port).login(account.loginName(), account.password());
        CaTestKit.bind(user, LocalAgent.SCCA, credential, account.id());
        return account;
    }

    @Test
    void checkWhenKeyNotBoundThenCertificateAcceptedNotBoundAndNoSession() throws Exception {
        JsonNode result = check(valid("东子"));

        assertThat(result.path("provider").path("code").asString()).isEqualTo(LocalAgent.SCCA);
        JsonNode certificate = result.path("certificate");
        assertThat(certificate.path("trusted").asBoolean()).isTrue();
        assertThat(certificate.path("validity").asString()).isEqualTo("VALID");
        assertThat(certificate.path("findings").size()).isZero();
        assertThat(certificate.path("daysLeft").asLong()).isBetween(300L, 366L);
        assertThat(certificate.path("certificate").path("subject").asString()).contains("CN=东子");
        assertThat(certificate.path("keyId").asString()).hasSize(64);
        JsonNode binding = result.path("binding");
        assertThat(binding.path("bound").asBoolean()).isFalse();
        assertThat(binding.path("loginReady").asBoolean()).isFalse();
        assertThat(binding.path("reason").asString()).isEqualTo("CA_NOT_BOUND");
        assertThat(binding.path("message").asString()).isEqualTo("该 CA 证书尚未绑定平台账号，请先使用账号密码登录并绑定。");
        assertThat(page.cookie("SESSION")).isEmpty();
        assertThat(page.get("/api/me").status()).isEqualTo(401);
        assertThat(lastCheck(certificate.path("keyId").asString())).isEqualTo("SUCCESS");
    }

    @Test
    void checkWhenKeyBoundThenItsAccountAndLoginReady() throws Exception {
        Credential credential = valid("西子");
        Fixtures.TestAccount account = boundAccount(credential);

        JsonNode binding = check(credential).path("binding");

        assertThat(binding.path("bound").asBoolean()).isTrue();
        assertThat(binding.path("loginReady").asBoolean()).isTrue();
        assertThat(binding.path("reason").isNull()).isTrue();
        assertThat(binding.path("account").path("loginName").asString()).isEqualTo(account.loginName());
        assertThat(binding.path("account").path("displayName").asString()).isEqualTo(account.displayName());
        assertThat(binding.path("message").asString())
                .isEqualTo("该 CA 锁已绑定账号 " + account.displayName() + "（" + account.loginName() + "），可以使用 CA 登录。");
        Long subject = jdbc.sql(
                        "SELECT subject_account_id FROM audit_event WHERE action = 'CA_CHECK' ORDER BY id DESC LIMIT 1")
                .query(Long.class)
                .single();
        assertThat(subject).isEqualTo(account.id());
        assertThat(page.cookie("SESSION")).isEmpty();
    }

    @Test
    void checkWhenCertificateExpiredThenReportedAndABoundKeyCannotLogIn() throws Exception {
        Credential renewedLater = valid("西子");
        Fixtures.TestAccount account = boundAccount(renewedLater);
        KeyPair sameKey = renewedLater.keyPair();
        Instant now = Instant.now();
        Credential expired = agent().ca(LocalAgent.SCCA)
                .user("西子")
                .keyPair(sameKey)
                .notBefore(now.minus(Duration.ofDays(400)))
                .notAfter(now.minus(Duration.ofDays(2)))
                .issue();

        JsonNode result = check(expired);

        JsonNode certificate = result.path("certificate");
        assertThat(certificate.path("validity").asString()).isEqualTo("EXPIRED");
        assertThat(certificate.path("daysLeft").asLong()).isEqualTo(-2);
        assertThat(certificate.path("trusted").asBoolean()).isTrue();
        assertThat(certificate.path("findings").get(0).path("code").asString()).isEqualTo("CERT_EXPIRED");
        assertThat(certificate.path("findings").get(0).path("message").asString())
                .isEqualTo("CA 证书已过期，请联系 CA 服务商更新证书。");
        JsonNode binding = result.path("binding");
        assertThat(binding.path("bound").asBoolean()).isTrue();
        assertThat(binding.path("loginReady").asBoolean()).isFalse();
        assertThat(binding.path("reason").asString()).isEqualTo("CERT_EXPIRED");
        assertThat(binding.path("message").asString()).contains(account.loginName(), "目前不能使用 CA 登录", "已过期");
        Credential expiredUnbound = agent().ca(LocalAgent.SCCA)
                .user("南子")
                .validFor(Duration.ofDays(-3))
                .issue();
        JsonNode unbound = check(expiredUnbound);
        assertThat(unbound.path("certificate").path("validity").asString()).isEqualTo("EXPIRED");
        assertThat(unbound.path("binding").path("bound").asBoolean()).isFalse();
    }

    @Test
    void checkWhenCertificateFromAnotherCaThenUntrustedAndBindingNotLookedUp() throws Exception {
        Credential foreign = agent().stranger().user("西子").issue();

        JsonNode result = check(foreign);

        JsonNode certificate = result.path("certificate");
        assertThat(certificate.path("trusted").asBoolean()).isFalse();
        assertThat(certificate
                        .path("findings")
                        .valueStream()
                        .map(f -> f.path("code").asString()))
                .contains("CERT_UNTRUSTED");
        assertThat(result.path("binding").isNull()).isTrue();
    }

    @Test
    void checkWhenNoKeyInsertedThenAgentSaysSoAndSignsNothing() throws Exception {
        agent().removeKeys(LocalAgent.SCCA);

        JsonNode status = agent().status();
        Map<String, Object> refused = agent().signLogin(page, LocalAgent.SCCA, LocalAgent.PIN);

        JsonNode scca = status.path("providers")
                .valueStream()
                .filter(p -> p.path("code").asString().equals(LocalAgent.SCCA))
                .findFirst()
                .orElseThrow();
        assertThat(scca.path("tokenPresent").asBoolean()).isFalse();
        assertThat(refused).containsEntry("code", "TOKEN_NOT_FOUND");
    }

    @Test
    void checkWhenChallengeSpentForBindOrFromAnotherSiteThenRefused() throws Exception {
        Credential credential = valid("西子");
        agent().insertKey(LocalAgent.SCCA, credential);
        Map<String, Object> assertion = agent().signLogin(page, LocalAgent.SCCA, LocalAgent.PIN);
        assertThat(page.post("/api/ca/check", assertion).status()).isEqualTo(200);

        ApiClient.Response replay = page.post("/api/ca/check", assertion);
        Fixtures.TestAccount account = fixtures.account(sichuanOrganization(), "USER");
        ApiClient user = ApiClient.on(port).login(account.loginName(), account.password());
        Map<String, Object> bind =
                CaTestKit.assertion(user, "BIND", LocalAgent.SCCA, credential, org.cagate.pki.sign.SignatureFormat.RAW);
        ApiClient.Response bindChallenge = user.post("/api/ca/check", bind);
        Map<String, Object> fresh = agent().signLogin(page, LocalAgent.SCCA, LocalAgent.PIN);
        ApiClient.Response foreignSite =
                ApiClient.on(port).header("Origin", "https://evil.example").post("/api/ca/check", fresh);
        Map<String, Object> wrongPin = agent().signLogin(page, LocalAgent.SCCA, "00000000");

        assertThat(replay.code()).isEqualTo("CHALLENGE_USED");
        assertThat(bindChallenge.code()).as(bindChallenge.toString()).isEqualTo("CHALLENGE_UNKNOWN");
        assertThat(foreignSite.code()).isEqualTo("ORIGIN_MISMATCH");
        assertThat(wrongPin).containsEntry("code", "PIN_INCORRECT");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE action = 'CA_CHECK' AND outcome = 'FAILURE' "
                                + "AND reason_code = 'CHALLENGE_USED'")
                        .query(Long.class)
                        .single())
                .isPositive();
    }

    @Test
    void certificateWhenListedByTheAgentThenValidityTrustAndFindingsWithoutPin() {
        Credential expiring = agent().ca(LocalAgent.SCCA)
                .user("西子")
                .validFor(Duration.ofDays(10))
                .issue();
        Credential foreign = agent().stranger().user("西子").issue();

        ApiClient.Response soon = page.post(
                "/api/ca/check/certificate",
                Map.of("provider", LocalAgent.SCCA, "certificate", CaTestKit.base64(expiring.certificate())));
        ApiClient.Response untrusted = page.post(
                "/api/ca/check/certificate",
                Map.of("provider", LocalAgent.SCCA, "certificate", CaTestKit.base64(foreign.certificate())));
        ApiClient.Response garbage = page.post(
                "/api/ca/check/certificate", Map.of("provider", LocalAgent.SCCA, "certificate", "bm90IGEgY2VydA=="));
        ApiClient.Response unknown = page.post(
                "/api/ca/check/certificate",
                Map.of("provider", "NOPE", "certificate", CaTestKit.base64(expiring.certificate())));
        ApiClient.Response invalid = page.post("/api/ca/check/certificate", Map.of("provider", "bad code!"));

        assertThat(soon.status()).as(soon.toString()).isEqualTo(200);
        assertThat(soon.json().path("validity").asString()).isEqualTo("EXPIRING");
        assertThat(soon.json().path("daysLeft").asLong()).isBetween(9L, 10L);
        assertThat(soon.json().path("trusted").asBoolean()).isTrue();
        assertThat(soon.json().path("findings").size()).isZero();
        assertThat(untrusted.json().path("trusted").asBoolean()).isFalse();
        assertThat(untrusted.json().path("findings").get(0).path("message").asString())
                .isEqualTo("该证书不是所选 CA 服务商签发的。");
        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.code()).isEqualTo("CERT_MALFORMED");
        assertThat(unknown.code()).isEqualTo("PROVIDER_UNKNOWN");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("VALIDATION");
    }

    @Test
    void pageWhenAgentPackageChangesThenItComparesWithTheVersionOffered() throws Exception {
        String html = page.get("/ca-check?provider=" + LocalAgent.SCCA).body();
        try {
            agent().writeZip("99.0.0");
            String newer = page.get("/ca-check").body();

            assertThat(html)
                    .contains(
                            "data-agent-version=\"" + agent().version() + "\"",
                            "data-agent-url=\"" + agent().url() + "\"",
                            "/js/ca-check.js",
                            "四川CA",
                            "青海CA");
            assertThat(newer)
                    .contains(
                            "data-agent-version=\"99.0.0\"",
                            "data-agent-download=\"/drivers/agent/cagate-agent-99.0.0.zip\"");
            assertThat(org.cagate.server.web.PageRenderingTests.englishWords(html))
                    .isEmpty();
        } finally {
            agent().writeZip(agent().version());
        }
    }

    private String lastCheck(String keyId) {
        return jdbc.sql(
                        "SELECT outcome FROM audit_event WHERE action = 'CA_CHECK' AND key_id = :k ORDER BY id DESC LIMIT 1")
                .param("k", keyId)
                .query(String.class)
                .single();
    }
}
