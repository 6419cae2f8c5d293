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
 * @param fetchHosts hosts, beyond the host and port of each of {@code crlUrls} and {@code ocspUrl}, whose URLs in a certificate
 *     (CRL distribution points, AIA OCSP) may be fetched: exact names or IP literals, or {@code *.domain}
 *     for every name under a domain; lower case. A certificate URL on another host is not fetched
 * @param fetchPrivateAddresses whether a certificate URL on an allowed host may resolve to a loopback,
 *     link-local, private or other internal address; configured URLs are fetched wherever they point
 */
public record RevocationPolicy(
        Mode mode,
        boolean failOpen,
        List<URI> crlUrls,
        URI ocspUrl,
        List<String> fetchHosts,
        boolean fetchPrivateAddresses) {

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
        fetchHosts = List.copyOf(fetchHosts == null ? List.of() : fetchHosts);
        for (String host : fetchHosts) {
            if (!host.matches("(\\*\\.)?[a-z0-9]([a-z0-9.:\\-]*[a-z0-9])?|\\[[0-9a-f:.]+\\]")) {
                throw new IllegalArgumentException(
                        "fetchHosts must be lower-case host names, IP literals or *.domain, got " + host);
            }
        }
    }

    /** A policy that fetches only its configured URLs and certificate URLs on their hosts. */
    public RevocationPolicy(Mode mode, boolean failOpen, List<URI> crlUrls, URI ocspUrl) {
        this(mode, failOpen, crlUrls, ocspUrl, List.of(), false);
    }

    /** The same policy with another allowance for URLs found in certificates. */
    public RevocationPolicy withFetch(List<String> hosts, boolean privateAddresses) {
        return new RevocationPolicy(mode, failOpen, crlUrls, ocspUrl, hosts, privateAddresses);
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
