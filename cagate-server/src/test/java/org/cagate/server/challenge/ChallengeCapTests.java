package org.cagate.server.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.junit.jupiter.api.Test;

/** {@link ChallengeCap}: a fixed number per window on this node, then 503 with the wait, then a new window. */
class ChallengeCapTests {

    private final MovingClock clock = new MovingClock();

    private ChallengeCap cap(int limit, Duration window) {
        return new ChallengeCap(new ChallengeCap.Properties(limit, window), clock);
    }

    @Test
    void acquireWhenLimitReachedThenServiceUnavailableWithTheRestOfTheWindow() {
        ChallengeCap cap = cap(3, Duration.ofSeconds(10));
        cap.acquire();
        clock.advance(Duration.ofSeconds(2));
        cap.acquire();
        cap.acquire();
        clock.advance(Duration.ofMillis(1500));

        assertThatThrownBy(cap::acquire).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.SERVICE_UNAVAILABLE);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(6500));
        });
        clock.advance(Duration.ofMillis(6499));
        assertThatThrownBy(cap::acquire).isInstanceOf(ApiException.class);
    }

    @Test
    void acquireWhenWindowEndedThenCountsAfresh() {
        ChallengeCap cap = cap(2, Duration.ofSeconds(1));
        cap.acquire();
        cap.acquire();
        assertThatThrownBy(cap::acquire).isInstanceOf(ApiException.class);

        clock.advance(Duration.ofSeconds(1));

        cap.acquire();
        cap.acquire();
        assertThatThrownBy(cap::acquire).isInstanceOf(ApiException.class);
    }

    @Test
    void acquireWhenRefusedManyTimesThenRefusalsDoNotCountTowardsTheNextWindow() {
        ChallengeCap cap = cap(1, Duration.ofSeconds(1));
        cap.acquire();
        for (int i = 0; i < 10_000; i++) {
            assertThatThrownBy(cap::acquire).isInstanceOf(ApiException.class);
        }

        clock.advance(Duration.ofSeconds(1));

        cap.acquire();
    }

    @Test
    void constructWhenWindowNotPositiveThenRefused() {
        assertThatThrownBy(() -> cap(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T08:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
