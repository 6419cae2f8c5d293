package org.cagate.server.cacheck;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.cagate.pki.CertificateDetails;

/**
 * What CA 检测 found about one certificate: its details, how long it is still valid, whether the
 * provider trusts it, and every reason it would be refused, each with what to do in Chinese.
 *
 * @param daysLeft whole days until notAfter, counted toward zero (9 for 9.5 days left, -2 for expired 2.5
 *     days ago)
 * @param validity VALID, EXPIRING (within {@link #EXPIRY_WARNING}), EXPIRED or NOT_YET_VALID
 * @param trusted whether a path leads to one of the provider's roots (CERT_UNTRUSTED is not among findings)
 * @param findings the problem codes (CERT_EXPIRED, CERT_UNTRUSTED, ...) with their advice; empty when
 *     the certificate would be accepted
 * @param keyId the provider's CA锁ID of the certificate, or null when its identity rule finds none
 */
public record CertificateReport(
        CertificateDetails certificate,
        long daysLeft,
        String validity,
        boolean trusted,
        List<Finding> findings,
        String keyId) {

    /** Certificates ending within this time are flagged, as on the CA管理 list. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    public record Finding(String code, String message) {}

    public CertificateReport {
        Objects.requireNonNull(certificate, "certificate");
        findings = List.copyOf(findings);
    }

    public boolean acceptable() {
        return findings.isEmpty();
    }

    public boolean has(String code) {
        return findings.stream().anyMatch(f -> f.code().equals(code));
    }

    static long daysLeft(Instant notAfter, Instant now) {
        return Duration.between(now, notAfter).toDays();
    }

    static String validity(CertificateDetails c, Instant now) {
        if (now.isBefore(c.notBefore())) {
            return "NOT_YET_VALID";
        }
        if (!now.isBefore(c.notAfter())) {
            return "EXPIRED";
        }
        return c.notAfter().isBefore(now.plus(EXPIRY_WARNING)) ? "EXPIRING" : "VALID";
    }
}
