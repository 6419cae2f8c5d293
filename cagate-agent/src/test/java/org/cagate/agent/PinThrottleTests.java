package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinThrottleTests {
    /** A clock that the fake sleeper moves forward. */
    static final class FakeTime extends Clock {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

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
            return this;
        }

        void sleep(Duration d) {
            sleeps.add(d);
            now = now.plus(d);
        }
    }

    final FakeTime time = new FakeTime();
    final PinThrottle throttle = new PinThrottle(Duration.ofSeconds(3), time, time::sleep);

    @Test
    void attemptWhenPreviousPinWrongThenWaitsForWhatIsLeftOfTheDelay() throws Exception {
        assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                    throw AgentException.pinIncorrect(5);
                }))
                .isInstanceOf(AgentException.class);
        time.now = time.now.plusSeconds(1);

        String result = throttle.attempt("ZJHX/1", () -> "signed");

        assertThat(result).isEqualTo("signed");
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void attemptWhenOtherTokenOrOtherErrorThenNoWait() throws Exception {
        assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                    throw AgentException.pinIncorrect(5);
                }))
                .isInstanceOf(AgentException.class);
        assertThatThrownBy(() -> throttle.attempt("SCCA/2", () -> {
                    throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "gone");
                }))
                .isInstanceOf(AgentException.class);

        throttle.attempt("SCCA/2", () -> "other token");
        throttle.attempt("SCCA/2", () -> "not a PIN failure");

        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void attemptWhenFirstTryOrDelayPassedThenNoWait() throws Exception {
        throttle.attempt("ZJHX/1", () -> "first");
        assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                    throw AgentException.pinIncorrect(null);
                }))
                .isInstanceOf(AgentException.class);
        time.now = time.now.plusSeconds(3);

        throttle.attempt("ZJHX/1", () -> "after the delay");

        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void attemptWhenWrongPinsInARowThenEachWaitDoublesUpToTenTimesTheDelay() throws Exception {
        for (int i = 0; i < 7; i++) {
            assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                        throw AgentException.pinIncorrect(null);
                    }))
                    .isInstanceOf(AgentException.class);
        }

        assertThat(time.sleeps)
                .containsExactly(
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(6),
                        Duration.ofSeconds(12),
                        Duration.ofSeconds(24),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
    }

    @Test
    void attemptWhenRightPinAfterWrongOnesThenTheWaitsStartAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                        throw AgentException.pinIncorrect(null);
                    }))
                    .isInstanceOf(AgentException.class);
        }
        throttle.attempt("ZJHX/1", () -> "right PIN");
        time.sleeps.clear();

        assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                    throw AgentException.pinIncorrect(null);
                }))
                .isInstanceOf(AgentException.class);
        throttle.attempt("ZJHX/1", () -> "after one wrong PIN");

        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void attemptWhenFinalTryNotConfirmedThenNotAWrongPinAndNoLongerWait() throws Exception {
        assertThatThrownBy(() -> throttle.attempt("ZJHX/1", () -> {
                    throw AgentException.pinFinalTry();
                }))
                .isInstanceOf(AgentException.class);

        throttle.attempt("ZJHX/1", () -> "confirmed");

        assertThat(time.sleeps).isEmpty();
    }
}
