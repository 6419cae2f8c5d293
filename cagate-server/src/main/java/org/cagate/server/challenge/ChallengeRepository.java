package org.cagate.server.challenge;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.cagate.pki.Challenge;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of {@code ca_challenge}. */
@Repository
class ChallengeRepository {

    /** What the consuming UPDATE hands back, in this order. */
    private static final String[] RETURNED = {"purpose", "provider_code", "account_id", "to_be_signed", "expires_at"};

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    ChallengeRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    void insert(
            String id,
            Challenge.Purpose purpose,
            String providerCode,
            Long accountId,
            byte[] bytes,
            String clientIp,
            Instant now,
            Instant expiresAt) {
        jdbc.sql("""
                        INSERT INTO ca_challenge (id, purpose, provider_code, account_id, to_be_signed, client_ip,
                            created_at, expires_at)
                        VALUES (:id, :purpose, :provider, :account, :bytes, :ip, :now, :expires)""")
                .param("id", id)
                .param("purpose", purpose.name())
                .param("provider", providerCode)
                .param("account", accountId, Types.BIGINT)
                .param("bytes", bytes, Types.BINARY)
                .param("ip", clientIp, Types.VARCHAR)
                .param("now", Timestamps.utc(now))
                .param("expires", Timestamps.utc(expiresAt))
                .update();
    }

    /**
     * Marks the challenge used if nobody has, and returns it; empty when it is unknown or already used.
     * One statement: the conditional UPDATE hands back the row through JDBC generated keys, which
     * pgjdbc turns into UPDATE ... RETURNING and H2 answers from the updated row, so of two requests
     * racing for one challenge exactly one gets it.
     */
    Optional<ConsumedChallenge> consume(String id, Instant now) {
        return Optional.ofNullable(template.execute(
                connection -> {
                    PreparedStatement statement = connection.prepareStatement(
                            "UPDATE ca_challenge SET used_at = ? WHERE id = ? AND used_at IS NULL", RETURNED);
                    statement.setObject(1, Timestamps.utc(now));
                    statement.setString(2, id);
                    return statement;
                },
                (PreparedStatement statement) -> {
                    if (statement.executeUpdate() != 1) {
                        return null;
                    }
                    try (ResultSet rs = statement.getGeneratedKeys()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("the driver returned no row for a consumed challenge");
                        }
                        long account = rs.getLong(3);
                        Long accountId = rs.wasNull() ? null : account;
                        return new ConsumedChallenge(
                                id,
                                Challenge.Purpose.valueOf(rs.getString(1)),
                                rs.getString(2),
                                accountId,
                                rs.getBytes(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant());
                    }
                }));
    }

    /** Whether a challenge with this id exists (used or not): tells CHALLENGE_USED from CHALLENGE_UNKNOWN. */
    boolean exists(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM ca_challenge WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Deletes challenges that expired before {@code cutoff} (ca_challenge_expires_idx). */
    int deleteExpiredBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM ca_challenge WHERE expires_at < :cutoff")
                .param("cutoff", Timestamps.utc(cutoff))
                .update();
    }
}
