package org.cagate.pki.revocation;

import java.net.URI;
import java.util.Objects;

/**
 * One revocation source that {@link RevocationChecker} considered for a certificate, for whoever wants
 * to show where revocation data came from (the server's provider page).
 *
 * @param fromCertificate the URL was read from the certificate (CRL distribution point, AIA OCSP), not
 *     configured
 * @param detail why it failed or was not fetched; null when it answered
 */
public record RevocationFetch(URI url, Kind kind, boolean fromCertificate, Outcome outcome, String detail) {

    public enum Kind {
        CRL,
        OCSP
    }

    public enum Outcome {
        /** Fetched, and its answer was used. */
        ANSWERED,
        /** Fetched (or tried), but unreachable or its answer unusable. */
        FAILED,
        /** Not fetched: the provider's configuration does not allow this certificate URL. */
        NOT_ALLOWED
    }

    public RevocationFetch {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
    }
}
