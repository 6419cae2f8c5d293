package org.cagate.pki;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds and validates the path from a leaf to one of a provider's roots with the BC PKIX implementation
 * (the JDK's cannot verify SM2), using the certificates the client sent and the provider's intermediates.
 * Revocation is left out here; {@code RevocationChecker} decides it per policy.
 *
 * <p>What PKIX proves about signatures, names and constraints does not change with time, so a validated
 * path is cached by provider version and leaf, and its CA part by provider version and issuer
 * ({@link KnownIssuers}): a login day brings mostly first logins, each a new leaf under a known CA. What
 * does change, the validity of each certificate, is checked at every call's instant. PKIX itself runs at
 * the instant clamped into the leaf's validity, so an expired leaf is reported as expired (by the caller),
 * not as untrusted.
 */
final class PathValidator {
    private final Cache<Key, Path> paths;
    private final KnownIssuers issuers;
    private final LongAdder builds = new LongAdder();

    private record Key(String providerVersion, String leafSha256) {}

    /** The certificates, and their validity read once: BC parses the dates anew on every getNotAfter(). */
    record Path(List<X509Certificate> certificates, List<CertificateDetails> details) {}

    PathValidator(long maximumSize) {
        this.paths = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(maximumSize)
                .build();
        this.issuers = new KnownIssuers(maximumSize);
    }

    /**
     * @return the path, leaf first and the trust anchor's certificate last
     * @throws PkiException CERT_UNTRUSTED, or CERT_EXPIRED / CERT_NOT_YET_VALID for a CA certificate
     */
    List<X509Certificate> validate(
            ParsedCertificate leaf, List<ParsedCertificate> chain, TrustAnchors trust, Instant now)
            throws PkiException {
        // 1. A leaf validated before under these anchors: its path.
        Key key = new Key(trust.fingerprint(), leaf.details().sha256());
        Path path = paths.getIfPresent(key);
        if (path == null) {
            // 2. A new leaf of a known issuer: the issuer's CA path, when BC's step for the leaf passes.
            Instant at = clamp(now, leaf.details());
            path = issuers.extend(leaf, chain, trust, at);
            if (path == null) {
                // 3. Otherwise the full build, which decides and says why; its CA part serves the next leaf.
                builds.increment();
                List<X509Certificate> built = build(leaf, chain, trust, at);
                path = new Path(
                        built, built.stream().map(CertificateDetails::of).toList());
                issuers.remember(trust.fingerprint(), path);
            }
            paths.put(key, path);
        }
        // 4. Every CA certificate on the path is valid at this call's instant.
        for (int i = 1; i < path.details().size(); i++) {
            checkValidity(path.details().get(i), now);
        }
        return path.certificates();
    }

    /** Full PKIX builds so far: what the caches saved is seen in tests without timing. */
    long builds() {
        return builds.sum();
    }

    private static List<X509Certificate> build(
            ParsedCertificate leaf, List<ParsedCertificate> chain, TrustAnchors trust, Instant at) throws PkiException {
        Set<X509Certificate> candidates = new LinkedHashSet<>();
        candidates.add(leaf.certificate());
        chain.forEach(c -> candidates.add(c.certificate()));
        candidates.addAll(trust.intermediates());
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf.certificate());
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trust.pkixAnchors(), target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance(
                    "Collection", new CollectionCertStoreParameters(candidates), BouncyCastle.provider()));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult)
                    CertPathBuilder.getInstance("PKIX", BouncyCastle.provider()).build(parameters);
            List<X509Certificate> path = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            path.add(result.getTrustAnchor().getTrustedCert());
            return List.copyOf(path);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException(reason(e), "no valid path to a root of the provider: " + e.getMessage(), e);
        }
    }

    /** A CA certificate out of its validity says so; any other PKIX failure is "untrusted". */
    private static Reason reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return Reason.CERT_EXPIRED;
            }
            if (t instanceof CertificateNotYetValidException) {
                return Reason.CERT_NOT_YET_VALID;
            }
        }
        return Reason.CERT_UNTRUSTED;
    }

    static void checkValidity(CertificateDetails certificate, Instant now) throws PkiException {
        if (now.isBefore(certificate.notBefore())) {
            throw new PkiException(
                    Reason.CERT_NOT_YET_VALID, certificate.subject() + " valid from " + certificate.notBefore());
        }
        if (now.isAfter(certificate.notAfter())) {
            throw new PkiException(Reason.CERT_EXPIRED, certificate.subject() + " expired " + certificate.notAfter());
        }
    }

    private static Instant clamp(Instant now, CertificateDetails leaf) {
        if (now.isBefore(leaf.notBefore())) {
            return leaf.notBefore();
        }
        return now.isAfter(leaf.notAfter()) ? leaf.notAfter() : now;
    }
}
