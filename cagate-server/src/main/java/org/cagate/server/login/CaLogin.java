package org.cagate.server.login;

import java.time.Clock;
import java.util.function.Consumer;
import org.cagate.pki.Challenge;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.account.AccountView;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.auth.LoginMethod;
import org.cagate.server.binding.BindingRepository;
import org.cagate.server.binding.BindingRepository.LoginBinding;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.challenge.CaVerifier;
import org.cagate.server.challenge.ChallengeService;
import org.cagate.server.challenge.SealedChallenge;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.throttle.LocalRateLimiter;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CA login (seed §3): the steps of DESIGN "Flows" on the server side, each failure its DESIGN
 * code, every attempt audited. The work that needs no database comes first: the challenge id is opened
 * (its MAC checked, its bytes rebuilt), its use judged, and the assertion verified. Then every database
 * step of the attempt runs in ONE transaction, committed synchronously, so the attempt's audit row is
 * durable before the answer leaves: the per-IP count, the spent nonce, and when both pass and the
 * verification did, the per-key count, the binding with its account, the audit row and the caller's
 * session. A refusal is returned out of the transaction and thrown after its commit, so its counts, its
 * spent nonce and its audit row stay. Provider policies come from the node's cache and verification from
 * cagate-pki's caches.
 *
 * <p>The answers keep their precedence although the work moved: RATE_LIMITED before anything, then
 * CHALLENGE_UNKNOWN and CHALLENGE_USED (the database decides), then what was judged before the
 * transaction (CHALLENGE_EXPIRED, a mismatch, ORIGIN_MISMATCH, PROVIDER_*, the verification's codes), then
 * the per-key count and the binding's refusals.
 */
@Service
class CaLogin {

    private final ChallengeService challenges;
    private final CaProviderRegistry providers;
    private final CaVerifier verifier;
    private final BindingRepository bindings;
    private final RateLimiter rateLimiter;
    private final LocalRateLimiter localLimiter;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final CaLoginProperties properties;
    private final Clock clock;

    CaLogin(
            ChallengeService challenges,
            CaProviderRegistry providers,
            CaVerifier verifier,
            BindingRepository bindings,
            RateLimiter rateLimiter,
            LocalRateLimiter localLimiter,
            AuditLog audit,
            TransactionTemplate transactions,
            CaLoginProperties properties,
            Clock clock) {
        this.challenges = challenges;
        this.providers = providers;
        this.verifier = verifier;
        this.bindings = bindings;
        this.rateLimiter = rateLimiter;
        this.localLimiter = localLimiter;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** The account now signed in, for the session and for the answer. */
    record Success(CagateUser user, AccountView account, LoginMethod method) {}

    /**
     * @param origin the request's Origin header, or null
     * @param inTransaction called with the login inside its transaction, after its audit row, only on
     *     success: the caller's session write, so that it commits with the rest (if it throws, all of the
     *     transaction rolls back and the exception propagates)
     * @throws ApiException RATE_LIMITED, CHALLENGE_*, ORIGIN_MISMATCH, PROVIDER_*, the certificate and
     *     signature codes, CA_NOT_BOUND, ACCOUNT_DISABLED or REGION_CA_DISABLED
     */
    Success login(SignedAssertion assertion, String clientIp, String origin, Consumer<Success> inTransaction) {
        String ipKey = "ca-login-ip:" + clientIp;
        Attempt attempt = new Attempt();
        // 0. The database has refused this address in a window that has not ended: it would refuse again, so
        //    the attempt is refused (and audited) before any verification.
        try {
            localLimiter.check(ipKey);
        } catch (ApiException e) {
            transactions.executeWithoutResult(status -> audit.record(failure(e, attempt, clientIp)));
            throw e;
        }
        // Without the database: the challenge the id names, whether it may be used here, and the proof.
        SealedChallenge challenge = challenges.open(assertion.challengeId()).orElse(null);
        ApiException judged = null;
        CaProvider provider = null;
        VerifiedAssertion verified = null;
        if (challenge != null) {
            attempt.provider = challenge.providerCode();
            try {
                // 3. Unexpired, issued for LOGIN, for this platform's origin.
                challenges.check(challenge, Challenge.Purpose.LOGIN, null, origin);
                // 4. The provider exists and is enabled.
                provider = providers
                        .find(challenge.providerCode())
                        .orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
                if (!provider.enabled()) {
                    throw new ApiException(ProblemCode.PROVIDER_DISABLED);
                }
                // 5. The signature is over exactly the challenge bytes; the certificate is valid, trusted by
                //    the provider, fit for signing and not revoked; the key id comes from its identity rule.
                verified = verifier.verify(assertion, challenge, provider);
                attempt.keyId = verified.keyId().value();
            } catch (ApiException e) {
                judged = e;
            }
        }
        ApiException refusedBeforeSpending = judged;
        CaProvider usedProvider = provider;
        VerifiedAssertion proof = verified;
        Outcome outcome = transactions.execute(status -> {
            ApiException refused = null;
            Success success = null;
            try {
                // 1. Not too many attempts from this address, counted by the database for every node.
                acquirePerIp(ipKey);
                // 2. The challenge is one of ours and unused; it is spent now, whatever follows.
                if (challenge == null) {
                    throw new ApiException(ProblemCode.CHALLENGE_UNKNOWN);
                }
                if (!challenges.spend(challenge)) {
                    throw new ApiException(ProblemCode.CHALLENGE_USED);
                }
                if (refusedBeforeSpending != null) {
                    throw refusedBeforeSpending;
                }
                success = signIn(proof, usedProvider, clientIp, attempt);
            } catch (ApiException e) {
                refused = e;
                audit.record(failure(e, attempt, clientIp));
            }
            if (success != null) {
                inTransaction.accept(success);
            }
            return new Outcome(success, refused);
        });
        if (outcome.refused() != null) {
            throw outcome.refused();
        }
        return outcome.success();
    }

    /** What the transaction decided: the login, or its refusal (already audited). */
    private record Outcome(Success success, ApiException refused) {}

    /** The database's per-IP count; its refusal is remembered by this node until the window it names ends. */
    private void acquirePerIp(String ipKey) {
        try {
            rateLimiter.acquire(ipKey, properties.perIp());
        } catch (ApiException e) {
            if (e.code() == ProblemCode.RATE_LIMITED && e.retryAfter() != null) {
                localLimiter.refusedUntil(ipKey, clock.instant().plus(e.retryAfter()));
            }
            throw e;
        }
    }

    /**
     * 6.-8. after the proof: the per-key count, the binding with its account (one query), a renewed
     * certificate's refresh, and the login's audit row.
     */
    private Success signIn(VerifiedAssertion verified, CaProvider provider, String clientIp, Attempt attempt) {
        // 6. Not too many logins with this key.
        rateLimiter.acquire("ca-login-key:" + provider.code() + ":" + attempt.keyId, properties.perKey());
        LoginBinding binding = bindings.forLogin(provider.code(), attempt.keyId).orElse(null);
        attempt.account = binding;
        ProblemCode refused = refusal(binding, provider);
        if (refused != null) {
            throw new ApiException(refused);
        }
        if (renewed(binding, verified)) {
            renew(binding, verified, clientIp);
        }
        audit.record(loginEvent(binding, verified, clientIp));
        LoginMethod method = LoginMethod.ca(
                verified.verifiedAt(),
                provider.code(),
                verified.keyId().value(),
                verified.details().sha256());
        return new Success(user(binding), view(binding), method);
    }

    private static AuditEvent failure(ApiException e, Attempt attempt, String clientIp) {
        LoginBinding account = attempt.account;
        return AuditEvent.failure(AuditAction.CA_LOGIN, e.code().name())
                .actor(account == null ? null : account.accountId(), account == null ? null : account.displayName())
                .subject(account == null ? null : account.accountId())
                .organization(account == null ? null : account.organizationId())
                .provider(attempt.provider)
                .keyId(attempt.keyId)
                .clientIp(clientIp)
                .build();
    }

    /**
     * 7. The key is bound to an account ... 8. that is active, whose region still has CA business open and
     * still offers the provider. Null when all holds.
     */
    private static ProblemCode refusal(LoginBinding binding, CaProvider provider) {
        if (binding == null) {
            return ProblemCode.CA_NOT_BOUND;
        }
        if (binding.status() != AccountStatus.ACTIVE) {
            return ProblemCode.ACCOUNT_DISABLED;
        }
        if (binding.regionCode() == null || !binding.regionCaEnabled()) {
            return ProblemCode.REGION_CA_DISABLED;
        }
        if (!provider.usableIn(binding.regionCode())) {
            return ProblemCode.PROVIDER_DISABLED;
        }
        return null;
    }

    /** A renewed certificate on the bound key: another certificate, not older than the stored one. */
    private static boolean renewed(LoginBinding binding, VerifiedAssertion verified) {
        return !verified.details().sha256().equals(binding.certificateSha256())
                && !verified.details().notAfter().isBefore(binding.certificateNotAfter());
    }

    private static AuditEvent loginEvent(LoginBinding binding, VerifiedAssertion verified, String clientIp) {
        return AuditEvent.success(AuditAction.CA_LOGIN)
                .actor(binding.accountId(), binding.displayName())
                .subject(binding.accountId())
                .organization(binding.organizationId())
                .provider(verified.providerCode())
                .keyId(verified.keyId().value())
                .clientIp(clientIp)
                .detail("format=" + verified.format() + " algorithm=" + verified.algorithm() + " revocation="
                        + verified.revocation().outcome())
                .build();
    }

    /**
     * Refreshes the binding's certificate details, audited CERT_RENEWED, in the login's transaction: the
     * refresh, its record and the login's record commit together, synchronously, or not at all.
     */
    private void renew(LoginBinding binding, VerifiedAssertion verified, String clientIp) {
        bindings.renew(binding.bindingId(), verified.details(), verified.tokenSerial());
        audit.record(AuditEvent.success(AuditAction.CERT_RENEWED)
                .actor(binding.accountId(), binding.displayName())
                .subject(binding.accountId())
                .organization(binding.organizationId())
                .provider(verified.providerCode())
                .keyId(verified.keyId().value())
                .clientIp(clientIp)
                .detail("binding=" + binding.bindingId() + " certificate=" + binding.certificateSha256() + " -> "
                        + verified.details().sha256() + " notAfter="
                        + verified.details().notAfter())
                .build());
    }

    private static CagateUser user(LoginBinding b) {
        return new CagateUser(
                b.accountId(),
                b.loginName(),
                b.displayName(),
                b.organizationId(),
                b.organizationName(),
                b.regionCode(),
                b.regionName(),
                b.roles());
    }

    private static AccountView view(LoginBinding b) {
        return new AccountView(
                b.accountId(),
                b.loginName(),
                b.displayName(),
                b.organizationId() == null
                        ? null
                        : new AccountView.OrganizationRef(b.organizationId(), b.organizationName()),
                b.regionCode() == null ? null : new AccountView.RegionRef(b.regionCode(), b.regionName()),
                b.departmentId() == null ? null : new AccountView.DepartmentRef(b.departmentId(), b.departmentName()),
                b.roles().stream().sorted().toList(),
                b.status(),
                null,
                b.createdAt());
    }

    /** What the audit can say about an attempt so far. */
    private static final class Attempt {
        private String provider;
        private String keyId;
        private LoginBinding account;
    }
}
