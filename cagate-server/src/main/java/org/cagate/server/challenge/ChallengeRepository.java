package org.cagate.server.challenge;

import java.sql.Types;
import java.time.Instant;
import org.cagate.server.system.Timestamps;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of {@code ca_challenge_spent}: the nonces of challenges used at login or bind. */
@Repository
class ChallengeRepository {

    private final JdbcClient jdbc;

    ChallengeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the nonce spent, if nobody has: true when this call spent it. One statement under the primary
     * key, so of two requests racing for one challenge exactly one spends it (on PostgreSQL the second
     * waits for the first's transaction and then inserts nothing; should the first roll back, the second
     * spends it).
     */
    boolean spend(byte[] nonce, Instant expiresAt) {
        try {
            return jdbc.sql("""
                            INSERT INTO ca_challenge_spent (nonce, expires_at) VALUES (:nonce, :expires)
                            ON CONFLICT DO NOTHING""")
                            .param("nonce", nonce, Types.BINARY)
                            .param("expires", Timestamps.utc(expiresAt))
                            .update()
                    == 1;
        } catch (DuplicateKeyException e) {
            return false; // H2 says so when the other insert is not committed yet
        }
    }

    /** Deletes spent nonces of challenges that expired before {@code cutoff} (ca_challenge_spent_expires_idx). */
    int deleteExpiredBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM ca_challenge_spent WHERE expires_at < :cutoff")
                .param("cutoff", Timestamps.utc(cutoff))
                .update();
    }
}
