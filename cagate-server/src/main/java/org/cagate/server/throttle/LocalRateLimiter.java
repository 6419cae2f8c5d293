package org.cagate.server.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Rate limits counted in this node's memory, with no database work: what one node has seen, not the
 * cluster. Two uses (docs/decisions.md, "Issue 19"):
 *
 * <ul>
 *   <li>{@link #acquire}: a fixed-window count per key, like {@link RateLimiter} but per node, so with N
 *       nodes a client behind a load balancer gets up to N× the limit;
 *   <li>{@link #refusedUntil} and {@link #check}: what the database's {@link RateLimiter} already refused,
 *       remembered until the end of the window it named, so that a node can refuse early (before work
 *       that costs CPU) exactly what the database would refuse too, and nothing it would allow.
 * </ul>
 *
 * <p>Bounded: at most {@link #MAX_KEYS} keys; when full, a new key makes the oldest window go (one that
 * ended, unless {@link #MAX_KEYS} clients are inside their windows). Forgetting a count errs towards
 * allowing, never towards refusing. Windows that ended go as the keys are used again or pushed out.
 */
@Component
public class LocalRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(LocalRateLimiter.class);

    static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private boolean warnedFull;

    @Autowired
    LocalRateLimiter(Clock clock) {
        this(clock, MAX_KEYS);
    }

    LocalRateLimiter(Clock clock, int maxKeys) {
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /** A window's end and its count; {@code refused} when the database named the end. */
    private static final class Window {
        private Instant end;
        private int hits;
        private boolean refused;
    }

    /**
     * Counts one request for {@code key} on this node.
     *
     * @throws ApiException RATE_LIMITED with Retry-After when this node counted the key's limit in its window
     */
    public void acquire(String key, RateLimit limit) {
        Duration wait = tryAcquire(RateLimiter.normalize(key), limit);
        if (wait != null) {
            throw ApiException.retryAfter(ProblemCode.RATE_LIMITED, wait);
        }
    }

    private synchronized Duration tryAcquire(String key, RateLimit limit) {
        Instant now = clock.instant();
        Window window = windows.get(key);
        if (window == null || window.refused || !now.isBefore(window.end)) {
            window = fresh(key);
            window.end = now.plus(limit.window());
        }
        if (window.hits >= limit.permits()) {
            return Duration.between(now, window.end);
        }
        window.hits++;
        return null;
    }

    /**
     * Remembers that the database refused {@code key} until {@code end}: its window is full, and a full
     * window's count only grows until it ends, so every request for the key before then is refused there.
     */
    public synchronized void refusedUntil(String key, Instant end) {
        String k = RateLimiter.normalize(key);
        Window window = windows.get(k);
        if (window == null || !window.refused) {
            window = fresh(k);
            window.refused = true;
            window.end = end;
        } else if (end.isAfter(window.end)) {
            window.end = end;
        }
    }

    /**
     * @throws ApiException RATE_LIMITED with Retry-After when the database refused {@code key} in a window
     *     that has not ended ({@link #refusedUntil})
     */
    public void check(String key) {
        Duration wait = refusal(RateLimiter.normalize(key));
        if (wait != null) {
            throw ApiException.retryAfter(ProblemCode.RATE_LIMITED, wait);
        }
    }

    private synchronized Duration refusal(String key) {
        Window window = windows.get(key);
        Instant now = clock.instant();
        if (window == null || !window.refused || !now.isBefore(window.end)) {
            return null;
        }
        return Duration.between(now, window.end);
    }

    /** A new window for {@code key}, making room first when the node holds its bound of keys. */
    private Window fresh(String key) {
        windows.remove(key);
        if (windows.size() >= maxKeys) {
            // The oldest window goes (a new one is added at the end): most often one that has ended.
            Iterator<Window> oldest = windows.values().iterator();
            Window w = oldest.next();
            oldest.remove();
            if (clock.instant().isBefore(w.end) && !warnedFull) {
                warnedFull = true;
                log.warn("Node-local rate limits hold {} live keys; forgetting the oldest", maxKeys);
            }
        }
        Window window = new Window();
        windows.put(key, window);
        return window;
    }

    /** Forgets windows that have ended: they carry no information. */
    @Scheduled(fixedDelayString = "${cagate.throttle.local-cleanup-interval:PT1M}", initialDelayString = "PT1M")
    public synchronized int removeEnded() {
        Instant now = clock.instant();
        int before = windows.size();
        windows.values().removeIf(w -> !now.isBefore(w.end));
        return before - windows.size();
    }

    /** How many keys this node holds (tests). */
    synchronized int size() {
        return windows.size();
    }
}
