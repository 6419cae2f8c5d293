package org.cagate.pki.pdf;

/** A PDF that cannot be signed or read, with the reason the page shows in Chinese. */
public final class PdfException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Larger than the configured limit. */
        PDF_TOO_LARGE,
        /** Password-protected (encrypted): cagate cannot add an incremental update without the password. */
        PDF_ENCRYPTED,
        /** Not a PDF, or broken beyond what the parser repairs. */
        PDF_DAMAGED,
        /** The page number is not in the document, or the seal lies outside the page. */
        PDF_PLACEMENT,
        /** The seal image is not a PNG or JPEG image. */
        SEAL_INVALID,
        /** A time-stamp authority is configured (B-T) and did not answer with a valid token. */
        TIMESTAMP_UNAVAILABLE,
        /** The CMS handed back does not sign this prepared document (another digest, a broken CMS). */
        SIGNATURE_MISMATCH
    }

    private final Reason reason;

    public PdfException(Reason reason, String message) {
        this(reason, message, null);
    }

    public PdfException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
