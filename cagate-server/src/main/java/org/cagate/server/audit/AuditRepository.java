package org.cagate.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the audit log. Every filter is a condition one of the indexes of V2 and V30 serves (named
 * there); rows come newest first. The actor and account filters are resolved to account ids first, so
 * the event query compares ids, never names.
 */
@Repository
class AuditRepository {

    /** More accounts than this sharing one name is not a filter anyone means. */
    private static final int MAX_NAMED_ACCOUNTS = 100;

    private static final String SELECT = """
            SELECT e.id, e.occurred_at, e.action, e.outcome, e.reason_code, e.actor_account_id, e.actor_name,
                   aa.login_name AS actor_login, e.subject_account_id, sa.login_name AS subject_login,
                   sa.display_name AS subject_name, e.organization_id, o.name AS organization_name,
                   e.provider_code, e.key_id, e.client_ip, e.detail
              FROM audit_event e
              LEFT JOIN account aa ON aa.id = e.actor_account_id
              LEFT JOIN account sa ON sa.id = e.subject_account_id
              LEFT JOIN organization o ON o.id = e.organization_id""";

    private static final String ORDER = " ORDER BY e.occurred_at DESC, e.id DESC";

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    PageResult<AuditRecord> list(AuditQuery query, PageQuery page) {
        Sql where = where(query);
        if (where == null) {
            return PageResult.of(0, page, List.of());
        }
        long total = count(where);
        List<AuditRecord> items = total == 0
                ? List.of()
                : jdbc.sql(SELECT + where.clause() + ORDER + " LIMIT :limit OFFSET :offset")
                        .params(where.params())
                        .param("limit", page.size())
                        .param("offset", page.offset())
                        .query(AuditRepository::map)
                        .list();
        return PageResult.of(total, page, items);
    }

    long count(AuditQuery query) {
        Sql where = where(query);
        return where == null ? 0 : count(where);
    }

    /** Hands every matching event, newest first, to {@code sink} without holding them all in memory. */
    void each(AuditQuery query, int limit, Consumer<AuditRecord> sink) {
        Sql where = where(query);
        if (where == null) {
            return;
        }
        try (Stream<AuditRecord> rows = jdbc
                .sql(SELECT + where.clause() + ORDER + " LIMIT :limit")
                .params(where.params())
                .param("limit", limit)
                .query(AuditRepository::map)
                .stream()) {
            rows.forEach(sink);
        }
    }

    /** The WHERE clause, or null when a name filter matches no account (then nothing can match). */
    private Sql where(AuditQuery query) {
        Sql where = new Sql()
                .whereIfPresent("e.organization_id = :org", "org", query.organizationId())
                .whereIfPresent("e.action = :action", "action", query.action())
                .whereIfPresent(
                        "e.outcome = :outcome",
                        "outcome",
                        query.outcome() == null ? null : query.outcome().name())
                .whereIfPresent("e.client_ip = :ip", "ip", query.ip())
                .whereIfPresent("e.occurred_at >= :from", "from", Timestamps.utc(query.from()))
                .whereIfPresent("e.occurred_at < :to", "to", Timestamps.utc(query.to()));
        if (query.actor() != null) {
            List<Long> actors = accountsNamed(query.actor());
            if (actors.isEmpty()) {
                return null;
            }
            where.where("e.actor_account_id IN (:actors)", "actors", actors);
        }
        if (query.account() != null) {
            List<Long> subjects = accountsNamed(query.account());
            if (subjects.isEmpty()) {
                return null;
            }
            where.where("e.subject_account_id IN (:subjects)", "subjects", subjects);
        }
        return where;
    }

    private List<Long> accountsNamed(String name) {
        return jdbc.sql(
                        "SELECT id FROM account WHERE login_name = :name OR display_name = :name ORDER BY id LIMIT :max")
                .param("name", name)
                .param("max", MAX_NAMED_ACCOUNTS)
                .query(Long.class)
                .list();
    }

    private long count(Sql where) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_event e" + where.clause())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    private static AuditRecord map(ResultSet rs, int row) throws SQLException {
        return new AuditRecord(
                rs.getLong("id"),
                Timestamps.instant(rs, "occurred_at"),
                rs.getString("action"),
                AuditOutcome.valueOf(rs.getString("outcome")),
                rs.getString("reason_code"),
                rs.getObject("actor_account_id", Long.class),
                rs.getString("actor_login"),
                rs.getString("actor_name"),
                rs.getObject("subject_account_id", Long.class),
                rs.getString("subject_login"),
                rs.getString("subject_name"),
                rs.getObject("organization_id", Long.class),
                rs.getString("organization_name"),
                rs.getString("provider_code"),
                rs.getString("key_id"),
                rs.getString("client_ip"),
                rs.getString("detail"));
    }
}
