package org.cagate.server.binding;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cagate.pki.CertificateDetails;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.account.Role;
import org.cagate.server.system.CustomPlans;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * SQL of {@code ca_binding}. The CA login reads and refreshes bindings through {@link #forLogin} and
 * {@link #renew}; everything else is the binding feature's own.
 */
@Repository
public class BindingRepository {

    private static final String COLUMNS = """
            b.id, b.account_id, a.login_name, a.display_name, b.organization_id, b.provider_code, b.key_id,
            b.token_serial, b.cert_serial, b.cert_subject, b.cert_issuer, b.cert_not_before, b.cert_not_after,
            b.cert_sha256, b.bound_by, bb.display_name AS bound_by_name, b.bound_at, b.active, b.unbound_at""";

    private static final String NAMES = " JOIN account a ON a.id = b.account_id JOIN account bb ON bb.id = b.bound_by";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM ca_binding b" + NAMES;

    private final JdbcClient jdbc;
    private final CustomPlans customPlans;

    BindingRepository(JdbcClient jdbc, CustomPlans customPlans) {
        this.jdbc = jdbc;
        this.customPlans = customPlans;
    }

    /** Filters of a binding list; null or blank means "any". */
    record Filter(Long organizationId, Long accountId, String loginName, String displayName) {}

    /** What a new binding stores. */
    record NewBinding(
            long accountId,
            Long organizationId,
            String providerCode,
            String keyId,
            String tokenSerial,
            CertificateDetails certificate,
            long boundBy,
            Instant boundAt) {}

    /**
     * An active binding with everything the CA login needs of its account, read in one query by the
     * unique index the login looks up (ca_binding_active_key_uk).
     */
    public record LoginBinding(
            long bindingId,
            String certificateSha256,
            Instant certificateNotAfter,
            long accountId,
            String loginName,
            String displayName,
            Long organizationId,
            String organizationName,
            String regionCode,
            String regionName,
            boolean regionCaEnabled,
            Long departmentId,
            String departmentName,
            Set<Role> roles,
            AccountStatus status,
            Instant createdAt) {}

    /** @throws org.springframework.dao.DuplicateKeyException when the key is bound already (to anyone) */
    long insert(NewBinding binding) {
        var keys = new GeneratedKeyHolder();
        CertificateDetails c = binding.certificate();
        jdbc.sql("""
                        INSERT INTO ca_binding (account_id, organization_id, provider_code, key_id, active_key_id, active,
                            token_serial, cert_serial, cert_subject, cert_issuer, cert_not_before, cert_not_after,
                            cert_sha256, bound_by, bound_at)
                        VALUES (:account, :org, :provider, :keyId, :keyId, TRUE, :tokenSerial, :serial, :subject,
                            :issuer, :notBefore, :notAfter, :sha256, :boundBy, :boundAt)""")
                .param("account", binding.accountId())
                .param("org", binding.organizationId(), Types.BIGINT)
                .param("provider", binding.providerCode())
                .param("keyId", binding.keyId())
                .param("tokenSerial", binding.tokenSerial(), Types.VARCHAR)
                .param("serial", cut(c.serialNumber(), 64))
                .param("subject", cut(c.subject(), 1000))
                .param("issuer", cut(c.issuer(), 1000))
                .param("notBefore", Timestamps.utc(c.notBefore()))
                .param("notAfter", Timestamps.utc(c.notAfter()))
                .param("sha256", c.sha256())
                .param("boundBy", binding.boundBy())
                .param("boundAt", Timestamps.utc(binding.boundAt()))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    Optional<Binding> find(long id) {
        return jdbc.sql(SELECT + " WHERE b.id = :id")
                .param("id", id)
                .query(BindingRepository::map)
                .optional();
    }

    /** The account the key is bound to now, if any (ca_binding_active_key_uk). */
    Optional<Long> activeAccount(String providerCode, String keyId) {
        return jdbc.sql("SELECT account_id FROM ca_binding WHERE provider_code = :provider AND active_key_id = :keyId")
                .param("provider", providerCode)
                .param("keyId", keyId)
                .query(Long.class)
                .optional();
    }

    /**
     * Active bindings, newest first, and their total (共有N条): an organisation's by ca_binding_org_idx, an
     * account's by ca_binding_account_idx, all by ca_binding_active_idx, in two statements (the total, then
     * the page chosen on ids alone and only its rows joined for names, so a deep page does not join every
     * row it skips). The 账户 (login-name prefix) and 姓名 (name contains) filters go through {@link
     * #matching}.
     */
    PageResult<Binding> list(Filter filter, PageQuery page) {
        Sql where = new Sql()
                .where("b.active = :active", "active", true)
                .whereIfPresent("b.organization_id = :org", "org", filter.organizationId())
                .whereIfPresent("b.account_id = :account", "account", filter.accountId());
        if (!blank(filter.loginName()) || !blank(filter.displayName())) {
            where.whereIfPresent("a.organization_id = :org", "org", filter.organizationId())
                    .whereIfPresent(
                            "LOWER(a.login_name) LIKE LOWER(:login) ESCAPE '\\'",
                            "login",
                            Sql.startsWith(filter.loginName()))
                    .whereIfPresent(
                            "LOWER(a.display_name) LIKE LOWER(:name) ESCAPE '\\'",
                            "name",
                            Sql.contains(filter.displayName()));
            return customPlans.run(() -> matching(where, page));
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM ca_binding b" + where.clause())
                .params(where.params())
                .query(Long.class)
                .single();
        List<Binding> items = total <= page.offset()
                ? List.of()
                : jdbc.sql("SELECT " + COLUMNS + " FROM (SELECT b.id FROM ca_binding b" + where.clause()
                                + " ORDER BY b.id DESC LIMIT :limit OFFSET :offset) p JOIN ca_binding b ON b.id = p.id"
                                + NAMES + " ORDER BY b.id DESC")
                        .params(where.params())
                        .param("limit", page.size())
                        .param("offset", page.offset())
                        .query(BindingRepository::map)
                        .list();
        return PageResult.of(total, page, items);
    }

    /**
     * A list filtered by the account's names, in one statement: the ids of the matching bindings are found
     * once (m) and both counted and paged, rather than joined twice as the total and the page of {@link
     * #list} would. For an organisation the accounts are confined to it too (an account's bindings carry its
     * organisation), so both sides of the join come from an index alone: the organisation's accounts with
     * their names from account_org_names_idx, their bindings from ca_binding_org_account_idx (V32). Planned
     * for its values ({@link CustomPlans}): a generic plan cannot serve an organisation of eight bindings and
     * one of ten thousand. Always one row, with the total; the binding's columns are NULL when the page is
     * past the end.
     */
    private PageResult<Binding> matching(Sql where, PageQuery page) {
        record Row(long total, Binding binding) {}
        List<Row> rows = jdbc.sql("WITH m AS (SELECT b.id FROM ca_binding b JOIN account a ON a.id = b.account_id"
                        + where.clause() + "), p AS (SELECT id FROM m ORDER BY id DESC LIMIT :limit OFFSET :offset)"
                        + " SELECT t.total, " + COLUMNS
                        + " FROM (SELECT COUNT(*) AS total FROM m) t LEFT JOIN p ON TRUE"
                        + " LEFT JOIN ca_binding b ON b.id = p.id LEFT JOIN account a ON a.id = b.account_id"
                        + " LEFT JOIN account bb ON bb.id = b.bound_by ORDER BY b.id DESC")
                .params(where.params())
                .param("limit", page.size())
                .param("offset", page.offset())
                .query((rs, n) -> new Row(rs.getLong("total"), rs.getObject("id") == null ? null : map(rs, n)))
                .list();
        return PageResult.of(
                rows.get(0).total(),
                page,
                rows.stream().map(Row::binding).filter(Objects::nonNull).toList());
    }

    /** Ends an active binding, keeping the row as history; false when it was not active (any more). */
    boolean unbind(long id, long actorAccountId, Instant now) {
        return jdbc.sql("""
                                UPDATE ca_binding SET active = FALSE, active_key_id = NULL, unbound_by = :actor,
                                    unbound_at = :now
                                 WHERE id = :id AND active = TRUE""")
                        .param("actor", actorAccountId)
                        .param("now", Timestamps.utc(now))
                        .param("id", id)
                        .update()
                == 1;
    }

    /** The active binding of a key with its account, organisation, region and department. */
    public Optional<LoginBinding> forLogin(String providerCode, String keyId) {
        return jdbc.sql("""
                        SELECT b.id AS binding_id, b.cert_sha256, b.cert_not_after, a.id AS account_id, a.login_name,
                               a.display_name, a.organization_id, o.name AS organization_name, o.region_code,
                               r.name AS region_name, r.ca_enabled, a.department_id, d.name AS department_name, a.roles,
                               a.status, a.created_at
                          FROM ca_binding b
                          JOIN account a ON a.id = b.account_id
                          LEFT JOIN organization o ON o.id = a.organization_id
                          LEFT JOIN region r ON r.code = o.region_code
                          LEFT JOIN department d ON d.id = a.department_id
                         WHERE b.provider_code = :provider AND b.active_key_id = :keyId""")
                .param("provider", providerCode)
                .param("keyId", keyId)
                .query(BindingRepository::mapLogin)
                .optional();
    }

    /** Replaces the certificate details of a binding after a renewed certificate logged in. */
    public void renew(long bindingId, CertificateDetails c, String tokenSerial) {
        jdbc.sql("""
                        UPDATE ca_binding SET cert_serial = :serial, cert_subject = :subject, cert_issuer = :issuer,
                            cert_not_before = :notBefore, cert_not_after = :notAfter, cert_sha256 = :sha256,
                            token_serial = COALESCE(:tokenSerial, token_serial)
                         WHERE id = :id""")
                .param("serial", cut(c.serialNumber(), 64))
                .param("subject", cut(c.subject(), 1000))
                .param("issuer", cut(c.issuer(), 1000))
                .param("notBefore", Timestamps.utc(c.notBefore()))
                .param("notAfter", Timestamps.utc(c.notAfter()))
                .param("sha256", c.sha256())
                .param("tokenSerial", tokenSerial, Types.VARCHAR)
                .param("id", bindingId)
                .update();
    }

    private static Binding map(ResultSet rs, int row) throws SQLException {
        long org = rs.getLong("organization_id");
        Long organizationId = rs.wasNull() ? null : org;
        return new Binding(
                rs.getLong("id"),
                rs.getLong("account_id"),
                rs.getString("login_name"),
                rs.getString("display_name"),
                organizationId,
                rs.getString("provider_code"),
                rs.getString("key_id"),
                rs.getString("token_serial"),
                new CertificateDetails(
                        rs.getString("cert_serial"),
                        rs.getString("cert_subject"),
                        rs.getString("cert_issuer"),
                        Timestamps.instant(rs, "cert_not_before"),
                        Timestamps.instant(rs, "cert_not_after"),
                        rs.getString("cert_sha256")),
                rs.getLong("bound_by"),
                rs.getString("bound_by_name"),
                Timestamps.instant(rs, "bound_at"),
                rs.getBoolean("active"),
                Timestamps.instant(rs, "unbound_at"));
    }

    private static LoginBinding mapLogin(ResultSet rs, int row) throws SQLException {
        long org = rs.getLong("organization_id");
        Long organizationId = rs.wasNull() ? null : org;
        long dept = rs.getLong("department_id");
        Long departmentId = rs.wasNull() ? null : dept;
        return new LoginBinding(
                rs.getLong("binding_id"),
                rs.getString("cert_sha256"),
                Timestamps.instant(rs, "cert_not_after"),
                rs.getLong("account_id"),
                rs.getString("login_name"),
                rs.getString("display_name"),
                organizationId,
                rs.getString("organization_name"),
                rs.getString("region_code"),
                rs.getString("region_name"),
                rs.getBoolean("ca_enabled"),
                departmentId,
                rs.getString("department_name"),
                roles(rs.getString("roles")),
                AccountStatus.valueOf(rs.getString("status")),
                Timestamps.instant(rs, "created_at"));
    }

    // account.roles is a comma list of Role names (see V1); read here so the login needs no second query.
    private static Set<Role> roles(String csv) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                roles.add(Role.valueOf(part.trim()));
            }
        }
        return roles;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
