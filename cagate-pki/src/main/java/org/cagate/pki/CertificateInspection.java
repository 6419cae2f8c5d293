package org.cagate.pki;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.cagate.pki.revocation.RevocationStatus;

/**
 * What {@link AssertionVerifier#inspect} found about a certificate without any signature: for the CA 检测
 * page and the operator's provider test. Findings are data; nothing here proves possession of the key,
 * so an inspection never binds or logs anyone in.
 *
 * @param keyId null when the identity rule found none (then a CERT_MALFORMED finding says why)
 * @param chain the validated path, leaf first; just the leaf when no path was found
 * @param revocation null when revocation was not reached (no trusted path) or refused (see findings)
 */
public record CertificateInspection(
        CertificateDetails details,
        KeyId keyId,
        List<X509Certificate> chain,
        RevocationStatus revocation,
        List<Finding> findings) {

    /** One reason the certificate would be refused, with a detail for operators. */
    public record Finding(Reason reason, String detail) {
        public Finding {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public CertificateInspection {
        Objects.requireNonNull(details, "details");
        chain = List.copyOf(chain);
        findings = List.copyOf(findings);
    }

    /** True when the certificate would pass every step but the signature. */
    public boolean acceptable() {
        return findings.isEmpty();
    }

    public boolean has(Reason reason) {
        return findings.stream().anyMatch(f -> f.reason() == reason);
    }
}
