package org.cagate.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@CagateServerTest
class ThrottlingTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    RateLimiter rateLimiter;

    @Autowired
    LoginThrottle loginThrottle;

    private static final LoginThrottle.Policy POLICY = new LoginThrottle.Policy(
            4, 10, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(90));

    @Test
    void beginWhenManyGuessesAtOnceFromOneAddressThenExactlyTheFreeFailuresGoThrough() throws Exception {
        String name = "guess-" + Fixtures.unique();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<LoginThrottle.Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(() -> loginThrottle.begin(name, "198.18.0.1", POLICY));
            }
            long through = 0;
            for (Future<LoginThrottle.Outcome> f : pool.invokeAll(calls)) {
                through += f.get() instanceof LoginThrottle.Attempt ? 1 : 0;
            }
            assertThat(through).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
        assertThat(loginThrottle.entries(name))
                .extracting(LoginThrottle.Entry::clientIp, LoginThrottle.Entry::failures)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("*", 4),
                        org.assertj.core.groups.Tuple.tuple("198.18.0.1", 4));
    }

    @Test
    void beginWhenAddressUsualThenNotCountedOnTheNameAndNotHeldByIt() {
        String name = "owner-" + Fixtures.unique();
        loginThrottle.succeeded((LoginThrottle.Attempt) loginThrottle.begin(name, "198.18.1.1", POLICY));
        for (int i = 0; i < 10; i++) {
            assertThat(loginThrottle.begin(name, "198.18.2." + i, POLICY)).isInstanceOf(LoginThrottle.Attempt.class);
        }

        assertThat(loginThrottle.begin(name, "198.18.3.1", POLICY)).isInstanceOf(LoginThrottle.Held.class);
        LoginThrottle.Outcome usual = loginThrottle.begin(name, "198.18.1.1", POLICY);
        assertThat(usual).isEqualTo(new LoginThrottle.Attempt(name, "198.18.1.1", true));
    }

    @Test
    void removeForgottenWhenFailuresOlderThanMemoryThenRowsGone() {
        String name = "old-" + Fixtures.unique();
        loginThrottle.begin(name, "198.18.4.1", POLICY);

        clock.advance(Duration.ofHours(2));

        assertThat(loginThrottle.removeForgotten(Duration.ofHours(1), Duration.ofDays(90)))
                .isGreaterThanOrEqualTo(2);
        assertThat(loginThrottle.entries(name)).isEmpty();
    }

    @Test
    void passwordLoginWhenIpExceedsLimitThenRateLimitedWithRetryAfter() {
        ApiClient client = ApiClient.on(port);
        for (int i = 0; i < 20; i++) {
            ApiClient.Response attempt = client.post(
                    "/api/auth/password", Map.of("loginName", "GUESS" + Fixtures.unique(), "password", "Wrong-Pass-1"));
            assertThat(attempt.code()).isEqualTo("BAD_CREDENTIALS");
        }

        ApiClient.Response limited = client.post(
                "/api/auth/password", Map.of("loginName", "GUESS" + Fixtures.unique(), "password", "Wrong-Pass-1"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        // Another client IP is not affected.
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient.on(port).login(account.loginName(), account.password());
    }

    @Test
    void acquireWhenManyCallersAtOnceThenExactlyPermitsSucceed() throws Exception {
        String key = "test-concurrent:" + Fixtures.unique();
        RateLimit limit = new RateLimit(10, Duration.ofMinutes(5));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(() -> {
                    try {
                        rateLimiter.acquire(key, limit);
                        return true;
                    } catch (ApiException e) {
                        assertThat(e.code()).isEqualTo(ProblemCode.RATE_LIMITED);
                        return false;
                    }
                });
            }
            long granted = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                granted += f.get() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removeExpiredWhenWindowsPassedThenRowsGoneAndKeyStartsAfresh() {
        String key = "test-expiry:" + Fixtures.unique();
        RateLimit limit = new RateLimit(1, Duration.ofSeconds(30));
        rateLimiter.acquire(key, limit);

        clock.advance(Duration.ofSeconds(31));

        assertThat(rateLimiter.removeExpired()).isGreaterThanOrEqualTo(1);
        rateLimiter.acquire(key, limit);
    }

    @Test
    void acquireWhenKeyLongerThanColumnThenHashedAndCounted() {
        String key = "test-long:" + "x".repeat(500) + Fixtures.unique();
        RateLimit limit = new RateLimit(1, Duration.ofMinutes(1));
        rateLimiter.acquire(key, limit);
        try {
            rateLimiter.acquire(key, limit);
            throw new AssertionError("second acquire should be limited");
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ProblemCode.RATE_LIMITED);
            assertThat(e.retryAfter()).isPositive();
        }
    }
}
