package org.cagate.server.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the {@code account} table. Reads join organisation, region and department in the same
 * query (no query per row). Other features read accounts through {@link #find} and {@link #list}.
 */
@Repository
public class AccountRepository {

    private static final String SELECT = """
            SELECT a.id, a.login_name, a.display_name, a.organization_id, o.name AS organization_name,
                   o.region_code, r.name AS region_name, a.department_id, d.name AS department_name,
                   a.roles, a.status, a.failed_logins, a.created_at,
                   (SELECT MAX(t.blocked_until) FROM login_throttle t WHERE t.login_name = a.login_name) AS locked_until
              FROM account a
              LEFT JOIN organization o ON o.id = a.organization_id
              LEFT JOIN region r ON r.code = o.region_code
              LEFT JOIN department d ON d.id = a.department_id""";

    private final JdbcClient jdbc;

    AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the password login needs, and nothing for anyone else. */
    public record Credentials(
            long id, String passwordHash, AccountStatus status, String displayName, Long organizationId) {}

    /** Filters of an account list; null or blank means "any". */
    public record Filter(Long organizationId, String loginName, String displayName) {}

    public Optional<Account> find(long id) {
        return jdbc.sql(SELECT + " WHERE a.id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    public Optional<Account> findByLoginName(String loginName) {
        return jdbc.sql(SELECT + " WHERE a.login_name = :loginName")
                .param("loginName", loginName)
                .query(this::map)
                .optional();
    }

    public Optional<Credentials> credentials(String loginName) {
        return jdbc.sql("SELECT id, password_hash, status, display_name, organization_id FROM account"
                        + " WHERE login_name = :loginName")
                .param("loginName", loginName)
                .query((rs, row) -> new Credentials(
                        rs.getLong("id"),
                        rs.getString("password_hash"),
                        AccountStatus.valueOf(rs.getString("status")),
                        rs.getString("display_name"),
                        rs.getObject("organization_id", Long.class)))
                .optional();
    }

    public String passwordHash(long id) {
        return jdbc.sql("SELECT password_hash FROM account WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    /**
     * A page of accounts, newest last. Served by account_org_idx when filtered by organisation,
     * by account_pk otherwise; name filters narrow those rows.
     */
    public PageResult<Account> list(Filter filter, PageQuery page) {
        Sql where = new Sql()
                .whereIfPresent("a.organization_id = :org", "org", filter.organizationId())
                .whereIfPresent(
                        "LOWER(a.login_name) LIKE LOWER(:login) ESCAPE '\\'",
                        "login",
                        Sql.startsWith(filter.loginName()))
                .whereIfPresent(
                        "LOWER(a.display_name) LIKE LOWER(:name) ESCAPE '\\'",
                        "name",
                        Sql.contains(filter.displayName()));
        long total = jdbc.sql("SELECT COUNT(*) FROM account a" + where.clause())
                .params(where.params())
                .query(Long.class)
                .single();
        List<Account> items = total == 0
                ? List.of()
                : jdbc.sql(SELECT + where.clause() + " ORDER BY a.id LIMIT :limit OFFSET :offset")
                        .params(where.params())
                        .param("limit", page.size())
                        .param("offset", page.offset())
                        .query(this::map)
                        .list();
        return PageResult.of(total, page, items);
    }

    long insert(
            String loginName,
            String displayName,
            String passwordHash,
            Long organizationId,
            Long departmentId,
            Set<Role> roles,
            Instant now) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO account (login_name, display_name, password_hash, organization_id, department_id,
                            roles, status, failed_logins, created_at, updated_at)
                        VALUES (:login, :name, :hash, :org, :dept, :roles, 'ACTIVE', 0, :now, :now)""")
                .param("login", loginName)
                .param("name", displayName)
                .param("hash", passwordHash)
                .param("org", organizationId, Types.BIGINT)
                .param("dept", departmentId, Types.BIGINT)
                .param("roles", Role.format(roles))
                .param("now", Timestamps.utc(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void update(long id, String displayName, Long departmentId, Set<Role> roles, Instant now) {
        jdbc.sql("""
                        UPDATE account SET display_name = :name, department_id = :dept, roles = :roles, updated_at = :now
                         WHERE id = :id""")
                .param("name", displayName)
                .param("dept", departmentId, Types.BIGINT)
                .param("roles", Role.format(roles))
                .param("now", Timestamps.utc(now))
                .param("id", id)
                .update();
    }

    void updateDisplayName(long id, String displayName, Instant now) {
        jdbc.sql("UPDATE account SET display_name = :name, updated_at = :now WHERE id = :id")
                .param("name", displayName)
                .param("now", Timestamps.utc(now))
                .param("id", id)
                .update();
    }

    void setStatus(long id, AccountStatus status, Instant now) {
        jdbc.sql("UPDATE account SET status = :status, updated_at = :now WHERE id = :id")
                .param("status", status.name())
                .param("now", Timestamps.utc(now))
                .param("id", id)
                .update();
    }

    public void setPassword(long id, String passwordHash, Instant now) {
        jdbc.sql("UPDATE account SET password_hash = :hash, updated_at = :now WHERE id = :id")
                .param("hash", passwordHash)
                .param("now", Timestamps.utc(now))
                .param("id", id)
                .update();
    }

    public boolean anyInDepartment(long departmentId) {
        return jdbc.sql("SELECT COUNT(*) FROM account WHERE department_id = :dept")
                        .param("dept", departmentId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Every platform operator, active or not (the operator command line's list). */
    List<Account> platformAdmins() {
        return jdbc.sql(SELECT + " WHERE a.roles LIKE '%PLATFORM_ADMIN%' ORDER BY a.login_name")
                .query(this::map)
                .list();
    }

    boolean anyPlatformAdmin() {
        return jdbc.sql("SELECT COUNT(*) FROM account WHERE roles LIKE '%PLATFORM_ADMIN%' AND status = 'ACTIVE'")
                        .query(Long.class)
                        .single()
                > 0;
    }

    private Account map(ResultSet rs, int row) throws SQLException {
        long org = rs.getLong("organization_id");
        Long organizationId = rs.wasNull() ? null : org;
        long dept = rs.getLong("department_id");
        Long departmentId = rs.wasNull() ? null : dept;
        return new Account(
                rs.getLong("id"),
                rs.getString("login_name"),
                rs.getString("display_name"),
                organizationId,
                rs.getString("organization_name"),
                rs.getString("region_code"),
                rs.getString("region_name"),
                departmentId,
                rs.getString("department_name"),
                Role.parse(rs.getString("roles")),
                AccountStatus.valueOf(rs.getString("status")),
                rs.getInt("failed_logins"),
                Timestamps.instant(rs, "locked_until"),
                Timestamps.instant(rs, "created_at"));
    }
}
