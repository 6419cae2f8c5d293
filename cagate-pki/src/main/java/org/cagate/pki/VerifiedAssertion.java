package org.cagate.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.cagate.pki.revocation.RevocationStatus;

/**
 * An assertion that passed every step of {@link AssertionVerifier}: only the verifier can create one, so
 * a certificate that was not verified cannot reach a binding or a login.
 */
public final class VerifiedAssertion {
    private final String providerCode;
    private final KeyId keyId;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final SignatureAlgorithm algorithm;
    private final Assertion.Format format;
    private final String tokenSerial;
    private final CertificateDetails details;
    private final RevocationStatus revocation;
    private final Instant verifiedAt;

    VerifiedAssertion(
            String providerCode,
            KeyId keyId,
            List<X509Certificate> chain,
            SignatureAlgorithm algorithm,
            Assertion.Format format,
            String tokenSerial,
            CertificateDetails details,
            RevocationStatus revocation,
            Instant verifiedAt) {
        this.providerCode = providerCode;
        this.keyId = keyId;
        this.certificate = chain.get(0);
        this.chain = List.copyOf(chain);
        this.algorithm = algorithm;
        this.format = format;
        this.tokenSerial = tokenSerial;
        this.details = details;
        this.revocation = revocation;
        this.verifiedAt = verifiedAt;
    }

    /** The provider whose policy accepted the certificate. */
    public String providerCode() {
        return providerCode;
    }

    /** The "CA锁ID" by the provider's identity rule: what bindings are unique on. */
    public KeyId keyId() {
        return keyId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The validated path: the leaf first, the provider's root last. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public Assertion.Format format() {
        return format;
    }

    /** As the agent reported it; for display only, never for identity. Null when absent. */
    public String tokenSerial() {
        return tokenSerial;
    }

    public CertificateDetails details() {
        return details;
    }

    /** How revocation was decided; {@code UNAVAILABLE_ACCEPTED} (fail-open) deserves an audit line. */
    public RevocationStatus revocation() {
        return revocation;
    }

    /** The verifier's clock when it decided. */
    public Instant verifiedAt() {
        return verifiedAt;
    }

    @Override
    public String toString() {
        return "VerifiedAssertion[" + providerCode + ", keyId " + keyId + ", " + details.subject() + ", " + algorithm
                + "/" + format + "]";
    }
}
