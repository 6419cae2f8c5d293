package org.cagate.server.audit;

import java.time.Instant;

/**
 * One audit event as the audit page and API show it: the row, and the names of the accounts and the
 * organisation it refers to as they are now. {@code actorName} is the name recorded at the time.
 */
public record AuditRecord(
        long id,
        Instant occurredAt,
        String action,
        AuditOutcome outcome,
        String reasonCode,
        Long actorAccountId,
        String actorLogin,
        String actorName,
        Long subjectAccountId,
        String subjectLogin,
        String subjectName,
        Long organizationId,
        String organizationName,
        String providerCode,
        String keyId,
        String clientIp,
        String detail) {}
