package org.cagate.server.audit;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes audit events straight into the table with the time and fields a test needs (the application's
 * clock only moves forward in the shared test context, and its events carry the time of the request).
 * Tests give their events their own organisation, so filtering by it isolates them.
 */
final class AuditTestEvents {

    private final JdbcClient jdbc;

    AuditTestEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Builder at(String instant) {
        return new Builder(Instant.parse(instant));
    }

    final class Builder {
        private final Instant at;
        private String action = "PASSWORD_LOGIN";
        private String outcome = "SUCCESS";
        private String reason;
        private Long actor;
        private String actorName;
        private Long subject;
        private Long organization;
        private String provider;
        private String keyId;
        private String ip = "10.0.0.1";
        private String detail;

        private Builder(Instant at) {
            this.at = at;
        }

        Builder action(String action) {
            this.action = action;
            return this;
        }

        Builder failure(String reason) {
            this.outcome = "FAILURE";
            this.reason = reason;
            return this;
        }

        Builder actor(Long id, String name) {
            this.actor = id;
            this.actorName = name;
            return this;
        }

        Builder subject(Long id) {
            this.subject = id;
            return this;
        }

        Builder organization(Long id) {
            this.organization = id;
            return this;
        }

        Builder key(String provider, String keyId) {
            this.provider = provider;
            this.keyId = keyId;
            return this;
        }

        Builder ip(String ip) {
            this.ip = ip;
            return this;
        }

        Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        void insert() {
            jdbc.sql("""
                            INSERT INTO audit_event (occurred_at, action, outcome, reason_code, actor_account_id, actor_name,
                                subject_account_id, organization_id, provider_code, key_id, client_ip, detail)
                            VALUES (:at, :action, :outcome, :reason, :actor, :actorName, :subject, :org, :provider, :keyId,
                                :ip, :detail)""")
                    .param("at", at.atOffset(ZoneOffset.UTC))
                    .param("action", action)
                    .param("outcome", outcome)
                    .param("reason", reason, Types.VARCHAR)
                    .param("actor", actor, Types.BIGINT)
                    .param("actorName", actorName, Types.VARCHAR)
                    .param("subject", subject, Types.BIGINT)
                    .param("org", organization, Types.BIGINT)
                    .param("provider", provider, Types.VARCHAR)
                    .param("keyId", keyId, Types.VARCHAR)
                    .param("ip", ip, Types.VARCHAR)
                    .param("detail", detail, Types.VARCHAR)
                    .update();
        }
    }
}
