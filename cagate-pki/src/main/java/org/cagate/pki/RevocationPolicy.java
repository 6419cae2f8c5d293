package org.cagate.pki;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How one provider's certificates are checked for revocation.
 *
 * @param failOpen when no answer can be had, accept the certificate (and say so in the result) instead
 *     of refusing it with {@link Reason#REVOCATION_UNAVAILABLE}; a revoked certificate is always refused
 * @param crlUrls checked before the certificate's own CRL distribution points
 * @param ocspUrl used instead of the certificate's AIA OCSP responder when set
 */
public record RevocationPolicy(Mode mode, boolean failOpen, List<URI> crlUrls, URI ocspUrl) {

    public enum Mode {
        NONE,
        CRL,
        OCSP,
        /** OCSP first; CRLs only when the responder cannot be reached or its answer is unusable (not on "unknown"). */
        OCSP_THEN_CRL
    }

    public static final RevocationPolicy NONE = new RevocationPolicy(Mode.NONE, false, List.of(), null);

    public RevocationPolicy {
        Objects.requireNonNull(mode, "mode");
        crlUrls = List.copyOf(crlUrls == null ? List.of() : crlUrls);
        crlUrls.forEach(u -> requireHttp(u, "crlUrls"));
        if (ocspUrl != null) {
            requireHttp(ocspUrl, "ocspUrl");
        }
    }

    public static RevocationPolicy crl(boolean failOpen, URI... crlUrls) {
        return new RevocationPolicy(Mode.CRL, failOpen, List.of(crlUrls), null);
    }

    public static RevocationPolicy ocsp(boolean failOpen, URI ocspUrl) {
        return new RevocationPolicy(Mode.OCSP, failOpen, List.of(), ocspUrl);
    }

    private static void requireHttp(URI uri, String field) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(field + " must be absolute http(s) URLs, got " + uri);
        }
    }
}
