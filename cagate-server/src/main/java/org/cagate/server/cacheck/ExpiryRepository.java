package org.cagate.server.cacheck;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reminders' SQL: active bindings whose certificate ends soon (read-only on the binding feature's
 * {@code ca_binding}, with the index V21 adds) and the one-summary-per-organisation-per-day claims in
 * {@code ca_expiry_summary}.
 */
@Repository
class ExpiryRepository {

    private final JdbcClient jdbc;

    ExpiryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An active binding whose certificate ends before the time asked about. */
    record Expiring(
            long bindingId,
            Long organizationId,
            String loginName,
            String displayName,
            String providerCode,
            String tokenSerial,
            String keyId,
            Instant notAfter) {}

    /** The account's own, soonest first (ca_binding_account_idx). */
    List<Expiring> forAccount(long accountId, Instant before) {
        return jdbc.sql("""
                        SELECT b.id, b.organization_id, a.login_name, a.display_name, b.provider_code, b.token_serial,
                               b.key_id, b.cert_not_after
                          FROM ca_binding b
                          JOIN account a ON a.id = b.account_id
                         WHERE b.account_id = :account AND b.active = TRUE AND b.cert_not_after < :before
                         ORDER BY b.cert_not_after, b.id""")
                .param("account", accountId)
                .param("before", Timestamps.utc(before))
                .query(ExpiryRepository::map)
                .list();
    }

    /** Every organisation's, by organisation, soonest first (ca_binding_expiry_idx). */
    List<Expiring> all(Instant before) {
        return jdbc.sql("""
                        SELECT b.id, b.organization_id, a.login_name, a.display_name, b.provider_code, b.token_serial,
                               b.key_id, b.cert_not_after
                          FROM ca_binding b
                          JOIN account a ON a.id = b.account_id
                         WHERE b.active = TRUE AND b.cert_not_after < :before AND b.organization_id IS NOT NULL
                         ORDER BY b.organization_id, b.cert_not_after, b.id""")
                .param("before", Timestamps.utc(before))
                .query(ExpiryRepository::map)
                .list();
    }

    /**
     * Claims the organisation's summary of the day (ca_expiry_summary_pk).
     *
     * @throws org.springframework.dao.DuplicateKeyException when a node has claimed it already
     */
    void claim(long organizationId, LocalDate day, int bindings, Instant now) {
        jdbc.sql("""
                        INSERT INTO ca_expiry_summary (organization_id, summary_day, bindings, created_at)
                        VALUES (:org, :day, :bindings, :now)""")
                .param("org", organizationId)
                .param("day", day)
                .param("bindings", bindings)
                .param("now", Timestamps.utc(now))
                .update();
    }

    /** Claims of days before this one are not needed to keep a day's summary single (ca_expiry_summary_day_idx). */
    int forgetBefore(LocalDate day) {
        return jdbc.sql("DELETE FROM ca_expiry_summary WHERE summary_day < :day")
                .param("day", day)
                .update();
    }

    private static Expiring map(ResultSet rs, int row) throws SQLException {
        long org = rs.getLong("organization_id");
        Long organizationId = rs.wasNull() ? null : org;
        return new Expiring(
                rs.getLong("id"),
                organizationId,
                rs.getString("login_name"),
                rs.getString("display_name"),
                rs.getString("provider_code"),
                rs.getString("token_serial"),
                rs.getString("key_id"),
                Timestamps.instant(rs, "cert_not_after"));
    }
}
