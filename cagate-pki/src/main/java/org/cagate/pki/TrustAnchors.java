package org.cagate.pki;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CA certificates one provider trusts: self-signed roots, which are the PKIX anchors, and optional
 * intermediates, which complete a chain the client sent without them. Immutable.
 */
public final class TrustAnchors {

    /** One certificate as the operator's provider page lists it. */
    public record Entry(boolean root, CertificateDetails details) {}

    private final List<X509Certificate> roots;
    private final List<X509Certificate> intermediates;
    private final Set<TrustAnchor> anchors;
    private final List<ParsedCertificate> parsed;
    private final String fingerprint;

    private TrustAnchors(List<X509Certificate> roots, List<X509Certificate> intermediates) {
        this.roots = List.copyOf(roots);
        this.intermediates = List.copyOf(intermediates);
        this.anchors = roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet());
        this.parsed = Stream.concat(intermediates.stream(), roots.stream())
                .map(ParsedCertificate::new)
                .toList();
        this.fingerprint = fingerprint(roots, intermediates);
    }

    /**
     * Sorts the certificates into roots (self-issued and self-signed) and intermediates. Every one must
     * be a CA certificate and at least one must be a root.
     *
     * @throws PkiException {@link Reason#CERT_MALFORMED} when that does not hold
     */
    public static TrustAnchors of(Collection<X509Certificate> certificates) throws PkiException {
        Map<String, X509Certificate> unique = new LinkedHashMap<>();
        for (X509Certificate certificate : certificates) {
            unique.putIfAbsent(Certificates.sha256Hex(certificate), certificate);
        }
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        for (X509Certificate certificate : unique.values()) {
            if (certificate.getBasicConstraints() < 0) {
                throw new PkiException(
                        Reason.CERT_MALFORMED,
                        "not a CA certificate: "
                                + certificate.getSubjectX500Principal().getName());
            }
            (isSelfSigned(certificate) ? roots : intermediates).add(certificate);
        }
        if (roots.isEmpty()) {
            throw new PkiException(Reason.CERT_MALFORMED, "no self-signed root among the trust anchors");
        }
        return new TrustAnchors(roots, intermediates);
    }

    /** From PEM texts as the operator pastes them; each text may hold several certificates. */
    public static TrustAnchors fromPem(Collection<String> pems) throws PkiException {
        List<X509Certificate> all = new ArrayList<>();
        for (String pem : pems) {
            all.addAll(Certificates.parsePemBundle(pem));
        }
        return of(all);
    }

    public static TrustAnchors fromPem(String... pems) throws PkiException {
        return fromPem(List.of(pems));
    }

    public List<X509Certificate> roots() {
        return roots;
    }

    public List<X509Certificate> intermediates() {
        return intermediates;
    }

    /** Roots first, then intermediates, with what the operator page shows. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        roots.forEach(r -> entries.add(new Entry(true, CertificateDetails.of(r))));
        intermediates.forEach(i -> entries.add(new Entry(false, CertificateDetails.of(i))));
        return entries;
    }

    /**
     * SHA-256 over the sorted fingerprints of every certificate: equal for equal sets, so caches keyed
     * by it survive a provider being rebuilt with the same anchors and miss when an anchor changes.
     */
    public String fingerprint() {
        return fingerprint;
    }

    Set<TrustAnchor> pkixAnchors() {
        return anchors;
    }

    /** Intermediates, then roots, parsed once: where a first login's issuer is looked up (KnownIssuers). */
    List<ParsedCertificate> parsedCertificates() {
        return parsed;
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey(), BouncyCastle.provider());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String fingerprint(List<X509Certificate> roots, List<X509Certificate> intermediates) {
        Set<String> sorted = new TreeSet<>();
        roots.forEach(r -> sorted.add("R" + Certificates.sha256Hex(r)));
        intermediates.forEach(i -> sorted.add("I" + Certificates.sha256Hex(i)));
        return HexFormat.of()
                .formatHex(Certificates.sha256(String.join(",", sorted).getBytes()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustAnchors t && fingerprint.equals(t.fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "TrustAnchors[" + roots.size() + " roots, " + intermediates.size() + " intermediates]";
    }
}
