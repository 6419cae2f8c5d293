package org.cagate.pki.pdf;

import java.time.Instant;
import java.util.List;
import org.cagate.pki.CertificateInspection;

/**
 * One signature of a PDF as 验章 shows it.
 *
 * @param intact the CMS signs exactly its byte range (the bytes it covers are unchanged)
 * @param coverage whether the document was changed after this signature
 * @param signingTime the CMS signingTime, else the dictionary's /M (what the signer's PC claimed)
 * @param timestamp the RFC 3161 time-stamp's time when the signature carries one that matches (B-T)
 * @param provider the provider whose anchors the certificate chains to; null when none
 * @param inspection the certificate's findings under that provider (validity, PKIX, usage, revocation)
 */
public record PdfSignatureReport(
        int index,
        String signer,
        String issuer,
        String algorithm,
        Instant signingTime,
        Instant timestamp,
        boolean intact,
        String problem,
        Coverage coverage,
        String provider,
        CertificateInspection inspection) {

    public enum Coverage {
        /** The signature covers the whole file. */
        WHOLE_DOCUMENT,
        /** Revisions were added after it, and each ends with a later signature (a second signer). */
        LATER_SIGNATURES_ONLY,
        /** A revision after it is not signed: the document was changed after this signature. */
        CHANGED_AFTER
    }

    /** Intact, not changed by an unsigned revision, and a certificate trusted with no findings. */
    public boolean valid() {
        return intact
                && coverage != Coverage.CHANGED_AFTER
                && provider != null
                && inspection != null
                && inspection.findings().isEmpty();
    }

    public List<String> findings() {
        return inspection == null
                ? List.of()
                : inspection.findings().stream().map(f -> f.reason().name()).toList();
    }
}
