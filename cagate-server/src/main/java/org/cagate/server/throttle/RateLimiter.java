package org.cagate.server.throttle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Fixed-window rate limits whose counters live in the database, so every node counts the same
 * requests. A key names what is counted ({@code "password-ip:203.0.113.7"}); each feature picks its
 * own prefix. The common case costs one UPDATE; a new or expired key one more INSERT.
 *
 * <pre>{@code rateLimiter.acquire("ca-login-ip:" + ip, new RateLimit(30, Duration.ofMinutes(1)));}</pre>
 */
@Service
public class RateLimiter {

    private static final int MAX_KEY = 200;

    private final JdbcClient jdbc;
    private final Clock clock;

    RateLimiter(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Counts one request for {@code key}.
     *
     * @throws ApiException RATE_LIMITED with Retry-After when the key's window is already full
     */
    public void acquire(String key, RateLimit limit) {
        String k = normalize(key);
        // Two rounds: a concurrent request may insert or roll the window between our statements.
        for (int round = 0; round < 2; round++) {
            Instant now = clock.instant();
            int updated = jdbc.sql("""
                            UPDATE throttle_window
                               SET hits = CASE WHEN window_end <= :now THEN 1 ELSE hits + 1 END,
                                   window_end = CASE WHEN window_end <= :now THEN :end ELSE window_end END
                             WHERE throttle_key = :key AND (window_end <= :now OR hits < :permits)""")
                    .param("now", Timestamps.utc(now))
                    .param("end", Timestamps.utc(now.plus(limit.window())))
                    .param("key", k)
                    .param("permits", limit.permits())
                    .update();
            if (updated == 1) {
                return;
            }
            int inserted = jdbc.sql("""
                            INSERT INTO throttle_window (throttle_key, window_end, hits) VALUES (:key, :end, 1)
                            ON CONFLICT DO NOTHING""")
                    .param("key", k)
                    .param("end", Timestamps.utc(now.plus(limit.window())))
                    .update();
            if (inserted == 1) {
                return;
            }
            Instant end = jdbc.sql("SELECT window_end FROM throttle_window WHERE throttle_key = :key")
                    .param("key", k)
                    .query((rs, row) -> Timestamps.instant(rs, "window_end"))
                    .optional()
                    .orElse(null);
            if (end != null && end.isAfter(now)) {
                throw ApiException.retryAfter(ProblemCode.RATE_LIMITED, Duration.between(now, end));
            }
        }
        // The window kept rolling under us: the key is busy right at a boundary; count it as limited.
        throw ApiException.retryAfter(ProblemCode.RATE_LIMITED, Duration.ofSeconds(1));
    }

    /** Forgets a key, e.g. after the condition it guarded has been cleared by an operator. */
    public void reset(String key) {
        jdbc.sql("DELETE FROM throttle_window WHERE throttle_key = :key")
                .param("key", normalize(key))
                .update();
    }

    /** Windows that have passed carry no information; remove them so the table stays small. */
    @Scheduled(fixedDelayString = "${cagate.throttle.cleanup-interval:PT10M}", initialDelayString = "PT1M")
    public int removeExpired() {
        return jdbc.sql("DELETE FROM throttle_window WHERE window_end < :now")
                .param("now", Timestamps.utc(clock.instant()))
                .update();
    }

    // Keys may embed user input (login names); a long key is replaced by its hash, keeping the prefix readable.
    static String normalize(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return key.substring(0, 100) + "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
