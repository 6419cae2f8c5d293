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
    void passwordLoginWhenAccountExceedsLimitFromManyIpsThenRateLimitedUntilWindowEnds() {
        TestAccount account = fixtures.user(fixtures.organization());
        for (int i = 0; i < 8; i++) {
            ApiClient.on(port).login(account.loginName(), account.password());
        }

        ApiClient.Response limited = ApiClient.on(port)
                .post("/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password()));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("RATE_LIMITED");
        clock.advance(Duration.ofSeconds(61));
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
