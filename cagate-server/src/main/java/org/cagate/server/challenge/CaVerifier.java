package org.cagate.server.challenge;

import java.security.SecureRandom;
import java.time.Clock;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.PkiException;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.RevocationSources;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Verifies a signed assertion over the bytes of a challenge against the challenge's provider,
 * with one {@link AssertionVerifier} per node (its certificate, path, CRL and OCSP caches serve every
 * request). A refusal becomes the problem code of the same name; the verifier's detail goes to the log
 * only.
 */
@Service
public class CaVerifier {

    private static final Logger log = LoggerFactory.getLogger(CaVerifier.class);

    private final AssertionVerifier verifier;
    /** The provider whose certificate this thread is checking, for {@link RevocationSources}. */
    private final ThreadLocal<String> checking = new ThreadLocal<>();

    CaVerifier(Clock clock, SecureRandom random, RevocationSources sources) {
        this.verifier = new AssertionVerifier(
                clock, RevocationChecker.create(clock, random, fetch -> sources.record(checking.get(), fetch)));
    }

    /**
     * @throws ApiException CERT_MALFORMED, SIGNATURE_INVALID, CERT_UNTRUSTED, CERT_EXPIRED,
     *     CERT_NOT_YET_VALID, CERT_USAGE, CERT_REVOKED or REVOCATION_UNAVAILABLE
     */
    public VerifiedAssertion verify(SignedAssertion signed, SealedChallenge challenge, CaProvider provider) {
        if (!provider.code().equals(challenge.providerCode())) {
            throw new IllegalArgumentException("challenge " + challenge.id() + " is not for " + provider.code());
        }
        checking.set(provider.code());
        try {
            return verifier.verify(signed.toAssertion(), challenge.bytes(), provider.policy());
        } catch (PkiException e) {
            log.info("Challenge {} for {}: {}", challenge.id(), provider.code(), e.getMessage());
            throw new ApiException(ProblemCode.valueOf(e.reason().name()), null, null);
        } finally {
            checking.remove();
        }
    }
}
