package org.cagate.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.revocation.RevocationStatus;

/**
 * Decides whether a signed assertion proves that the holder of a key certified by a provider signed the
 * challenge, in the numbered steps of DESIGN.md "Rules". Thread-safe; one instance serves all providers.
 * Parsed certificates and validated paths are cached; validity and revocation are decided at each call's
 * clock.
 */
public final class AssertionVerifier {
    public static final int DEFAULT_CACHE_SIZE = 20_000;

    private final Clock clock;
    private final RevocationChecker revocation;
    private final CertificateCache certificates;
    private final PathValidator paths;

    public AssertionVerifier(Clock clock, RevocationChecker revocation) {
        this(clock, revocation, DEFAULT_CACHE_SIZE);
    }

    public AssertionVerifier(Clock clock, RevocationChecker revocation, int cacheSize) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.certificates = new CertificateCache(cacheSize);
        this.paths = new PathValidator(cacheSize);
    }

    /**
     * @param challengeBytes exactly the bytes the key was asked to sign
     * @throws PkiException with the reason of the first step that fails
     */
    public VerifiedAssertion verify(Assertion assertion, byte[] challengeBytes, ProviderPolicy provider)
            throws PkiException {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(provider, "provider");
        if (challengeBytes == null || challengeBytes.length == 0 || challengeBytes.length > Challenge.MAX_BYTES) {
            throw new PkiException(Reason.CHALLENGE_MALFORMED, "challenge bytes missing or too long");
        }
        Instant now = clock.instant();

        // 1. The leaf (the assertion's, or for CMS without one the signer's in the CMS) and the chain parse.
        ParsedCertificate given =
                assertion.certificateBytes() == null ? null : certificates.parse(assertion.certificateBytes());
        List<ParsedCertificate> chain = new ArrayList<>();
        for (byte[] der : assertion.chainBytes()) {
            chain.add(certificates.parse(der));
        }

        // 2. The signature verifies over exactly the challenge bytes with the leaf's key and the named
        //    algorithm, which must fit the key. CMS: detached SignedData, one signer, signer = leaf.
        //    CMS without algorithm or certificate: the SignedData's own; one that is sent must agree with it.
        ParsedCertificate leaf;
        SignatureAlgorithm algorithm;
        if (assertion.format() == Assertion.Format.RAW) {
            leaf = given;
            algorithm = assertion.algorithm();
            Signatures.verifyRaw(algorithm, leaf, challengeBytes, assertion.signatureBytes());
        } else {
            CmsSignatures.Result cms = CmsSignatures.verify(
                    assertion.algorithm(), given, assertion.signatureBytes(), challengeBytes, certificates);
            leaf = cms.signer();
            algorithm = cms.algorithm();
            cms.carried().stream().filter(c -> c != cms.signer()).forEach(chain::add);
        }

        // 3. The leaf is within its validity period at the clock's instant.
        PathValidator.checkValidity(leaf.details(), now);

        // 4. A PKIX path (BC provider) leads from the leaf to a root of this provider, the client's chain
        //    completed by the provider's intermediates; every CA certificate on it is valid now.
        List<X509Certificate> path = paths.validate(leaf, chain, provider.trust(), now);

        // 5. The key may sign: digitalSignature or nonRepudiation, when the certificate limits its usage.
        checkUsage(leaf.certificate());

        // 6. Not revoked, as the provider's revocation policy decides.
        RevocationStatus status = revocation.check(leaf.certificate(), path.get(1), provider.revocation());

        // 7. The key id ("CA锁ID") by the provider's identity rule.
        KeyId keyId = keyId(provider.identity(), leaf);

        return new VerifiedAssertion(
                provider.code(),
                keyId,
                path,
                algorithm,
                assertion.format(),
                assertion.tokenSerial(),
                leaf.details(),
                status,
                now);
    }

    /**
     * Steps 3 to 7 for a certificate alone, every finding collected instead of the first thrown: what the
     * CA 检测 page and the operator's provider test show. Revocation may fetch, as in {@link #verify}.
     */
    public CertificateInspection inspect(
            X509Certificate certificate, List<X509Certificate> chain, ProviderPolicy provider) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(provider, "provider");
        Instant now = clock.instant();
        List<CertificateInspection.Finding> findings = new ArrayList<>();
        ParsedCertificate leaf = new ParsedCertificate(certificate);
        try {
            PathValidator.checkValidity(leaf.details(), now);
        } catch (PkiException e) {
            findings.add(finding(e));
        }
        List<X509Certificate> path = List.of(certificate);
        RevocationStatus status = null;
        try {
            List<ParsedCertificate> candidates = new ArrayList<>();
            for (X509Certificate c : chain == null ? List.<X509Certificate>of() : chain) {
                candidates.add(new ParsedCertificate(c));
            }
            path = paths.validate(leaf, candidates, provider.trust(), now);
        } catch (PkiException e) {
            findings.add(finding(e));
        }
        try {
            checkUsage(certificate);
        } catch (PkiException e) {
            findings.add(finding(e));
        }
        if (path.size() > 1) {
            try {
                status = revocation.check(certificate, path.get(1), provider.revocation());
            } catch (PkiException e) {
                findings.add(finding(e));
            }
        }
        KeyId keyId = null;
        try {
            keyId = keyId(provider.identity(), leaf);
        } catch (PkiException e) {
            findings.add(finding(e));
        }
        return new CertificateInspection(leaf.details(), keyId, path, status, findings);
    }

    static void checkUsage(X509Certificate certificate) throws PkiException {
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null) {
            return;
        }
        boolean digitalSignature = usage.length > 0 && usage[0];
        boolean nonRepudiation = usage.length > 1 && usage[1];
        if (!digitalSignature && !nonRepudiation) {
            throw new PkiException(Reason.CERT_USAGE, "key usage allows neither digitalSignature nor nonRepudiation");
        }
    }

    private static KeyId keyId(IdentityRule rule, ParsedCertificate leaf) throws PkiException {
        // The default rule is asked on every login; its value was computed when the certificate was parsed.
        return rule.source() == IdentityRule.Source.SPKI_SHA256
                ? new KeyId(leaf.spkiSha256())
                : rule.keyId(leaf.certificate());
    }

    private static CertificateInspection.Finding finding(PkiException e) {
        return new CertificateInspection.Finding(e.reason(), e.getMessage());
    }
}
