package org.cagate.server.audit;

import java.util.Objects;

/**
 * One audit record before it is written; the time is taken by {@link AuditLog} from the injected
 * clock. Build with {@link #success} or {@link #failure}:
 *
 * <pre>{@code AuditEvent.failure(AuditAction.BIND, "CA_ALREADY_BOUND")
 *     .actor(user.accountId(), user.displayName()).subject(accountId).organization(orgId)
 *     .provider("ZJHX").keyId(keyId).clientIp(ip).build()}</pre>
 */
public record AuditEvent(
        AuditAction action,
        AuditOutcome outcome,
        String reasonCode,
        Long actorAccountId,
        String actorName,
        Long subjectAccountId,
        Long organizationId,
        String providerCode,
        String keyId,
        String clientIp,
        String detail) {

    public AuditEvent {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Builder success(AuditAction action) {
        return new Builder(action, AuditOutcome.SUCCESS, null);
    }

    /** A refused or failed attempt; the reason is the problem code the client was answered with. */
    public static Builder failure(AuditAction action, String reasonCode) {
        return new Builder(action, AuditOutcome.FAILURE, reasonCode);
    }

    public static final class Builder {
        private final AuditAction action;
        private final AuditOutcome outcome;
        private final String reasonCode;
        private Long actorAccountId;
        private String actorName;
        private Long subjectAccountId;
        private Long organizationId;
        private String providerCode;
        private String keyId;
        private String clientIp;
        private String detail;

        private Builder(AuditAction action, AuditOutcome outcome, String reasonCode) {
            this.action = action;
            this.outcome = outcome;
            this.reasonCode = reasonCode;
        }

        public Builder actor(Long accountId, String name) {
            this.actorAccountId = accountId;
            this.actorName = name;
            return this;
        }

        public Builder subject(Long accountId) {
            this.subjectAccountId = accountId;
            return this;
        }

        public Builder organization(Long organizationId) {
            this.organizationId = organizationId;
            return this;
        }

        public Builder provider(String providerCode) {
            this.providerCode = providerCode;
            return this;
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        public Builder clientIp(String clientIp) {
            this.clientIp = clientIp;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(
                    action,
                    outcome,
                    reasonCode,
                    actorAccountId,
                    actorName,
                    subjectAccountId,
                    organizationId,
                    providerCode,
                    keyId,
                    clientIp,
                    detail);
        }
    }
}
