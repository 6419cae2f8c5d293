package org.cagate.server.audit;

import java.sql.Types;
import java.time.Clock;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Writes audit events. It joins the caller's transaction when there is one, so a change and its
 * record commit together; record a refusal where no transaction will roll it back (after the
 * failed transaction, or from code that has none), as the password login does.
 */
@Service
public class AuditLog {

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(AuditEvent event) {
        jdbc.sql("""
                        INSERT INTO audit_event (occurred_at, action, outcome, reason_code, actor_account_id,
                            actor_name, subject_account_id, organization_id, provider_code, key_id, client_ip, detail)
                        VALUES (:at, :action, :outcome, :reason, :actor, :actorName, :subject, :org, :provider,
                            :keyId, :ip, :detail)""")
                .param("at", Timestamps.utc(clock.instant()))
                .param("action", event.action().name())
                .param("outcome", event.outcome().name())
                .param("reason", cut(event.reasonCode(), 40), Types.VARCHAR)
                .param("actor", event.actorAccountId(), Types.BIGINT)
                .param("actorName", cut(event.actorName(), 100), Types.VARCHAR)
                .param("subject", event.subjectAccountId(), Types.BIGINT)
                .param("org", event.organizationId(), Types.BIGINT)
                .param("provider", cut(event.providerCode(), 32), Types.VARCHAR)
                .param("keyId", cut(event.keyId(), 200), Types.VARCHAR)
                .param("ip", cut(event.clientIp(), 45), Types.VARCHAR)
                .param("detail", cut(event.detail(), 1000), Types.VARCHAR)
                .update();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
