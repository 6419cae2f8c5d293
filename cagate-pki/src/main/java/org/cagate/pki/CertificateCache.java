package org.cagate.pki;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Arrays;

/**
 * Parsed certificates by their exact DER bytes. The same leaf and CA certificates arrive with every login
 * of a key; parsing one costs more than hashing its bytes, and a bounded cache makes a flood of distinct
 * certificates cost memory no more than its bound.
 */
final class CertificateCache {
    private final Cache<Der, ParsedCertificate> cache;

    /** Equality by content; the hash is computed once. */
    private static final class Der {
        private final byte[] bytes;
        private final int hash;

        Der(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Der d && hash == d.hash && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    // Cache upkeep runs on the caller (executor Runnable::run): a hand-off to the common pool costs more
    // than the upkeep on a two-core server.
    CertificateCache(long maximumSize) {
        this.cache = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(maximumSize)
                .build();
    }

    ParsedCertificate parse(byte[] der) throws PkiException {
        Der key = new Der(der);
        ParsedCertificate cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        ParsedCertificate parsed;
        try {
            parsed = new ParsedCertificate(Certificates.parseDer(der));
        } catch (RuntimeException e) {
            throw new PkiException(Reason.CERT_MALFORMED, "unreadable certificate: " + e, e);
        }
        // Keyed by a private copy: the caller's array is not ours to keep.
        cache.put(new Der(der.clone()), parsed);
        return parsed;
    }

    ParsedCertificate of(java.security.cert.X509Certificate certificate) throws PkiException {
        return parse(Certificates.der(certificate));
    }
}
