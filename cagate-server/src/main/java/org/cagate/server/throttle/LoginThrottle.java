package org.cagate.server.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Slows password guessing without locking the owner out (OWASP Authentication Cheat Sheet, NIST SP
 * 800-63B 5.2.2): failures are counted per login name <em>and</em> client address, and per login name
 * over every address that is not one of its usual ones (a much higher ceiling, against guesses spread
 * over many addresses). Past a counter's free failures each further attempt waits a delay that doubles,
 * up to a maximum; there is no lock that only an operator can lift. An address the name signed in from
 * with its password (its usual address) is not held back by the per-name counter, so the owner's right
 * password keeps working while others guess from elsewhere. The state lives in the database, so every
 * node counts the same attempts.
 *
 * <p>An attempt is counted before the password is checked (as if it failed) and taken back when it
 * succeeds, so parallel guesses cannot all slip through before the first failure is written. Login names
 * are counted as typed, whether or not an account has that name, so the answers do not tell which exist.
 */
@Service
public class LoginThrottle {

    /** The client_ip of the per-name counter. */
    static final String EVERY_ADDRESS = "*";

    private final JdbcClient jdbc;
    private final AsyncCommit asyncCommit;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, AsyncCommit asyncCommit, Clock clock) {
        this.jdbc = jdbc;
        this.asyncCommit = asyncCommit;
        this.clock = clock;
    }

    /**
     * When the counters of a login name hold an attempt back.
     *
     * @param addressFailures failures of one name from one address before the delays begin
     * @param nameFailures failures of one name from all its unusual addresses before the delays begin
     * @param firstDelay the first delay; each further failure doubles it
     * @param maxDelay the longest delay
     * @param failureMemory a counter is forgotten this long after its last failure
     * @param usualAddressMemory an address stays usual this long after the name's last password login from it
     */
    public record Policy(
            int addressFailures,
            int nameFailures,
            Duration firstDelay,
            Duration maxDelay,
            Duration failureMemory,
            Duration usualAddressMemory) {
        public Policy {
            if (addressFailures < 1 || nameFailures < 1) {
                throw new IllegalArgumentException("failures must be at least 1");
            }
            if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("delays must be positive, the maximum at least the first");
            }
        }

        Duration delayAfter(int failures, int free) {
            if (failures < free) {
                return Duration.ZERO;
            }
            int doublings = Math.min(30, failures - free);
            Duration delay = firstDelay.multipliedBy(1L << doublings);
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    /** What {@link #begin} decided. */
    public sealed interface Outcome permits Attempt, Held {}

    /** An attempt let through: {@link #succeeded} takes its count back. */
    public record Attempt(String loginName, String clientIp, boolean usualAddress) implements Outcome {}

    /** An attempt held back, and for how long. */
    public record Held(Duration retryAfter) implements Outcome {}

    /** One counter of a login name, for the operator. */
    public record Entry(String clientIp, int failures, Instant lastFailure, Instant blockedUntil) {
        public boolean everyAddress() {
            return EVERY_ADDRESS.equals(clientIp);
        }
    }

    /**
     * Counts an attempt of {@code loginName} from {@code clientIp}, before its password is checked.
     *
     * @return the attempt, or a {@link Held} when a counter says to wait
     */
    public Outcome begin(String loginName, String clientIp, Policy policy) {
        String name = RateLimiter.normalize(loginName);
        return asyncCommit.<Outcome>run(() -> {
            Instant now = clock.instant();
            Duration held = count(name, clientIp, policy.addressFailures(), policy, now);
            if (held != null) {
                return new Held(held);
            }
            boolean usual = usual(name, clientIp, policy, now);
            if (!usual) {
                held = count(name, EVERY_ADDRESS, policy.nameFailures(), policy, now);
                if (held != null) {
                    // Not an attempt after all. The address's row is still locked by this transaction and was not
                    // waiting when counted, so it is put back as it was, without the wait this count may have set.
                    takeBack(name, clientIp, true);
                    return new Held(held);
                }
            }
            return new Attempt(name, clientIp, usual);
        });
    }

    /** The password was right: the address's counter is forgotten, the per-name count taken back. */
    public void succeeded(Attempt attempt) {
        Instant now = clock.instant();
        asyncCommit.run(() -> {
            jdbc.sql("DELETE FROM login_throttle WHERE login_name = :name AND client_ip = :ip")
                    .param("name", attempt.loginName())
                    .param("ip", attempt.clientIp())
                    .update();
            if (!attempt.usualAddress()) {
                takeBack(attempt.loginName(), EVERY_ADDRESS, false);
            }
            int updated = jdbc.sql("UPDATE login_address SET last_success = :now"
                            + " WHERE login_name = :name AND client_ip = :ip")
                    .param("now", Timestamps.utc(now))
                    .param("name", attempt.loginName())
                    .param("ip", attempt.clientIp())
                    .update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO login_address (login_name, client_ip, last_success) VALUES (:name, :ip, :now)"
                                + " ON CONFLICT DO NOTHING")
                        .param("name", attempt.loginName())
                        .param("ip", attempt.clientIp())
                        .param("now", Timestamps.utc(now))
                        .update();
            }
            return null;
        });
    }

    /** Every counter of a login name, the per-name one first. */
    public List<Entry> entries(String loginName) {
        return jdbc.sql("""
                        SELECT client_ip, failures, last_failure, blocked_until FROM login_throttle
                         WHERE login_name = :name ORDER BY CASE WHEN client_ip = '*' THEN 0 ELSE 1 END, last_failure DESC""")
                .param("name", RateLimiter.normalize(loginName))
                .query((rs, row) -> new Entry(
                        rs.getString("client_ip"),
                        rs.getInt("failures"),
                        Timestamps.instant(rs, "last_failure"),
                        Timestamps.instant(rs, "blocked_until")))
                .list();
    }

    /** Forgets every counter of a login name (an operator's 解锁); returns how many there were. */
    public int clear(String loginName) {
        return jdbc.sql("DELETE FROM login_throttle WHERE login_name = :name")
                .param("name", RateLimiter.normalize(loginName))
                .update();
    }

    /** Counters and usual addresses past their memory carry no information; removes them. */
    public int removeForgotten(Duration failureMemory, Duration usualAddressMemory) {
        Instant now = clock.instant();
        int removed = jdbc.sql("DELETE FROM login_throttle WHERE last_failure < :before"
                        + " AND (blocked_until IS NULL OR blocked_until < :now)")
                .param("before", Timestamps.utc(now.minus(failureMemory)))
                .param("now", Timestamps.utc(now))
                .update();
        return removed
                + jdbc.sql("DELETE FROM login_address WHERE last_success < :before")
                        .param("before", Timestamps.utc(now.minus(usualAddressMemory)))
                        .update();
    }

    /** Counts one attempt on a counter, or returns how long to wait when it is held back. */
    private Duration count(String name, String ip, int free, Policy policy, Instant now) {
        for (int round = 0; round < 2; round++) {
            var row = jdbc.sql("SELECT failures, last_failure, blocked_until FROM login_throttle"
                            + " WHERE login_name = :name AND client_ip = :ip FOR UPDATE")
                    .param("name", name)
                    .param("ip", ip)
                    .query((rs, n) -> new Entry(
                            ip,
                            rs.getInt("failures"),
                            Timestamps.instant(rs, "last_failure"),
                            Timestamps.instant(rs, "blocked_until")))
                    .optional();
            if (row.isEmpty()) {
                int inserted = jdbc.sql("""
                                INSERT INTO login_throttle (login_name, client_ip, failures, last_failure, blocked_until)
                                VALUES (:name, :ip, 1, :now, :until) ON CONFLICT DO NOTHING""")
                        .param("name", name)
                        .param("ip", ip)
                        .param("now", Timestamps.utc(now))
                        .param("until", until(1, free, policy, now))
                        .update();
                if (inserted == 1) {
                    return null;
                }
                continue; // another attempt inserted it at the same moment: lock it and count on it
            }
            Entry entry = row.get();
            if (entry.blockedUntil() != null && entry.blockedUntil().isAfter(now)) {
                return Duration.between(now, entry.blockedUntil());
            }
            boolean forgotten = entry.lastFailure().plus(policy.failureMemory()).isBefore(now);
            int failures = forgotten ? 1 : entry.failures() + 1;
            jdbc.sql("UPDATE login_throttle SET failures = :failures, last_failure = :now, blocked_until = :until"
                            + " WHERE login_name = :name AND client_ip = :ip")
                    .param("failures", failures)
                    .param("now", Timestamps.utc(now))
                    .param("until", until(failures, free, policy, now))
                    .param("name", name)
                    .param("ip", ip)
                    .update();
            return null;
        }
        return Duration.ofSeconds(1);
    }

    private static Object until(int failures, int free, Policy policy, Instant now) {
        Duration delay = policy.delayAfter(failures, free);
        return delay.isZero() ? null : Timestamps.utc(now.plus(delay));
    }

    private void takeBack(String name, String ip, boolean clearWait) {
        jdbc.sql("UPDATE login_throttle SET failures = failures - 1"
                        + (clearWait ? ", blocked_until = NULL" : "")
                        + " WHERE login_name = :name AND client_ip = :ip AND failures > 0")
                .param("name", name)
                .param("ip", ip)
                .update();
    }

    private boolean usual(String name, String ip, Policy policy, Instant now) {
        return jdbc.sql("SELECT COUNT(*) FROM login_address WHERE login_name = :name AND client_ip = :ip"
                                + " AND last_success >= :since")
                        .param("name", name)
                        .param("ip", ip)
                        .param("since", Timestamps.utc(now.minus(policy.usualAddressMemory())))
                        .query(Long.class)
                        .single()
                > 0;
    }
}
