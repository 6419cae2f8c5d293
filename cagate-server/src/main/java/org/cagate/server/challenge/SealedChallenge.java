package org.cagate.server.challenge;

import java.time.Instant;
import java.util.Objects;
import org.cagate.pki.Challenge;

/**
 * What a challenge id says, once its MAC has been checked ({@link ChallengeSeal#open}): the id was issued
 * by a node of this platform and nobody changed it since. Whether it is still unused is another question,
 * answered by {@link ChallengeService#spend}; whether this request may use it by {@link
 * ChallengeService#check}.
 *
 * @param accountId for BIND, the account that asked for it; null for LOGIN
 * @param origin this node's public origin when the challenge was issued for it, else null (ORIGIN_MISMATCH)
 */
public record SealedChallenge(
        String id,
        Challenge.Purpose purpose,
        String providerCode,
        Long accountId,
        byte[] nonce,
        Instant issuedAt,
        Instant expiresAt,
        String origin) {

    public SealedChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(providerCode, "providerCode");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** Whether it names this node's public origin. */
    public boolean ourOrigin() {
        return origin != null;
    }

    /**
     * Exactly the bytes the key was asked to sign, rebuilt from the id: the CAGATE-CHALLENGE-V1 text of the
     * purpose, this node's origin, the provider, the nonce and the issue time.
     *
     * @throws IllegalStateException when the challenge names another origin (nothing may be verified then)
     */
    public byte[] bytes() {
        if (origin == null) {
            throw new IllegalStateException("challenge " + id + " was issued for another origin");
        }
        return new Challenge(purpose, origin, providerCode, nonce, issuedAt).toBytes();
    }
}
