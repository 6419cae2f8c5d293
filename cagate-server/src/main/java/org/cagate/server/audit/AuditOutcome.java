package org.cagate.server.audit;

public enum AuditOutcome {
    SUCCESS,
    FAILURE
}
