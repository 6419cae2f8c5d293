package org.cagate.server.audit;

import java.util.Objects;

/**
 * The Chinese name of an audit action on the audit page and in its CSV, contributed as a bean by the
 * feature that records the action (the core's are in {@link AuditLabels}):
 *
 * <pre>{@code @Bean AuditActionLabel driverUploaded() {
 *     return new AuditActionLabel(DriverAudit.UPLOADED, "上传驱动");
 * }}</pre>
 *
 * An action without a label is shown by its code.
 */
public record AuditActionLabel(AuditAction action, String label) {

    public AuditActionLabel {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(label, "label");
    }
}
