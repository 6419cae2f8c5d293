package org.cagate.server.challenge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.cagate.pki.Challenge;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.system.CagateProperties;
import org.cagate.server.throttle.LocalRateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Issues and spends CAGATE-CHALLENGE-V1 challenges. A challenge names the configured public origin, the
 * provider, a 32-byte nonce from the injected {@link SecureRandom} and the issue time. Nothing is stored
 * when one is issued: its id is sealed ({@link ChallengeSeal}: the fields and an HMAC with a key every
 * node shares), so any node rebuilds its bytes and knows it was issued here. Spending it is one insert of
 * its nonce under a unique key, made before its use is judged, so it is spent whether the request then
 * succeeds or not.
 */
@Service
public class ChallengeService {

    private static final Logger log = LoggerFactory.getLogger(ChallengeService.class);

    private final ChallengeSeal seal;
    private final ChallengeRepository repository;
    private final CaProviderRegistry providers;
    private final LocalRateLimiter rateLimiter;
    private final ChallengeProperties properties;
    private final CagateProperties server;
    private final SecureRandom random;
    private final Clock clock;

    ChallengeService(
            ChallengeSeal seal,
            ChallengeRepository repository,
            CaProviderRegistry providers,
            LocalRateLimiter rateLimiter,
            ChallengeProperties properties,
            CagateProperties server,
            SecureRandom random,
            Clock clock) {
        this.seal = seal;
        this.repository = repository;
        this.providers = providers;
        this.rateLimiter = rateLimiter;
        this.properties = properties;
        this.server = server;
        this.random = random;
        this.clock = clock;
    }

    /** What {@code POST /api/ca/challenges} answers: {@code {id, toBeSigned (base64), expiresAt}}. */
    public record IssuedChallenge(String id, String toBeSigned, Instant expiresAt) {}

    /**
     * Issues a challenge without touching the database (but once per key rotation, for the key).
     *
     * @param accountId for BIND the signed-in account asking (only it may use the challenge); null for LOGIN
     * @throws ApiException RATE_LIMITED (this node's count for the address), PROVIDER_UNKNOWN or
     *     PROVIDER_DISABLED
     */
    public IssuedChallenge issue(Challenge.Purpose purpose, String providerCode, Long accountId, String clientIp) {
        // Counted by this node only: with N nodes an address gets up to N times the limit (docs/decisions.md).
        rateLimiter.acquire("ca-challenge-ip:" + clientIp, properties.perIp());
        CaProvider provider =
                providers.find(providerCode).orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
        if (!provider.enabled()) {
            throw new ApiException(ProblemCode.PROVIDER_DISABLED);
        }
        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        random.nextBytes(nonce);
        Challenge challenge = new Challenge(purpose, server.publicOrigin(), provider.code(), nonce, clock.instant());
        // The challenge's issued-at is whole seconds; expiry counts from the same instant.
        Instant expiresAt = challenge.issuedAt().plus(properties.challengeTtl());
        String id = seal.seal(challenge, purpose == Challenge.Purpose.BIND ? accountId : null, expiresAt);
        return new IssuedChallenge(id, Base64.getEncoder().encodeToString(challenge.toBytes()), expiresAt);
    }

    /**
     * The challenge the id names, without spending it: empty when the id is not one this platform sealed
     * with a key it still has, or when its challenge is past expiry plus retention (a late replay then is
     * CHALLENGE_UNKNOWN, as when its row was deleted before issue 19).
     */
    public Optional<SealedChallenge> open(String id) {
        return seal.open(id).filter(c -> clock.instant().isBefore(c.expiresAt().plus(properties.challengeRetention())));
    }

    /**
     * Spends the challenge: from now on nobody can use it. One insert, in the caller's transaction if any.
     *
     * @return false when it was spent before (CHALLENGE_USED)
     */
    public boolean spend(SealedChallenge challenge) {
        return repository.spend(challenge.nonce(), challenge.expiresAt());
    }

    /**
     * Opens and spends the challenge in one go: from now on nobody can use it.
     *
     * @throws ApiException CHALLENGE_UNKNOWN (not a challenge of ours) or CHALLENGE_USED (spent before)
     */
    public SealedChallenge consume(String id) {
        SealedChallenge challenge = open(id).orElseThrow(() -> new ApiException(ProblemCode.CHALLENGE_UNKNOWN));
        if (!spend(challenge)) {
            throw new ApiException(ProblemCode.CHALLENGE_USED);
        }
        return challenge;
    }

    /**
     * Whether the request that spent the challenge may use it: unexpired at the clock, issued for
     * this purpose (and for BIND to this account), naming this platform's origin, and posted from it
     * when the client says where it posts from (browsers send Origin on every POST).
     *
     * @param accountId for BIND the signed-in account; ignored for LOGIN
     * @param requestOrigin the request's Origin header, or null when it has none
     * @throws ApiException CHALLENGE_EXPIRED, CHALLENGE_UNKNOWN (issued for something else) or ORIGIN_MISMATCH
     */
    public void check(SealedChallenge challenge, Challenge.Purpose purpose, Long accountId, String requestOrigin) {
        if (!clock.instant().isBefore(challenge.expiresAt())) {
            throw new ApiException(ProblemCode.CHALLENGE_EXPIRED);
        }
        if (challenge.purpose() != purpose
                || (purpose == Challenge.Purpose.BIND && !Objects.equals(challenge.accountId(), accountId))) {
            throw ApiException.detail(ProblemCode.CHALLENGE_UNKNOWN, "problem.CHALLENGE_UNKNOWN.mismatch");
        }
        // A node configured with another public origin issued it, or the page is not on this platform.
        if (!challenge.ourOrigin() || (requestOrigin != null && !requestOrigin.equals(server.publicOrigin()))) {
            throw new ApiException(ProblemCode.ORIGIN_MISMATCH);
        }
    }

    /**
     * Forgets spent nonces some minutes after their challenges expired: {@link #open} no longer accepts
     * those (docs/operations.md, "Limits"). Every node runs it; the deletes overlap harmlessly.
     */
    @Scheduled(
            fixedDelayString = "${cagate.ca.challenge-cleanup-interval:PT1M}",
            initialDelayString = "${cagate.ca.challenge-cleanup-interval:PT1M}")
    public int removeExpired() {
        int removed = repository.deleteExpiredBefore(clock.instant().minus(properties.challengeRetention()));
        if (removed > 0) {
            log.debug("Removed {} spent nonces of expired challenges", removed);
        }
        return removed;
    }
}
