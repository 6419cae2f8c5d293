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
 * Password guessing as an attacker would spread it (test limits: after 4 wrong passwords of one name from
 * one address, or 10 from its unusual addresses together, each further attempt waits 1 minute, doubling up
 * to 10; 20 attempts per IP a minute). The attacker is slowed down, never given a lock on the owner: the
 * owner's right password from their usual address keeps working, and nobody waits for an operator.
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

    private ApiClient.Response attempt(String ip, String loginName, String password) {
        return ApiClient.on(port).fromIp(ip).post("/api/auth/password", credentials(loginName, password));
    }

    /** An address of its own per test run, so that tests sharing the context never share counters. */
    private static String ip(String prefix) {
        return prefix + "." + (1 + Math.floorMod(Fixtures.unique().hashCode(), 250));
    }

    @Test
    void guessWhenFromOneAddressThenThatAddressWaitsLongerEachTimeAndOwnerFromUsualAddressGetsIn() {
        TestAccount owner = fixtures.user(fixtures.organization());
        String usual = ip("10.22.1");
        ApiClient.on(port).fromIp(usual).login(owner.loginName(), owner.password());
        String attacker = ip("198.51.101");

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(
                    attempt(attacker, owner.loginName(), "Guess-" + i + "-pw").code());
        }
        ApiClient.Response held = attempt(attacker, owner.loginName(), owner.password());

        assertThat(answers.subList(0, 4)).containsOnly("BAD_CREDENTIALS");
        assertThat(answers.subList(4, 6)).containsOnly("ACCOUNT_LOCKED");
        assertThat(held.status()).isEqualTo(403);
        assertThat(held.code())
                .as("even the right password waits at a held-back address")
                .isEqualTo("ACCOUNT_LOCKED");
        assertThat(Long.parseLong(held.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(attempt(usual, owner.loginName(), owner.password()).status())
                .as("the owner from their usual address")
                .isEqualTo(200);

        clock.advance(Duration.ofSeconds(61));
        assertThat(attempt(attacker, owner.loginName(), "Guess-again").code()).isEqualTo("BAD_CREDENTIALS");
        ApiClient.Response longer = attempt(attacker, owner.loginName(), "Guess-again");
        assertThat(longer.code()).isEqualTo("ACCOUNT_LOCKED");
        assertThat(Long.parseLong(longer.header("Retry-After")))
                .as("the wait doubles")
                .isBetween(61L, 120L);
        clock.advance(Duration.ofSeconds(121));
        assertThat(attempt(attacker, owner.loginName(), owner.password()).status())
                .as("no lock for an operator to lift: after the wait the right password works")
                .isEqualTo(200);
    }

    @Test
    void guessWhenFromManyAddressesThenNameCeilingHoldsBackUnusualAddressesButNotTheOwnersUsualOne() {
        TestAccount owner = fixtures.user(fixtures.organization());
        String usual = ip("10.22.2");
        ApiClient.on(port).fromIp(usual).login(owner.loginName(), owner.password());

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answers.add(attempt("198.51.100." + (i + 1), owner.loginName(), "Guess-" + i + "-pw")
                    .code());
        }

        assertThat(answers.subList(0, 10)).containsOnly("BAD_CREDENTIALS");
        assertThat(answers.subList(10, 30)).containsOnly("ACCOUNT_LOCKED");
        assertThat(attempt("198.51.100.200", owner.loginName(), owner.password())
                        .code())
                .as("the right password from a new address waits")
                .isEqualTo("ACCOUNT_LOCKED");
        for (int i = 0; i < 3; i++) {
            assertThat(attempt(usual, owner.loginName(), owner.password()).status())
                    .as("the owner from their usual address, during the attack")
                    .isEqualTo(200);
        }
        assertThat(attempt(usual, owner.loginName(), "Typo-" + owner.password()).code())
                .as("a typo from the usual address is an ordinary wrong password")
                .isEqualTo("BAD_CREDENTIALS");
    }

    @Test
    void loginWhenRightPasswordManyTimesFromManyAddressesThenNeverHeldBack() {
        TestAccount account = fixtures.user(fixtures.organization());

        for (int i = 0; i < 15; i++) {
            assertThat(attempt("203.0.114." + (i + 1), account.loginName(), account.password())
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void sprayWhenManyAccountsFromOneIpThenRateLimitedWithoutHoldingAnyoneBack() {
        Org org = fixtures.organization();
        List<TestAccount> victims = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            victims.add(fixtures.user(org));
        }
        ApiClient attacker = ApiClient.on(port).fromIp(ip("203.0.113"));
        List<String> answers = new ArrayList<>();
        for (TestAccount victim : victims) {
            answers.add(attacker.post("/api/auth/password", credentials(victim.loginName(), "Spring2026!"))
                    .code());
        }

        assertThat(answers.subList(0, 20)).containsOnly("BAD_CREDENTIALS");
        assertThat(answers.subList(20, 25)).containsOnly("RATE_LIMITED");
        TestAccount last = victims.get(24);
        ApiClient.Response limited =
                attacker.post("/api/auth/password", credentials(last.loginName(), last.password()));
        assertThat(limited.code()).as("the right password from the limited IP").isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        for (TestAccount victim : List.of(victims.get(0), victims.get(19), last)) {
            ApiClient.on(port).login(victim.loginName(), victim.password());
        }
    }

    @Test
    void guessWhenUnknownOrKnownNameThenTheSameAnswersInTheSameOrder() {
        TestAccount known = fixtures.user(fixtures.organization());
        String unknown = "NOBODY" + Fixtures.unique();

        List<String> forKnown = guessTranscript(known.loginName(), "192.0.3");
        List<String> forUnknown = guessTranscript(unknown, "192.0.4");

        // 4 wrong from one address, 2 held back there; 6 more from others reach the name's ceiling of 10.
        assertThat(forKnown.subList(0, 4)).containsOnly("401 BAD_CREDENTIALS 账号或密码错误，请重新输入。");
        assertThat(forKnown.subList(4, 6)).allMatch(a -> a.startsWith("403 ACCOUNT_LOCKED Retry-After"));
        assertThat(forKnown.subList(6, 12)).containsOnly("401 BAD_CREDENTIALS 账号或密码错误，请重新输入。");
        assertThat(forKnown.subList(12, 20)).allMatch(a -> a.startsWith("403 ACCOUNT_LOCKED Retry-After"));
        assertThat(forUnknown).isEqualTo(forKnown);
    }

    /** Status, code, whether Retry-After is set, and detail of a guessing run: 6 from one address, then 14. */
    private List<String> guessTranscript(String loginName, String prefix) {
        List<String> transcript = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ApiClient.Response r = attempt(prefix + "." + (i < 6 ? 1 : i), loginName, "Guess-" + i + "-pw");
            String retry = r.header("Retry-After") == null ? "" : " Retry-After";
            // A wait's detail counts seconds or minutes left, which moves with the clock; the code says enough.
            transcript.add(r.status() + " " + r.code() + retry + (r.status() == 403 ? "" : " " + r.detail()));
        }
        return transcript;
    }

    @Test
    void guessWhenHeldBackThenEveryAttemptAuditedWithItsReasonAndIp() {
        TestAccount target = fixtures.user(fixtures.organization());
        TestAccount operator = fixtures.platformAdmin();
        for (int i = 0; i < 12; i++) {
            attempt("192.0.2." + (i + 1), target.loginName(), "Guess-" + i + "-pw");
        }

        ApiClient operatorClient = ApiClient.on(port).login(operator.loginName(), operator.password());
        ApiClient.Response failures = operatorClient.get(
                "/api/audit/events?account=" + target.loginName() + "&action=PASSWORD_LOGIN&outcome=FAILURE&size=20");

        assertThat(failures.json().path("total").asLong()).isEqualTo(10);
        List<String> reasons = new ArrayList<>();
        failures.json()
                .path("items")
                .forEach(item -> reasons.add(item.path("reasonCode").asString()));
        assertThat(reasons).containsOnly("BAD_CREDENTIALS");
        // Attempts 11 and 12 were held back before the account was looked at: audited by IP and name.
        ApiClient.Response held = operatorClient.get("/api/audit/events?ip=192.0.2.11&action=PASSWORD_LOGIN");
        assertThat(held.json().path("items").get(0).path("reasonCode").asString())
                .isEqualTo("ACCOUNT_LOCKED");
        assertThat(held.json().path("items").get(0).path("detail").asString())
                .isEqualTo("loginName=" + target.loginName());
    }
}
