package org.cagate.server.challenge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cagate.server.system.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The MAC keys that seal challenges ({@link ChallengeSeal}), shared by every node through {@code
 * ca_challenge_key} and cached here. A key belongs to a rotation slot: its id is {@code epoch seconds /
 * cagate.ca.challenge-key-rotation}, and it seals the challenges issued within that slot. Whichever node
 * first needs a slot's key inserts one (its secret 32 bytes from the injected {@link SecureRandom}); a
 * concurrent insert of the same slot loses to the primary key ({@code ON CONFLICT DO NOTHING}) and every
 * node reads back the one that won. The scheduled {@link #maintain} makes the current and the next slot's
 * key ahead of time, so a node rarely meets a key it has not loaded, and deletes keys once every
 * challenge they sealed is past its expiry plus the retention.
 *
 * <p>An unknown key id in a challenge reloads the table at most once per second, and only for an id no
 * later than the next slot: made-up ids cannot make every request a database query.
 */
@Component
class ChallengeKeys {

    private static final Logger log = LoggerFactory.getLogger(ChallengeKeys.class);

    static final int SECRET_BYTES = 32;
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);

    /** A shared MAC key; it seals challenges issued from {@code sealsFrom} until {@code sealsUntil}. */
    record Key(int id, byte[] secret, Instant sealsFrom, Instant sealsUntil) {}

    private final JdbcClient jdbc;
    private final ChallengeProperties properties;
    private final SecureRandom random;
    private final Clock clock;
    private final long rotationSeconds;

    private volatile Map<Integer, Key> keys = Map.of();
    private Instant lastLoad = Instant.MIN; // guarded by this

    ChallengeKeys(JdbcClient jdbc, ChallengeProperties properties, SecureRandom random, Clock clock) {
        this.rotationSeconds = properties.challengeKeyRotation().toSeconds();
        if (rotationSeconds < 1) {
            throw new IllegalArgumentException("cagate.ca.challenge-key-rotation must be at least 1s");
        }
        this.jdbc = jdbc;
        this.properties = properties;
        this.random = random;
        this.clock = clock;
    }

    /** The key that seals a challenge issued now; made (or read from another node's) when this node has none. */
    Key current() {
        Instant now = clock.instant();
        int slot = slot(now);
        Key key = keys.get(slot);
        if (key != null && !now.isBefore(key.sealsFrom()) && now.isBefore(key.sealsUntil())) {
            return key;
        }
        synchronized (this) {
            load(now); // another node may have made it
            if (!keys.containsKey(slot)) {
                ensure(slot);
                load(now);
            }
            key = keys.get(slot);
        }
        if (key == null) {
            throw new IllegalStateException("the challenge key of slot " + slot + " is missing after its insert");
        }
        return key;
    }

    /**
     * The key with this id: from the cache, or after a reload when the id could exist (no later than the
     * next slot) and the last load is a second old.
     */
    Optional<Key> find(int id) {
        Key key = keys.get(id);
        if (key != null) {
            return Optional.of(key);
        }
        Instant now = clock.instant();
        if (id < 0 || id > slot(now) + 1) {
            return Optional.empty();
        }
        synchronized (this) {
            key = keys.get(id);
            if (key == null && !now.isBefore(lastLoad.plus(RELOAD_INTERVAL))) {
                load(now);
                key = keys.get(id);
            }
        }
        return Optional.ofNullable(key);
    }

    /**
     * Makes the current and the next slot's key, deletes the keys whose every challenge is past expiry
     * plus retention, and reloads. Every node runs it; the inserts and deletes overlap harmlessly.
     *
     * @return how many keys were deleted
     */
    @Scheduled(
            fixedDelayString = "${cagate.ca.challenge-cleanup-interval:PT1M}",
            initialDelayString = "${cagate.ca.challenge-cleanup-interval:PT1M}")
    public synchronized int maintain() {
        Instant now = clock.instant();
        int slot = slot(now);
        ensure(slot);
        ensure(slot + 1);
        int deleted = jdbc.sql("DELETE FROM ca_challenge_key WHERE seals_until < :cutoff")
                .param(
                        "cutoff",
                        Timestamps.utc(now.minus(properties.challengeTtl()).minus(properties.challengeRetention())))
                .update();
        if (deleted > 0) {
            log.info("Deleted {} challenge keys whose challenges have all expired", deleted);
        }
        load(now);
        return deleted;
    }

    private int slot(Instant instant) {
        return Math.toIntExact(Math.floorDiv(instant.getEpochSecond(), rotationSeconds));
    }

    /** Inserts the slot's key unless some node has. */
    private void ensure(int slot) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        Instant from = Instant.ofEpochSecond(slot * rotationSeconds);
        int inserted = jdbc.sql("""
                        INSERT INTO ca_challenge_key (id, secret, seals_from, seals_until, created_at)
                        VALUES (:id, :secret, :from, :until, :now)
                        ON CONFLICT DO NOTHING""")
                .param("id", slot)
                .param("secret", secret)
                .param("from", Timestamps.utc(from))
                .param("until", Timestamps.utc(from.plusSeconds(rotationSeconds)))
                .param("now", Timestamps.utc(clock.instant()))
                .update();
        if (inserted == 1) {
            log.info("Made challenge key {} (sealing from {})", slot, from);
        }
    }

    private void load(Instant now) {
        List<Key> rows = jdbc.sql("SELECT id, secret, seals_from, seals_until FROM ca_challenge_key")
                .query((rs, row) -> new Key(
                        rs.getInt("id"),
                        rs.getBytes("secret"),
                        Timestamps.instant(rs, "seals_from"),
                        Timestamps.instant(rs, "seals_until")))
                .list();
        Map<Integer, Key> loaded = new HashMap<>();
        for (Key key : rows) {
            if (key.secret().length != SECRET_BYTES) {
                throw new IllegalStateException("challenge key " + key.id() + " is not " + SECRET_BYTES + " bytes");
            }
            loaded.put(key.id(), key);
        }
        keys = Map.copyOf(loaded);
        lastLoad = now;
    }
}
