package org.cagate.server.login;

import java.util.Optional;
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
import org.cagate.server.challenge.ConsumedChallenge;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.throttle.AsyncCommit;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CA login (seed §3): the steps of DESIGN "Flows" on the server side, each failure its DESIGN
 * code, every attempt audited. The database sees, per successful login, two transactions committed
 * without waiting for the disk ({@link AsyncCommit}): the per-IP counter with the challenge consumed (one
 * UPDATE returning the row), then the per-key counter, the binding with its account (one query) and the
 * audit row; then, in the controller, the new session, whose synchronous commit makes all of it durable
 * before the answer leaves. A refusal's audit row is that last synchronous commit instead. Provider
 * policies come from the node's cache and verification from cagate-pki's caches.
 */
@Service
class CaLogin {

    private final ChallengeService challenges;
    private final CaProviderRegistry providers;
    private final CaVerifier verifier;
    private final BindingRepository bindings;
    private final RateLimiter rateLimiter;
    private final AsyncCommit asyncCommit;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final CaLoginProperties properties;

    CaLogin(
            ChallengeService challenges,
            CaProviderRegistry providers,
            CaVerifier verifier,
            BindingRepository bindings,
            RateLimiter rateLimiter,
            AsyncCommit asyncCommit,
            AuditLog audit,
            TransactionTemplate transactions,
            CaLoginProperties properties) {
        this.challenges = challenges;
        this.providers = providers;
        this.verifier = verifier;
        this.bindings = bindings;
        this.rateLimiter = rateLimiter;
        this.asyncCommit = asyncCommit;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** The account now signed in, for the session and for the answer. */
    record Success(CagateUser user, AccountView account, LoginMethod method) {}

    /**
     * @param origin the request's Origin header, or null
     * @throws ApiException RATE_LIMITED, CHALLENGE_*, ORIGIN_MISMATCH, PROVIDER_*, the certificate and
     *     signature codes, CA_NOT_BOUND, ACCOUNT_DISABLED or REGION_CA_DISABLED
     */
    Success login(SignedAssertion assertion, String clientIp, String origin) {
        Attempt attempt = new Attempt();
        try {
            // 1. Not too many attempts from this address (before any work), and 2. the challenge is known
            //    and unused; it is spent now, whatever follows. Both commit without waiting for the disk
            //    (AsyncCommit): the answer waits for the request's last write, the session or the audit
            //    record of a refusal, whose synchronous commit makes these durable too.
            Optional<ConsumedChallenge> spent = asyncCommit.run(() -> {
                rateLimiter.acquire("ca-login-ip:" + clientIp, properties.perIp());
                return challenges.spend(assertion.challengeId());
            });
            ConsumedChallenge challenge = spent.orElseThrow(() -> challenges.notSpendable(assertion.challengeId()));
            attempt.provider = challenge.providerCode();
            // 3. Unexpired, issued for LOGIN, for this platform's origin.
            challenges.check(challenge, Challenge.Purpose.LOGIN, null, origin);
            // 4. The provider exists and is enabled.
            CaProvider provider = providers
                    .find(challenge.providerCode())
                    .orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
            if (!provider.enabled()) {
                throw new ApiException(ProblemCode.PROVIDER_DISABLED);
            }
            // 5. The signature is over exactly the challenge bytes; the certificate is valid, trusted by
            //    the provider, fit for signing and not revoked; the key id comes from its identity rule.
            VerifiedAssertion verified = verifier.verify(assertion, challenge, provider);
            attempt.keyId = verified.keyId().value();
            // 6.-8. in one asynchronous transaction, the session's commit making it durable: the per-key count,
            //    the binding with its account, and the login's audit record when it stands and renews nothing.
            //    A refusal is thrown after the commit, so the count stays.
            Outcome outcome = asyncCommit.run(() -> {
                // 6. Not too many logins with this key.
                rateLimiter.acquire("ca-login-key:" + provider.code() + ":" + attempt.keyId, properties.perKey());
                LoginBinding binding =
                        bindings.forLogin(provider.code(), attempt.keyId).orElse(null);
                ProblemCode refused = refusal(binding, provider);
                boolean renewed = refused == null && renewed(binding, verified);
                if (refused == null && !renewed) {
                    audit.record(loginEvent(binding, verified, clientIp));
                }
                return new Outcome(binding, refused, renewed);
            });
            attempt.account = outcome.binding();
            if (outcome.refused() != null) {
                throw new ApiException(outcome.refused());
            }
            if (outcome.renewed()) {
                renew(outcome.binding(), verified, clientIp);
            }
            LoginMethod method = LoginMethod.ca(
                    verified.verifiedAt(),
                    provider.code(),
                    verified.keyId().value(),
                    verified.details().sha256());
            return new Success(user(outcome.binding()), view(outcome.binding()), method);
        } catch (ApiException e) {
            LoginBinding account = attempt.account;
            audit.record(AuditEvent.failure(AuditAction.CA_LOGIN, e.code().name())
                    .actor(account == null ? null : account.accountId(), account == null ? null : account.displayName())
                    .subject(account == null ? null : account.accountId())
                    .organization(account == null ? null : account.organizationId())
                    .provider(attempt.provider)
                    .keyId(attempt.keyId)
                    .clientIp(clientIp)
                    .build());
            throw e;
        }
    }

    /** What steps 6 to 8 found: the binding (null if none), the refusal (null if none), renewal or not. */
    private record Outcome(LoginBinding binding, ProblemCode refused, boolean renewed) {}

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
     * Refreshes the binding's certificate details, audited CERT_RENEWED, in one transaction with the
     * login's record, committed synchronously as every change of a binding is.
     */
    private void renew(LoginBinding binding, VerifiedAssertion verified, String clientIp) {
        transactions.executeWithoutResult(status -> {
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
            audit.record(loginEvent(binding, verified, clientIp));
        });
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
