package org.cagate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@CagateServerTest
class PasswordLoginTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void loginWhenPasswordRightThenAccountAndSessionAndMe() {
        Fixtures.Org org = fixtures.organization();
        TestAccount account = fixtures.orgAdmin(org);
        ApiClient client = ApiClient.on(port);

        ApiClient.Response login = client.post(
                "/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password()));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().path("account").path("id").asLong()).isEqualTo(account.id());
        String setCookie = String.join("\n", login.raw().headers().allValues("Set-Cookie"));
        assertThat(setCookie).containsPattern("SESSION=[^;]+;.*HttpOnly").contains("SameSite=Lax");
        ApiClient.Response me = client.get("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("loginName").asString()).isEqualTo(account.loginName());
        assertThat(me.json().path("displayName").asString()).isEqualTo(account.displayName());
        assertThat(me.json().path("organization").path("id").asLong()).isEqualTo(org.id());
        assertThat(me.json().path("organization").path("name").asString()).isEqualTo(org.name());
        assertThat(me.json().path("region").path("code").asString()).isEqualTo(org.regionCode());
        assertThat(me.json().path("region").path("name").asString()).isEqualTo(org.regionName());
        assertThat(me.json().path("roles").toString()).contains("ORG_ADMIN", "USER");
        assertThat(audit(account.id(), "PASSWORD_LOGIN", "SUCCESS")).isEqualTo(1);
    }

    @Test
    void loginWhenAlreadySignedInThenNewSessionId() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port).login(account.loginName(), account.password());
        String first = client.cookie("SESSION").orElseThrow();

        client.login(account.loginName(), account.password());

        String second = client.cookie("SESSION").orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(client.get("/api/me").status()).isEqualTo(200);
    }

    @Test
    void loginWhenPasswordWrongThenBadCredentialsAndAudited() {
        TestAccount account = fixtures.user(fixtures.organization());

        ApiClient.Response response = ApiClient.on(port)
                .post("/api/auth/password", Map.of("loginName", account.loginName(), "password", "Wrong-Pass-1"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(response.detail()).isEqualTo("账号或密码错误，请重新输入。");
        assertThat(audit(account.id(), "PASSWORD_LOGIN", "FAILURE")).isEqualTo(1);
    }

    @Test
    void loginWhenAccountUnknownThenBadCredentials() {
        ApiClient.Response response = ApiClient.on(port)
                .post("/api/auth/password", Map.of("loginName", "NOBODY" + Fixtures.unique(), "password", "x"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("BAD_CREDENTIALS");
    }

    @Test
    void loginWhenDisabledThenAccountDisabled() {
        TestAccount account = fixtures.user(fixtures.organization());
        jdbc.sql("UPDATE account SET status = 'DISABLED' WHERE id = :id")
                .param("id", account.id())
                .update();

        ApiClient.Response response = ApiClient.on(port)
                .post("/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("ACCOUNT_DISABLED");
    }

    @Test
    void logoutWhenSignedInThen204AndSessionGone() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port).login(account.loginName(), account.password());

        ApiClient.Response logout = client.post("/api/auth/logout", null);

        assertThat(logout.status()).isEqualTo(204);
        ApiClient.Response me = client.get("/api/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(audit(account.id(), "LOGOUT", "SUCCESS")).isEqualTo(1);
    }

    @Test
    void loginWhenFailuresReachLimitThenHeldBackForTheDelayThenTheRightPasswordWorks() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port);
        Map<String, String> wrong = Map.of("loginName", account.loginName(), "password", "Wrong-Pass-1");
        Map<String, String> right = Map.of("loginName", account.loginName(), "password", account.password());

        for (int i = 1; i <= 4; i++) {
            assertThat(client.post("/api/auth/password", wrong).code()).isEqualTo("BAD_CREDENTIALS");
        }
        ApiClient.Response held = client.post("/api/auth/password", right);
        assertThat(held.status()).isEqualTo(403);
        assertThat(held.code()).isEqualTo("ACCOUNT_LOCKED");
        assertThat(held.detail()).containsAnyOf("1 分钟", "秒后再试");
        assertThat(Long.parseLong(held.header("Retry-After"))).isBetween(55L, 60L);

        clock.advance(Duration.ofSeconds(61));
        assertThat(client.post("/api/auth/password", right).status()).isEqualTo(200);
    }

    @Test
    void loginWhenSuccessBetweenFailuresThenCountStartsAgain() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port);
        Map<String, String> wrong = Map.of("loginName", account.loginName(), "password", "Wrong-Pass-1");

        for (int i = 0; i < 3; i++) {
            client.post("/api/auth/password", wrong);
        }
        client.login(account.loginName(), account.password());
        for (int i = 0; i < 3; i++) {
            assertThat(client.post("/api/auth/password", wrong).code()).isEqualTo("BAD_CREDENTIALS");
        }
    }

    @Test
    void unlockWhenAdminUnlocksThenLoginWorksAtOnce() {
        Fixtures.Org org = fixtures.organization();
        TestAccount account = fixtures.user(org);
        TestAccount admin = fixtures.orgAdmin(org);
        ApiClient client = ApiClient.on(port);
        for (int i = 0; i < 4; i++) {
            client.post("/api/auth/password", Map.of("loginName", account.loginName(), "password", "Wrong-Pass-1"));
        }

        ApiClient.Response unlock = ApiClient.on(port)
                .login(admin.loginName(), admin.password())
                .post("/api/admin/accounts/" + account.id() + "/unlock", null);

        assertThat(unlock.status()).isEqualTo(200);
        assertThat(client.post(
                                "/api/auth/password",
                                Map.of("loginName", account.loginName(), "password", account.password()))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void loginThrottleWhenGuessedThenOperatorSeesTheCountersAndUnlockForgetsThem() {
        TestAccount account = fixtures.user(fixtures.organization());
        TestAccount operator = fixtures.platformAdmin();
        ApiClient attacker = ApiClient.on(port);
        for (int i = 0; i < 5; i++) {
            attacker.post("/api/auth/password", Map.of("loginName", account.loginName(), "password", "Wrong-Pass-1"));
        }
        ApiClient admin = ApiClient.on(port).login(operator.loginName(), operator.password());

        ApiClient.Response seen = admin.get("/api/admin/accounts/" + account.id() + "/login-throttle");
        ApiClient.Response listed = admin.get("/api/admin/accounts/" + account.id());
        ApiClient.Response page = admin.get("/system/platform/accounts?loginName=" + account.loginName());

        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.json().path("loginName").asString()).isEqualTo(account.loginName());
        assertThat(seen.json().path("lockedUntil").isNull()).isFalse();
        assertThat(seen.json().path("counters").size()).isEqualTo(2);
        assertThat(seen.json().path("counters").get(0).path("everyAddress").asBoolean())
                .isTrue();
        assertThat(seen.json().path("counters").get(1).path("clientIp").asString())
                .isEqualTo(attacker.ip());
        assertThat(seen.json().path("counters").get(1).path("failures").asInt()).isEqualTo(4);
        assertThat(listed.json().path("lockedUntil").isNull()).isFalse();
        assertThat(page.body()).contains("已锁定").contains("登录暂停至").contains("data-account-unlock");

        admin.post("/api/admin/accounts/" + account.id() + "/unlock", null);

        assertThat(admin.get("/api/admin/accounts/" + account.id() + "/login-throttle")
                        .json()
                        .path("counters")
                        .size())
                .isZero();
        assertThat(attacker.post(
                                "/api/auth/password",
                                Map.of("loginName", account.loginName(), "password", account.password()))
                        .status())
                .isEqualTo(200);
    }

    private long audit(long accountId, String action, String outcome) {
        return jdbc.sql(
                        "SELECT COUNT(*) FROM audit_event WHERE subject_account_id = :id AND action = :action AND outcome = :outcome")
                .param("id", accountId)
                .param("action", action)
                .param("outcome", outcome)
                .query(Long.class)
                .single();
    }
}
