package org.cagate.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * After a wrong PIN, the next try on the same token waits until the delay has passed. Tries on one
 * token also run one at a time, so parallel requests cannot slip past the wait. We delay rather than
 * answer with a new error code: the page needs no new case, and a page that hammers the agent still
 * gets at most one try per delay, so it cannot burn through a key's 6-10 retries in a moment.
 */
final class PinThrottle {

    /** Waits; a seam so tests need not sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    interface Attempt<T> {
        T run() throws AgentException;
    }

    private static final class TokenState {
        final ReentrantLock lock = new ReentrantLock(true);
        Instant notBefore = Instant.MIN;
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

    /** Runs one PIN try on the token, after the delay that a previous wrong PIN set. */
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
                return attempt.run();
            } catch (AgentException e) {
                if (e.code() == ErrorCode.PIN_INCORRECT) {
                    state.notBefore = clock.instant().plus(delay);
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
