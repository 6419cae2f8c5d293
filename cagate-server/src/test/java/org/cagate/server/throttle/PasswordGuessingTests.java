package org.cagate.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.Org;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Password guessing as an attacker would spread it (test limits: lock after 4 failures for 10 minutes,
 * 8 attempts per login name and 20 per IP a minute): one account from many IPs is stopped by the lock
 * and the per-account limit, many accounts from one IP (password spraying) by the per-IP limit; neither
 * gets in even with the right password once stopped, and every attempt is in the audit log.
 */
@CagateServerTest
class PasswordGuessingTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    private static Map<String, String> credentials(String loginName, String password) {
        return Map.of("loginName", loginName, "password", password);
    }

    @Test
    void guessWhenOneAccountFromManyIpsThenLockedThenRateLimitedAndNoWayIn() {
        TestAccount target = fixtures.user(fixtures.organization());
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ApiClient attacker = ApiClient.on(port).fromIp("198.51.100." + (i + 1));
            answers.add(attacker.post("/api/auth/password", credentials(target.loginName(), "Guess-" + i + "-pw"))
                    .code());
        }

        assertThat(answers.subList(0, 3)).containsOnly("BAD_CREDENTIALS");
        assertThat(answers.subList(3, 8)).containsOnly("ACCOUNT_LOCKED");
        assertThat(answers.subList(8, 30)).containsOnly("RATE_LIMITED");
        ApiClient.Response rightPassword = ApiClient.on(port)
                .fromIp("198.51.100.200")
                .post("/api/auth/password", credentials(target.loginName(), target.password()));
        assertThat(rightPassword.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(rightPassword.header("Retry-After"))).isBetween(1L, 60L);

        clock.advance(Duration.ofSeconds(61));
        assertThat(ApiClient.on(port)
                        .post("/api/auth/password", credentials(target.loginName(), target.password()))
                        .code())
                .as("the per-account window is over, the lock is not")
                .isEqualTo("ACCOUNT_LOCKED");
        clock.advance(Duration.ofMinutes(10));
        ApiClient.on(port).login(target.loginName(), target.password());
    }

    @Test
    void sprayWhenManyAccountsFromOneIpThenRateLimitedWithoutLockingAnyone() {
        Org org = fixtures.organization();
        List<TestAccount> victims = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            victims.add(fixtures.user(org));
        }
        ApiClient attacker = ApiClient.on(port).fromIp("203.0.113." + (10 + (int) (Math.random() * 200)));
        List<String> answers = new ArrayList<>();
        for (TestAccount victim : victims) {
            answers.add(attacker.post("/api/auth/password", credentials(victim.loginName(), "Spring2026!"))
                    .code());
        }

        assertThat(answers.subList(0, 20)).containsOnly("BAD_CREDENTIALS");
        assertThat(answers.subList(20, 25)).containsOnly("RATE_LIMITED");
        TestAccount last = victims.get(24);
        assertThat(attacker.post("/api/auth/password", credentials(last.loginName(), last.password()))
                        .code())
                .as("the right password from the limited IP")
                .isEqualTo("RATE_LIMITED");
        // Nobody was locked: from another IP each victim still signs in.
        for (TestAccount victim : List.of(victims.get(0), victims.get(19), last)) {
            ApiClient.on(port).login(victim.loginName(), victim.password());
        }
    }

    @Test
    void guessWhenStoppedThenEveryAttemptAuditedWithItsReasonAndIp() {
        TestAccount target = fixtures.user(fixtures.organization());
        TestAccount operator = fixtures.platformAdmin();
        for (int i = 0; i < 10; i++) {
            ApiClient.on(port)
                    .fromIp("192.0.2." + (i + 1))
                    .post("/api/auth/password", credentials(target.loginName(), "Guess-" + i + "-pw"));
        }

        ApiClient.Response failures = ApiClient.on(port)
                .login(operator.loginName(), operator.password())
                .get("/api/audit/events?account=" + target.loginName()
                        + "&action=PASSWORD_LOGIN&outcome=FAILURE&size=20");

        assertThat(failures.json().path("total").asLong()).isEqualTo(8);
        List<String> reasons = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        failures.json().path("items").forEach(item -> {
            reasons.add(item.path("reasonCode").asString());
            ips.add(item.path("clientIp").asString());
        });
        // Attempts 9 and 10 were refused before the account was looked at: audited without it (by IP).
        assertThat(reasons).containsOnly("BAD_CREDENTIALS", "ACCOUNT_LOCKED");
        assertThat(ips).contains("192.0.2.1", "192.0.2.8");
        ApiClient.Response limited = ApiClient.on(port)
                .login(operator.loginName(), operator.password())
                .get("/api/audit/events?ip=192.0.2.9&action=PASSWORD_LOGIN");
        assertThat(limited.json().path("items").get(0).path("reasonCode").asString())
                .isEqualTo("RATE_LIMITED");
        assertThat(limited.json().path("items").get(0).path("detail").asString())
                .isEqualTo("loginName=" + target.loginName());
    }
}
