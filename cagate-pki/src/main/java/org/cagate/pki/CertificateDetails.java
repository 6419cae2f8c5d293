package org.cagate.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What the server stores and shows about a certificate (the binding list's "CA证书信息", "到期时间").
 *
 * @param serialNumber upper-case hex, no leading zeros
 * @param subject RFC 2253, Chinese names as they are
 * @param issuer RFC 2253
 * @param sha256 lower-case hex SHA-256 of the DER certificate
 */
public record CertificateDetails(
        String serialNumber, String subject, String issuer, Instant notBefore, Instant notAfter, String sha256) {

    public CertificateDetails {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(sha256, "sha256");
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter before notBefore");
        }
    }

    public static CertificateDetails of(X509Certificate certificate) {
        return new CertificateDetails(
                certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                Certificates.sha256Hex(certificate));
    }

    /** True when {@code at} lies within [notBefore, notAfter], both inclusive as in RFC 5280. */
    public boolean validAt(Instant at) {
        return !at.isBefore(notBefore) && !at.isAfter(notAfter);
    }
}
