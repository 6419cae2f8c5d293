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

    /**
     * A prepared PDF handed back by a client (the server keeps nothing between prepare and complete):
     * its last signature must still be the empty one — a well-formed byte range whose /Contents is all
     * zeros and which ends the file. The digests are computed again from the bytes.
     *
     * @throws PdfException PDF_DAMAGED when it is not such a document
     */
    public static PreparedPdf read(byte[] bytes) throws PdfException {
        int[] range;
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(bytes)) {
            var signature = document.getLastSignatureDictionary();
            range = signature == null ? null : signature.getByteRange();
        } catch (java.io.IOException | RuntimeException e) {
            throw PdfSigner.damaged(e);
        }
        if (range == null
                || !PdfBytes.wellFormedRange(bytes, range)
                || (long) range[2] + range[3] != bytes.length
                || !PdfBytes.zeros(bytes, range[1] + 1, range[2] - 1)) {
            throw new PdfException(PdfException.Reason.PDF_DAMAGED, "不是待签章的文档，请重新上传原文档后签章");
        }
        byte[] content = PdfBytes.signedContent(bytes, range);
        return new PreparedPdf(bytes, range, PdfSigner.digest("SHA-256", content), PdfSigner.digest("SM3", content));
    }

    /** The bytes the signature covers: everything but the /Contents placeholder. */
    public byte[] signedContent() {
        return PdfBytes.signedContent(bytes, byteRange);
    }
}
