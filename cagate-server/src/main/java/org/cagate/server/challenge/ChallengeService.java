package org.cagate.server.challenge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cagate.pki.Challenge;
import org.cagate.pki.PkiException;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.system.CagateProperties;
import org.cagate.server.throttle.AsyncCommit;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Issues and consumes CAGATE-CHALLENGE-V1 challenges. A challenge names the configured public origin,
 * the provider, a 32-byte nonce from the injected {@link SecureRandom} and the issue time; the row keeps
 * exactly the bytes handed out. Consuming marks it used in one statement before anything is verified,
 * so it is spent whether the request then succeeds or not.
 */
@Service
public class ChallengeService {

    private static final Logger log = LoggerFactory.getLogger(ChallengeService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final ChallengeRepository repository;
    private final CaProviderRegistry providers;
    private final RateLimiter rateLimiter;
    private final ChallengeCap cap;
    private final AsyncCommit asyncCommit;
    private final ChallengeProperties properties;
    private final CagateProperties server;
    private final SecureRandom random;
    private final Clock clock;

    ChallengeService(
            ChallengeRepository repository,
            CaProviderRegistry providers,
            RateLimiter rateLimiter,
            ChallengeCap cap,
            AsyncCommit asyncCommit,
            ChallengeProperties properties,
            CagateProperties server,
            SecureRandom random,
            Clock clock) {
        this.repository = repository;
        this.providers = providers;
        this.rateLimiter = rateLimiter;
        this.cap = cap;
        this.asyncCommit = asyncCommit;
        this.properties = properties;
        this.server = server;
        this.random = random;
        this.clock = clock;
    }

    /** What {@code POST /api/ca/challenges} answers: {@code {id, toBeSigned (base64), expiresAt}}. */
    public record IssuedChallenge(String id, String toBeSigned, Instant expiresAt) {}

    /**
     * @param accountId for BIND the signed-in account asking (only it may use the challenge); null for LOGIN
     * @throws ApiException RATE_LIMITED, PROVIDER_UNKNOWN, PROVIDER_DISABLED, or SERVICE_UNAVAILABLE at the
     *     node's limit ({@link ChallengeCap})
     */
    public IssuedChallenge issue(Challenge.Purpose purpose, String providerCode, Long accountId, String clientIp) {
        // The count and the row commit together without waiting for the disk (AsyncCommit): a challenge lost
        // in a database crash is asked for again. A refusal is thrown after the commit, so it is counted.
        Issue outcome = asyncCommit.run(() -> {
            rateLimiter.acquire("ca-challenge-ip:" + clientIp, properties.perIp());
            CaProvider provider = providers.find(providerCode).orElse(null);
            if (provider == null) {
                return new Issue(null, ProblemCode.PROVIDER_UNKNOWN);
            }
            if (!provider.enabled()) {
                return new Issue(null, ProblemCode.PROVIDER_DISABLED);
            }
            // The node's hard bound (503 with Retry-After), counted only for rows about to be stored. Its refusal
            // rolls the per-IP count back: the client is not charged for the platform's limit.
            cap.acquire();
            return new Issue(create(purpose, provider, accountId, clientIp), null);
        });
        if (outcome.refused() != null) {
            throw new ApiException(outcome.refused());
        }
        return outcome.issued();
    }

    private record Issue(IssuedChallenge issued, ProblemCode refused) {}

    private IssuedChallenge create(Challenge.Purpose purpose, CaProvider provider, Long accountId, String clientIp) {
        Instant now = clock.instant();
        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] idBytes = new byte[16];
        random.nextBytes(idBytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        Challenge challenge = new Challenge(purpose, server.publicOrigin(), provider.code(), nonce, now);
        byte[] bytes = challenge.toBytes();
        // The challenge's issued-at is whole seconds; expiry counts from the same instant.
        Instant expiresAt = challenge.issuedAt().plus(properties.challengeTtl());
        repository.insert(id, purpose, provider.code(), accountId, bytes, clientIp, now, expiresAt);
        return new IssuedChallenge(id, Base64.getEncoder().encodeToString(bytes), expiresAt);
    }

    /**
     * Spends the challenge: from now on nobody can use it.
     *
     * @throws ApiException CHALLENGE_UNKNOWN (no such id) or CHALLENGE_USED (spent before)
     */
    public ConsumedChallenge consume(String id) {
        return spend(id).orElseThrow(() -> notSpendable(id));
    }

    /**
     * {@link #consume} without the refusal: empty when the challenge is unknown or spent before, so that a
     * caller can spend it in a transaction whose other writes must commit either way, and refuse after.
     */
    public Optional<ConsumedChallenge> spend(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return repository.consume(id, clock.instant());
    }

    /** Why {@link #spend} found nothing: CHALLENGE_USED when the id exists, else CHALLENGE_UNKNOWN. */
    public ApiException notSpendable(String id) {
        boolean known = id != null && ID.matcher(id).matches() && repository.exists(id);
        return new ApiException(known ? ProblemCode.CHALLENGE_USED : ProblemCode.CHALLENGE_UNKNOWN);
    }

    /**
     * Whether the request that consumed the challenge may use it: unexpired at the clock, issued for
     * this purpose (and for BIND to this account), naming this platform's origin, and posted from it
     * when the client says where it posts from (browsers send Origin on every POST).
     *
     * @param accountId for BIND the signed-in account; ignored for LOGIN
     * @param requestOrigin the request's Origin header, or null when it has none
     * @throws ApiException CHALLENGE_EXPIRED, CHALLENGE_UNKNOWN (issued for something else) or ORIGIN_MISMATCH
     */
    public void check(ConsumedChallenge challenge, Challenge.Purpose purpose, Long accountId, String requestOrigin) {
        if (!clock.instant().isBefore(challenge.expiresAt())) {
            throw new ApiException(ProblemCode.CHALLENGE_EXPIRED);
        }
        if (challenge.purpose() != purpose
                || (purpose == Challenge.Purpose.BIND && !Objects.equals(challenge.accountId(), accountId))) {
            throw ApiException.detail(ProblemCode.CHALLENGE_UNKNOWN, "problem.CHALLENGE_UNKNOWN.mismatch");
        }
        String origin;
        try {
            origin = Challenge.parse(challenge.bytes()).origin();
        } catch (PkiException e) {
            throw new IllegalStateException("a stored challenge does not parse: " + challenge.id(), e);
        }
        // A node configured with another public origin issued it, or the page is not on this platform.
        if (!origin.equals(server.publicOrigin())
                || (requestOrigin != null && !requestOrigin.equals(server.publicOrigin()))) {
            throw new ApiException(ProblemCode.ORIGIN_MISMATCH);
        }
    }

    /**
     * Forgets challenges some minutes after they expired: nothing can use them any more. With {@link
     * ChallengeCap} this bounds the table (docs/operations.md, "Limits"). Every node runs it; the deletes
     * overlap harmlessly.
     */
    @Scheduled(
            fixedDelayString = "${cagate.ca.challenge-cleanup-interval:PT1M}",
            initialDelayString = "${cagate.ca.challenge-cleanup-interval:PT1M}")
    public int removeExpired() {
        int removed = repository.deleteExpiredBefore(clock.instant().minus(properties.challengeRetention()));
        if (removed > 0) {
            log.debug("Removed {} expired challenges", removed);
        }
        return removed;
    }
}
