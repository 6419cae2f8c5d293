package org.cagate.server.challenge;

import java.time.Instant;
import java.util.Objects;
import org.cagate.pki.Challenge;

/**
 * A challenge row that this request has just marked used: nobody else can use it any more, whatever
 * happens next. {@link ChallengeService#check} then decides whether this request may use it.
 *
 * @param accountId for BIND, the account that asked for it; null for LOGIN
 */
public record ConsumedChallenge(
        String id, Challenge.Purpose purpose, String providerCode, Long accountId, byte[] bytes, Instant expiresAt) {

    public ConsumedChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(providerCode, "providerCode");
        Objects.requireNonNull(expiresAt, "expiresAt");
        bytes = bytes.clone();
    }

    /** Exactly the bytes the key was asked to sign. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
