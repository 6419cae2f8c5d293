package org.cagate.pki.revocation;

import java.time.Instant;
import java.util.Objects;

/**
 * A verified OCSP answer for one certificate.
 *
 * @param nextUpdate null when the responder gave none; such an answer is not cached
 * @param revokedAt set when {@code status} is REVOKED
 * @param reason RFC 5280 reason code when REVOKED and the responder gave one, else 0
 */
public record OcspAnswer(Status status, Instant thisUpdate, Instant nextUpdate, Instant revokedAt, int reason) {

    public enum Status {
        GOOD,
        REVOKED,
        /** The responder does not know the certificate. */
        UNKNOWN
    }

    public OcspAnswer {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        if (status == Status.REVOKED) {
            Objects.requireNonNull(revokedAt, "revokedAt");
        }
    }
}
