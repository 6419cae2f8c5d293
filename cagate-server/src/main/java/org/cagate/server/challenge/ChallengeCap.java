package org.cagate.server.challenge;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * A hard bound on the challenges this node issues per window, whatever the addresses asking. The per-IP
 * limit bounds one client, but addresses are cheap (an IPv6 /64, a botnet), so without this the challenge
 * table would grow with the number of addresses. Counted in memory, per node, with no database work: the
 * table holds at most {@code nodes × limit × (⌈(ttl + retention + cleanup interval) / window⌉ + 1)} rows
 * (docs/operations.md, "Limits"). Beyond the limit a challenge is refused with 503 SERVICE_UNAVAILABLE and
 * Retry-After until the window ends: the platform, not the client, is out of room.
 *
 * <p>Only challenges about to be stored count, after the per-IP limit and the provider checks, so one
 * address that the per-IP limit already refuses cannot use up everyone's share.
 */
@Component
class ChallengeCap {

    private static final Logger log = LoggerFactory.getLogger(ChallengeCap.class);

    /**
     * @param challengeNodeLimit challenges one node may issue per {@code challengeNodeWindow}
     * @param challengeNodeWindow the fixed window the node limit counts in
     */
    @Validated
    @ConfigurationProperties("cagate.ca")
    record Properties(
            @DefaultValue("2000") @Min(1) int challengeNodeLimit,
            @DefaultValue("1s") @NotNull Duration challengeNodeWindow) {}

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private Instant windowEnd = Instant.MIN;
    private int issued;
    private boolean refusing;

    ChallengeCap(Properties properties, Clock clock) {
        if (properties.challengeNodeWindow().isNegative()
                || properties.challengeNodeWindow().isZero()) {
            throw new IllegalArgumentException("cagate.ca.challenge-node-window must be positive");
        }
        this.limit = properties.challengeNodeLimit();
        this.window = properties.challengeNodeWindow();
        this.clock = clock;
    }

    /**
     * Counts one challenge about to be stored.
     *
     * @throws ApiException SERVICE_UNAVAILABLE with Retry-After when this node issued its limit in this window
     */
    void acquire() {
        Duration wait = tryAcquire();
        if (wait != null) {
            throw ApiException.retryAfter(ProblemCode.SERVICE_UNAVAILABLE, wait);
        }
    }

    /** @return null when counted, else how long until the window ends */
    private synchronized Duration tryAcquire() {
        Instant now = clock.instant();
        if (!now.isBefore(windowEnd)) {
            windowEnd = now.plus(window);
            issued = 0;
            refusing = false;
        }
        if (issued >= limit) {
            if (!refusing) { // the first refusal of this window; the others are not logged
                refusing = true;
                log.warn(
                        "This node issued its {} challenges of the window ({}); refusing more (503) until {}",
                        limit,
                        window,
                        windowEnd);
            }
            return Duration.between(now, windowEnd);
        }
        issued++;
        return null;
    }
}
