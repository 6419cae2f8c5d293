package org.cagate.pki.pdf;

import java.util.Objects;

/**
 * A PDF with a new, empty signature: the incremental update is written, its /Contents is a
 * placeholder of zeros, and the byte range around it is fixed. The key signs {@link #sha256()} (RSA,
 * EC) or {@link #sm3()} (SM2); {@link PdfSigner#complete} puts the CMS into the placeholder.
 *
 * @param byteRange the signature's /ByteRange: offset and length of the bytes before and after /Contents
 */
public record PreparedPdf(byte[] bytes, int[] byteRange, byte[] sha256, byte[] sm3) {
    public PreparedPdf {
        Objects.requireNonNull(bytes, "bytes");
        if (byteRange == null || byteRange.length != 4) {
            throw new IllegalArgumentException("a byte range has four numbers");
        }
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(sm3, "sm3");
    }

    /** The bytes the signature covers: everything but the /Contents placeholder. */
    public byte[] signedContent() {
        return PdfBytes.signedContent(bytes, byteRange);
    }
}
