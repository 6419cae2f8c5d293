package org.cagate.server.throttle;

import java.time.Duration;

/** At most {@code permits} requests per key within each {@code window}. */
public record RateLimit(int permits, Duration window) {
    public RateLimit {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1");
        }
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("window must be between 1 ms and 1 day");
        }
    }
}
