package org.cagate.server.audit;

import java.util.regex.Pattern;

/**
 * What happened, as stored in {@code audit_event.action}. A value type rather than an enum so each
 * feature declares its own actions in its own package ({@code AuditAction.of("DRIVER_UPLOADED")});
 * the ones DESIGN.md names are here already.
 */
public record AuditAction(String name) {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    public static final AuditAction PASSWORD_LOGIN = of("PASSWORD_LOGIN");
    public static final AuditAction LOGOUT = of("LOGOUT");
    public static final AuditAction PASSWORD_CHANGED = of("PASSWORD_CHANGED");
    public static final AuditAction PASSWORD_RESET = of("PASSWORD_RESET");
    public static final AuditAction PROFILE_UPDATED = of("PROFILE_UPDATED");
    public static final AuditAction ACCOUNT_CREATED = of("ACCOUNT_CREATED");
    public static final AuditAction ACCOUNT_UPDATED = of("ACCOUNT_UPDATED");
    public static final AuditAction ACCOUNT_DISABLED = of("ACCOUNT_DISABLED");
    public static final AuditAction ACCOUNT_ENABLED = of("ACCOUNT_ENABLED");
    public static final AuditAction ACCOUNT_UNLOCKED = of("ACCOUNT_UNLOCKED");
    public static final AuditAction REGION_CHANGED = of("REGION_CHANGED");
    public static final AuditAction ORGANIZATION_CREATED = of("ORGANIZATION_CREATED");
    public static final AuditAction ORGANIZATION_UPDATED = of("ORGANIZATION_UPDATED");
    public static final AuditAction DEPARTMENT_CREATED = of("DEPARTMENT_CREATED");
    public static final AuditAction DEPARTMENT_UPDATED = of("DEPARTMENT_UPDATED");
    public static final AuditAction DEPARTMENT_DELETED = of("DEPARTMENT_DELETED");

    // Written by the CA features (issues 4 and 5); declared here so every feature names them alike.
    public static final AuditAction BIND = of("BIND");
    public static final AuditAction UNBIND = of("UNBIND");
    public static final AuditAction CA_LOGIN = of("CA_LOGIN");
    public static final AuditAction CERT_RENEWED = of("CERT_RENEWED");
    public static final AuditAction PROVIDER_CHANGED = of("PROVIDER_CHANGED");

    public AuditAction {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("audit action must match " + NAME + ": " + name);
        }
    }

    public static AuditAction of(String name) {
        return new AuditAction(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
