package org.cagate.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.junit.jupiter.api.Test;

/** {@link LocalRateLimiter}: a fixed window per key on this node, the database's refusals remembered, a bound. */
class LocalRateLimiterTests {

    private final TestClock clock = new TestClock();

    @Test
    void acquireWhenLimitReachedThenRateLimitedWithTheWaitUntilTheWindowEnds() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimit limit = new RateLimit(3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            limiter.acquire("ca-challenge-ip:203.0.113.7", limit);
        }

        assertThatThrownBy(() -> limiter.acquire("ca-challenge-ip:203.0.113.7", limit))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.RATE_LIMITED);
                    assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(50), Duration.ofMinutes(1));
                });
        limiter.acquire("ca-challenge-ip:203.0.113.8", limit); // another address counts on its own
        clock.advance(Duration.ofMinutes(1));
        limiter.acquire("ca-challenge-ip:203.0.113.7", limit); // a new window
    }

    @Test
    void checkWhenDatabaseRefusedThenRefusedUntilTheEndItNamedAndNotAfter() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        limiter.check("ca-login-ip:203.0.113.7");
        limiter.refusedUntil("ca-login-ip:203.0.113.7", clock.instant().plusSeconds(30));

        assertThatThrownBy(() -> limiter.check("ca-login-ip:203.0.113.7"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.RATE_LIMITED);
                    assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
                });
        limiter.check("ca-login-ip:203.0.113.8");
        clock.advance(Duration.ofSeconds(30));
        limiter.check("ca-login-ip:203.0.113.7");
        assertThat(limiter.removeEnded()).isOne();
    }

    @Test
    void acquireWhenMoreKeysThanTheBoundThenOldestForgottenAndMemoryBounded() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock, 100);
        RateLimit one = new RateLimit(1, Duration.ofMinutes(1));
        limiter.acquire("ip:first", one);
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("ip:" + i, one);
        }

        assertThat(limiter.size()).isEqualTo(100);
        limiter.acquire("ip:first", one); // forgotten: counted anew, never refused for lack of room
        assertThatThrownBy(() -> limiter.acquire("ip:999", one)).isInstanceOf(ApiException.class);
    }
}
