package org.cagate.pki;

import java.util.Objects;

/**
 * The one failure type of cagate-pki: a {@link Reason} and a detail for the server's log. The detail
 * may name certificate subjects and library messages; it is never meant for the client.
 */
public final class PkiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public PkiException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public PkiException(Reason reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
