package org.cagate.server.login;

import java.time.Instant;
import org.cagate.pki.Challenge;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.account.AccountView;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.binding.BindingRepository;
import org.cagate.server.binding.BindingRepository.LoginBinding;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.challenge.CaVerifier;
import org.cagate.server.challenge.ChallengeService;
import org.cagate.server.challenge.ConsumedChallenge;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CA login (seed §3): the steps of DESIGN "Flows" on the server side, each failure its DESIGN
 * code, every attempt audited. The database sees, per successful login: the per-IP counter, the
 * challenge consumed (one UPDATE returning the row), the per-key counter, the binding with its account
 * (one query), the audit row and, in the controller, the new session. Provider policies come from the
 * node's cache and verification from cagate-pki's caches.
 */
@Service
class CaLogin {

    private final ChallengeService challenges;
    private final CaProviderRegistry providers;
    private final CaVerifier verifier;
    private final BindingRepository bindings;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final CaLoginProperties properties;

    CaLogin(
            ChallengeService challenges,
            CaProviderRegistry providers,
            CaVerifier verifier,
            BindingRepository bindings,
            RateLimiter rateLimiter,
            AuditLog audit,
            TransactionTemplate transactions,
            CaLoginProperties properties) {
        this.challenges = challenges;
        this.providers = providers;
        this.verifier = verifier;
        this.bindings = bindings;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** The account now signed in, for the session and for the answer. */
    record Success(CagateUser user, AccountView account) {}

    /**
     * @param origin the request's Origin header, or null
     * @throws ApiException RATE_LIMITED, CHALLENGE_*, ORIGIN_MISMATCH, PROVIDER_*, the certificate and
     *     signature codes, CA_NOT_BOUND, ACCOUNT_DISABLED or REGION_CA_DISABLED
     */
    Success login(SignedAssertion assertion, String clientIp, String origin) {
        Attempt attempt = new Attempt();
        try {
            // 1. Not too many attempts from this address (before any work).
            rateLimiter.acquire("ca-login-ip:" + clientIp, properties.perIp());
            // 2. The challenge is known and unused; it is spent now, whatever follows.
            ConsumedChallenge challenge = challenges.consume(assertion.challengeId());
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
            // 6. Not too many logins with this key.
            rateLimiter.acquire("ca-login-key:" + provider.code() + ":" + attempt.keyId, properties.perKey());
            // 7. The key is bound to an account ...
            LoginBinding binding = bindings.forLogin(provider.code(), attempt.keyId)
                    .orElseThrow(() -> new ApiException(ProblemCode.CA_NOT_BOUND));
            attempt.account = binding;
            // 8. ... that is active, whose region still has CA business open and still offers the provider.
            if (binding.status() != AccountStatus.ACTIVE) {
                throw new ApiException(ProblemCode.ACCOUNT_DISABLED);
            }
            if (binding.regionCode() == null || !binding.regionCaEnabled()) {
                throw new ApiException(ProblemCode.REGION_CA_DISABLED);
            }
            if (!provider.usableIn(binding.regionCode())) {
                throw new ApiException(ProblemCode.PROVIDER_DISABLED);
            }
            succeed(binding, verified, clientIp);
            return new Success(user(binding), view(binding));
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

    /**
     * Audits the login; a renewed certificate on the bound key (same key id, another certificate, not
     * older than the stored one) also refreshes the binding's details, audited CERT_RENEWED, in one
     * transaction with the login's record.
     */
    private void succeed(LoginBinding binding, VerifiedAssertion verified, String clientIp) {
        AuditEvent login = AuditEvent.success(AuditAction.CA_LOGIN)
                .actor(binding.accountId(), binding.displayName())
                .subject(binding.accountId())
                .organization(binding.organizationId())
                .provider(verified.providerCode())
                .keyId(verified.keyId().value())
                .clientIp(clientIp)
                .detail("format=" + verified.format() + " algorithm=" + verified.algorithm() + " revocation="
                        + verified.revocation().outcome())
                .build();
        Instant storedNotAfter = binding.certificateNotAfter();
        boolean renewed = !verified.details().sha256().equals(binding.certificateSha256())
                && !verified.details().notAfter().isBefore(storedNotAfter);
        if (!renewed) {
            audit.record(login);
            return;
        }
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
            audit.record(login);
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
