package org.cagate.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * After a wrong PIN, the next try on the same token waits until the delay has passed, and the delay
 * doubles with each consecutive wrong PIN: {@code delay}, 2×, 4×, ... up to {@link #MAX_FACTOR}× (3, 6,
 * 12, 24, 30 s with the default 3 s), until a right PIN starts again from nothing. Tries on one token
 * also run one at a time, so parallel requests cannot slip past the wait. We delay rather than answer
 * with a new error code: the page needs no new case, and a page that hammers the agent gets at most one
 * try per delay, so burning a key's 10 tries takes minutes instead of 30 s; the last try is kept for the
 * person anyway ({@link ErrorCode#PIN_FINAL_TRY}).
 */
final class PinThrottle {

    /** Waits; a seam so tests need not sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    interface Attempt<T> {
        T run() throws AgentException;
    }

    /** The longest wait, as a multiple of the configured delay. */
    static final int MAX_FACTOR = 10;

    private static final class TokenState {
        final ReentrantLock lock = new ReentrantLock(true);
        Instant notBefore = Instant.MIN;
        int consecutiveWrong;
    }

    private final Duration delay;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, TokenState> tokens = new ConcurrentHashMap<>();

    PinThrottle(Duration delay, Clock clock, Sleeper sleeper) {
        this.delay = Objects.requireNonNull(delay, "delay");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    static PinThrottle sleeping(Duration delay, Clock clock) {
        return new PinThrottle(delay, clock, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    /** The wait after {@code wrong} consecutive wrong PINs. */
    Duration delayAfter(int wrong) {
        long factor = Math.min(MAX_FACTOR, 1L << Math.min(20, Math.max(0, wrong - 1)));
        return delay.multipliedBy(factor);
    }

    /** Runs one PIN try on the token, after the delay that previous wrong PINs set. */
    <T> T attempt(String tokenKey, Attempt<T> attempt) throws AgentException {
        TokenState state = tokens.computeIfAbsent(tokenKey, k -> new TokenState());
        try {
            state.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ErrorCode.AGENT_ERROR, "interrupted while waiting for " + tokenKey);
        }
        try {
            Duration wait = Duration.between(clock.instant(), state.notBefore);
            if (state.notBefore != Instant.MIN && !wait.isNegative() && !wait.isZero()) {
                sleeper.sleep(wait);
            }
            try {
                T result = attempt.run();
                state.consecutiveWrong = 0;
                return result;
            } catch (AgentException e) {
                if (e.code() == ErrorCode.PIN_INCORRECT) {
                    state.consecutiveWrong++;
                    state.notBefore = clock.instant().plus(delayAfter(state.consecutiveWrong));
                }
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ErrorCode.AGENT_ERROR, "interrupted while waiting for " + tokenKey);
        } finally {
            state.lock.unlock();
        }
    }
}
