package org.cagate.pki;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.util.Properties;

/**
 * The CA part of the paths the full PKIX build validated, by the certificate that issued the leaf: a new
 * leaf of a known issuer then costs one signature check and BC's checks of the leaf, instead of a build.
 *
 * <p>Why that proves what the build proves. BC validates a path from the anchor down, one certificate at a
 * time; what it decides about the CAs depends on the CAs (and on the path's length, the same for every
 * leaf under them), not on the leaf, except in the ways each of which sends a leaf to the full build here:
 * <ul>
 *   <li>a CA's name constraints or policy constraints, mappings or inhibitAnyPolicy act on the leaf: such
 *       CA paths are never remembered; a leaf's own policy constraints make the outcome depend on the CAs'
 *       policies; the policy tree's size limit counts CAs and leaf together (bounded below);
 *   <li>PKIX checks every certificate at one instant, the caller's clamped into the leaf's validity: each CA
 *       on the path (not the anchor, which PKIX does not check either) must be valid at it;
 *   <li>the build only has this request's certificates: every CA on the path must be among them.
 * </ul>
 * What is left is the leaf's own step, and BC's validator does it: the one-certificate path [leaf] with the
 * issuing CA as its trust anchor gets the same signature check (so SM3withSM2 with the default user id),
 * validity, name chaining, name decoding, policies and unprocessed critical extensions as in the full path.
 * Any failure proves nothing: the caller runs the full build, which decides and says why.
 */
final class KnownIssuers {
    /** Extensions of a CA that change what PKIX decides about the certificates below it. */
    private static final List<String> CONSTRAINING = List.of(
            Extension.nameConstraints.getId(),
            Extension.policyConstraints.getId(),
            Extension.policyMappings.getId(),
            Extension.inhibitAnyPolicy.getId());

    private final Cache<Key, CaPath> paths;

    private record Key(String trustFingerprint, String issuerSha256) {}

    /**
     * @param certificates issuer first, the anchor's certificate last, with their details in the same order
     * @param issuer the issuer as the only trust anchor of the leaf's one-certificate path
     * @param policies certificate policies the CAs name, all together
     */
    private record CaPath(
            List<X509Certificate> certificates,
            List<CertificateDetails> details,
            Set<TrustAnchor> issuer,
            int policies) {}

    KnownIssuers(long maximumSize) {
        this.paths = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(maximumSize)
                .build();
    }

    /** Remembers the CA part of a path the full build validated, unless a CA on it constrains its leaves. */
    void remember(String trustFingerprint, PathValidator.Path path) {
        List<X509Certificate> certificates =
                path.certificates().subList(1, path.certificates().size());
        int policies = 0;
        for (X509Certificate ca : certificates) {
            int count = policyCount(ca);
            if (count < 0 || CONSTRAINING.stream().anyMatch(oid -> ca.getExtensionValue(oid) != null)) {
                return;
            }
            policies += count;
        }
        List<CertificateDetails> details =
                path.details().subList(1, path.details().size());
        paths.put(
                new Key(trustFingerprint, details.get(0).sha256()),
                new CaPath(
                        List.copyOf(certificates),
                        List.copyOf(details),
                        Set.of(new TrustAnchor(certificates.get(0), null)),
                        policies));
    }

    /**
     * @param at the instant PKIX validates at (the caller's, clamped into the leaf's validity)
     * @return leaf and the CA path of a known issuer among the request's certificates, when the leaf passes
     *     its PKIX step under it; null when that cannot be shown, and the full build decides
     */
    PathValidator.Path extend(ParsedCertificate leaf, List<ParsedCertificate> chain, TrustAnchors trust, Instant at) {
        // 1. The leaf's own policies may not depend on the CAs': no policy constraints, a readable count.
        int leafPolicies = policyCount(leaf.certificate());
        if (leafPolicies < 0 || leaf.certificate().getExtensionValue(Extension.policyConstraints.getId()) != null) {
            return null;
        }
        for (List<ParsedCertificate> candidates : List.of(chain, trust.parsedCertificates())) {
            for (ParsedCertificate candidate : candidates) {
                // 2. A candidate names the leaf's issuer (and its key id, when both have one) and is known.
                if (!candidate.subject().equals(leaf.issuer()) || !keyIdsAgree(leaf, candidate)) {
                    continue;
                }
                CaPath ca = paths.getIfPresent(
                        new Key(trust.fingerprint(), candidate.details().sha256()));
                // 3. The policy tree BC grows for CAs and leaf stays under BC's limit (bound: policyTreeFits).
                // 4. Each CA below the anchor is valid at the PKIX instant and among this request's certificates.
                // 5. The leaf passes BC's PKIX step with the issuer's key.
                if (ca != null
                        && policyTreeFits(ca, leafPolicies)
                        && validAndAvailable(ca, chain, trust, at)
                        && leafStepPasses(leaf, ca, at)) {
                    List<X509Certificate> certificates =
                            new ArrayList<>(ca.certificates().size() + 1);
                    certificates.add(leaf.certificate());
                    certificates.addAll(ca.certificates());
                    List<CertificateDetails> details = new ArrayList<>(certificates.size());
                    details.add(leaf.details());
                    details.addAll(ca.details());
                    return new PathValidator.Path(List.copyOf(certificates), List.copyOf(details));
                }
            }
        }
        return null;
    }

    private static boolean keyIdsAgree(ParsedCertificate leaf, ParsedCertificate candidate) {
        byte[] authority = leaf.authorityKeyId();
        byte[] subject = candidate.subjectKeyId();
        return authority == null || subject == null || Arrays.equals(authority, subject);
    }

    /**
     * Without policy mappings BC's tree holds at most one node per policy named so far (and one anyPolicy)
     * at each of its n + 1 depths, n the certificates below the anchor; the CA path here holds the anchor too.
     */
    private static boolean policyTreeFits(CaPath ca, int leafPolicies) {
        long bound = (long) (ca.certificates().size() + 1) * (ca.policies() + leafPolicies + 1);
        return bound <= Properties.asInteger(Properties.X509_MAX_POLICY_NODES, 8192);
    }

    private static boolean validAndAvailable(CaPath ca, List<ParsedCertificate> chain, TrustAnchors trust, Instant at) {
        for (int i = 0; i < ca.details().size() - 1; i++) {
            CertificateDetails certificate = ca.details().get(i);
            if (!certificate.validAt(at)
                    || !(has(chain, certificate) || has(trust.parsedCertificates(), certificate))) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(List<ParsedCertificate> certificates, CertificateDetails wanted) {
        return certificates.stream().anyMatch(c -> c.details().sha256().equals(wanted.sha256()));
    }

    /** The BC validator on [leaf] under the issuer: the step the full validation runs for the leaf. */
    private static boolean leafStepPasses(ParsedCertificate leaf, CaPath ca, Instant at) {
        try {
            PKIXParameters parameters = new PKIXParameters(ca.issuer());
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX", BouncyCastle.provider())
                    .validate(
                            CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                                    .generateCertPath(List.of(leaf.certificate())),
                            parameters);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Entries of the certificatePolicies extension, 0 without one, -1 when it cannot be read. */
    private static int policyCount(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.certificatePolicies.getId());
        if (value == null) {
            return 0;
        }
        try {
            return CertificatePolicies.getInstance(
                            ASN1OctetString.getInstance(value).getOctets())
                    .getPolicyInformation()
                    .length;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
