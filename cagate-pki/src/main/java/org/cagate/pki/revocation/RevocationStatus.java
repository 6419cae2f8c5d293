package org.cagate.pki.revocation;

import java.util.Objects;

/**
 * What revocation checking concluded for an accepted certificate; a revoked one, or an unavailable
 * answer under a fail-closed policy, is an exception instead.
 *
 * @param source the CRL or OCSP URL that answered, or null
 * @param detail why no answer was had, for UNAVAILABLE_ACCEPTED; else null
 */
public record RevocationStatus(Outcome outcome, String source, String detail) {

    public enum Outcome {
        /** The provider's policy is NONE. */
        NOT_CHECKED,
        GOOD_BY_OCSP,
        GOOD_BY_CRL,
        /** No answer could be had and the provider fails open; the server should audit this. */
        UNAVAILABLE_ACCEPTED
    }

    public static final RevocationStatus NOT_CHECKED = new RevocationStatus(Outcome.NOT_CHECKED, null, null);

    public RevocationStatus {
        Objects.requireNonNull(outcome, "outcome");
    }
}
