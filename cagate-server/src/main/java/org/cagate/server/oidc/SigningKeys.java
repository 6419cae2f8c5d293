package org.cagate.server.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cagate.server.system.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token-signing keys, in the database ({@code oidc_signing_key}) so every node signs with the same
 * key and publishes the same JWKS. The key without {@code retired_at} signs; keys retired less than
 * {@code cagate.oidc.key-retention} ago stay in the JWKS. A key is made only when none signs (the first
 * node to start) or when one is due ({@link #rotateIfDue}, or an operator's {@link #rotate}); the
 * primary key on {@code generation} lets one node win when several try at once, the others read the
 * winner's. Read from the database at each use (one indexed query of a few rows per token issued or
 * JWKS served), so a rotation on one node is seen by all at once.
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext>, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    /** A key as stored: the JWK with its private part, and when it was made and retired. */
    public record StoredKey(int generation, String kid, RSAKey jwk, Instant createdAt, Instant retiredAt) {
        public boolean active() {
            return retiredAt == null;
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final OidcProperties properties;

    SigningKeys(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, OidcProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(new JWKSet(List.copyOf(published())));
    }

    /** The signing key first, then the retired ones still published, newest first. */
    public List<JWK> published() {
        List<JWK> keys = new ArrayList<>();
        Instant cutoff = clock.instant().minus(properties.keyRetention());
        List<StoredKey> stored = all();
        for (StoredKey key : stored) {
            if (key.active() || key.retiredAt().isAfter(cutoff)) {
                keys.add(key.jwk());
            }
        }
        if (keys.isEmpty() || !stored.get(0).active()) {
            throw new IllegalStateException("no active token-signing key");
        }
        return keys;
    }

    /** Every stored key, newest first. */
    public List<StoredKey> all() {
        return jdbc.sql(
                        "SELECT generation, kid, jwk, created_at, retired_at FROM oidc_signing_key ORDER BY generation DESC")
                .query((rs, row) -> new StoredKey(
                        rs.getInt("generation"),
                        rs.getString("kid"),
                        parse(rs.getString("jwk")),
                        Timestamps.instant(rs, "created_at"),
                        Timestamps.instant(rs, "retired_at")))
                .list();
    }

    /** At start-up: the first node on a database makes the first key; the others find it. */
    @Override
    public void afterSingletonsInstantiated() {
        ensureKey();
    }

    void ensureKey() {
        if (all().isEmpty()) {
            insert(1, null);
        }
    }

    /**
     * Replaces the signing key now: a new key signs from this moment, the previous one stays in the JWKS
     * for the retention period. Returns the new key, or the one another node made at the same moment.
     */
    public StoredKey rotate() {
        List<StoredKey> keys = all();
        int next = keys.isEmpty() ? 1 : keys.get(0).generation() + 1;
        insert(next, keys.isEmpty() ? null : keys.get(0));
        return all().get(0);
    }

    /** Each node, every {@code cagate.oidc.key-check}: rotates when the signing key is older than the rotation period. */
    @Scheduled(fixedDelayString = "${cagate.oidc.key-check:PT1H}", initialDelayString = "${cagate.oidc.key-check:PT1H}")
    public void rotateIfDue() {
        List<StoredKey> keys = all();
        if (keys.isEmpty()) {
            ensureKey();
        } else if (!keys.get(0).createdAt().plus(properties.keyRotation()).isAfter(clock.instant())) {
            rotate();
        }
    }

    private void insert(int generation, StoredKey previous) {
        Instant now = clock.instant();
        RSAKey key = generate();
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.sql(
                                "INSERT INTO oidc_signing_key (generation, kid, jwk, created_at) VALUES (:generation, :kid, :jwk, :now)")
                        .param("generation", generation)
                        .param("kid", key.getKeyID())
                        .param("jwk", key.toJSONString())
                        .param("now", Timestamps.utc(now))
                        .update();
                if (previous != null) {
                    jdbc.sql(
                                    "UPDATE oidc_signing_key SET retired_at = :now WHERE generation < :generation AND retired_at IS NULL")
                            .param("now", Timestamps.utc(now))
                            .param("generation", generation)
                            .update();
                }
            });
            log.info(
                    "token-signing key {} (generation {}) made{}",
                    key.getKeyID(),
                    generation,
                    previous == null ? "" : "; " + previous.kid() + " retired");
        } catch (DuplicateKeyException e) {
            // Another node made this generation at the same moment: its key signs.
            log.info("token-signing key generation {} was made by another node", generation);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
    }

    private static RSAKey parse(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("unreadable token-signing key", e);
        }
    }
}
