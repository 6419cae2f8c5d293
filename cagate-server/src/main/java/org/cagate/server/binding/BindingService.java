package org.cagate.server.binding;

import java.time.Clock;
import org.cagate.pki.Challenge;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.server.account.Account;
import org.cagate.server.account.AccountRepository;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.challenge.CaVerifier;
import org.cagate.server.challenge.ChallengeService;
import org.cagate.server.challenge.SealedChallenge;
import org.cagate.server.region.Region;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.ProblemCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Binds, lists and unbinds keys, enforcing DESIGN "Rules": a user binds only to themselves, an
 * ORG_ADMIN to accounts of their organisation; the account's region has CA business open; the
 * provider is enabled and offered there; the assertion proves the key (cagate-pki); one key binds at
 * most one account, which the database's unique index decides, so of two concurrent binds of one key
 * exactly one wins. Every bind, refusal and unbind is audited; refusals outside the failed transaction.
 */
@Service
class BindingService {

    private final BindingRepository bindings;
    private final AccountRepository accounts;
    private final RegionRepository regions;
    private final CaProviderRegistry providers;
    private final ChallengeService challenges;
    private final CaVerifier verifier;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    BindingService(
            BindingRepository bindings,
            AccountRepository accounts,
            RegionRepository regions,
            CaProviderRegistry providers,
            ChallengeService challenges,
            CaVerifier verifier,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock) {
        this.bindings = bindings;
        this.accounts = accounts;
        this.regions = regions;
        this.providers = providers;
        this.challenges = challenges;
        this.verifier = verifier;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Who asked, from where: the audit's actor, IP and the request's Origin header (may be null). */
    record Caller(CagateUser user, String clientIp, String origin) {}

    /**
     * The steps in order; the challenge is spent first, so any refusal after it still uses it up.
     *
     * @throws ApiException the DESIGN code of the first rule that fails
     */
    Binding bind(Caller caller, BindRequest request) {
        CagateUser actor = caller.user();
        Attempt attempt = new Attempt(request.accountId());
        try {
            // 1. The challenge is one of ours (its seal checks) and unused; its nonce is spent now.
            SealedChallenge challenge = challenges.consume(request.challengeId());
            attempt.provider = challenge.providerCode();
            // 2. Unexpired, issued for BIND to this signed-in account, for this platform's origin.
            challenges.check(challenge, Challenge.Purpose.BIND, actor.accountId(), caller.origin());
            // 3. The actor may bind for the account: themselves, or (ORG_ADMIN) one of their organisation.
            Account target = target(actor, request.accountId());
            attempt.organization = target.organizationId();
            // 4. The account's region has CA business open.
            Region region = target.regionCode() == null
                    ? null
                    : regions.find(target.regionCode()).orElse(null);
            if (region == null || !region.caEnabled()) {
                throw new ApiException(ProblemCode.REGION_CA_DISABLED);
            }
            // 5. The challenge's provider exists, is enabled and is offered in that region.
            CaProvider provider = providers
                    .find(challenge.providerCode())
                    .orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
            if (!provider.usableIn(region.code())) {
                throw new ApiException(ProblemCode.PROVIDER_DISABLED);
            }
            // 6. The assertion proves the key: signature over the challenge, trusted, valid, fit, not revoked.
            VerifiedAssertion verified = verifier.verify(request.assertion(), challenge, provider);
            attempt.keyId = verified.keyId().value();
            // 7. The key is not bound yet (the unique index decides), and the binding is recorded.
            return store(caller, target, verified);
        } catch (ApiException e) {
            audit.record(AuditEvent.failure(AuditAction.BIND, e.code().name())
                    .actor(actor.accountId(), actor.displayName())
                    .subject(attempt.subject)
                    .organization(attempt.organization)
                    .provider(attempt.provider)
                    .keyId(attempt.keyId)
                    .clientIp(caller.clientIp())
                    .build());
            throw e;
        }
    }

    private Binding store(Caller caller, Account target, VerifiedAssertion verified) {
        CagateUser actor = caller.user();
        String keyId = verified.keyId().value();
        try {
            return transactions.execute(status -> {
                long id = bindings.insert(new BindingRepository.NewBinding(
                        target.id(),
                        target.organizationId(),
                        verified.providerCode(),
                        keyId,
                        verified.tokenSerial(),
                        verified.details(),
                        actor.accountId(),
                        clock.instant()));
                audit.record(AuditEvent.success(AuditAction.BIND)
                        .actor(actor.accountId(), actor.displayName())
                        .subject(target.id())
                        .organization(target.organizationId())
                        .provider(verified.providerCode())
                        .keyId(keyId)
                        .clientIp(caller.clientIp())
                        .detail(describe(verified))
                        .build());
                return bindings.find(id).orElseThrow();
            });
        } catch (DuplicateKeyException e) {
            boolean same = bindings.activeAccount(verified.providerCode(), keyId)
                    .map(account -> account == target.id())
                    .orElse(false);
            throw same
                    ? ApiException.detail(ProblemCode.CA_ALREADY_BOUND, "problem.CA_ALREADY_BOUND.same")
                    : new ApiException(ProblemCode.CA_ALREADY_BOUND);
        }
    }

    /**
     * The account to bind to, if the actor may: themselves; any account of an organisation they manage
     * (ORG_ADMIN: their own; PLATFORM_ADMIN: all), except platform operators for an ORG_ADMIN. A
     * colleague named by a USER is FORBIDDEN; an account they cannot see is NOT_FOUND.
     */
    private Account target(CagateUser actor, long accountId) {
        Account account = accounts.find(accountId).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        boolean self = account.id() == actor.accountId();
        boolean managed = actor.isPlatformAdmin()
                || (actor.manages(account.organizationId()) && !account.roles().contains(Role.PLATFORM_ADMIN));
        if (!self && !managed) {
            boolean colleague =
                    account.organizationId() != null && account.organizationId().equals(actor.organizationId());
            throw new ApiException(colleague ? ProblemCode.FORBIDDEN : ProblemCode.NOT_FOUND);
        }
        if (account.status() == AccountStatus.DISABLED) {
            throw new ApiException(ProblemCode.ACCOUNT_DISABLED);
        }
        return account;
    }

    /** Ends a binding the actor can see (their own; an ORG_ADMIN their organisation's), keeping it as history. */
    void unbind(Caller caller, long id) {
        CagateUser actor = caller.user();
        Binding found = bindings.find(id).orElse(null);
        Binding binding = found != null && found.active() && visible(actor, found) ? found : null;
        try {
            if (binding == null) {
                throw new ApiException(ProblemCode.NOT_FOUND);
            }
            Boolean done = transactions.execute(status -> {
                if (!bindings.unbind(id, actor.accountId(), clock.instant())) {
                    return false; // unbound meanwhile by someone else
                }
                audit.record(AuditEvent.success(AuditAction.UNBIND)
                        .actor(actor.accountId(), actor.displayName())
                        .subject(binding.accountId())
                        .organization(binding.organizationId())
                        .provider(binding.providerCode())
                        .keyId(binding.keyId())
                        .clientIp(caller.clientIp())
                        .detail("binding=" + id)
                        .build());
                return true;
            });
            if (!Boolean.TRUE.equals(done)) {
                throw new ApiException(ProblemCode.NOT_FOUND);
            }
        } catch (ApiException e) {
            audit.record(AuditEvent.failure(AuditAction.UNBIND, e.code().name())
                    .actor(actor.accountId(), actor.displayName())
                    .subject(found == null ? null : found.accountId())
                    .organization(found == null ? null : found.organizationId())
                    .provider(found == null ? null : found.providerCode())
                    .keyId(found == null ? null : found.keyId())
                    .clientIp(caller.clientIp())
                    .detail("binding=" + id)
                    .build());
            throw e;
        }
    }

    /**
     * The bindings the actor may see, filtered: a USER their own, an ORG_ADMIN their organisation's
     * (another organisation named is FORBIDDEN), a PLATFORM_ADMIN all or one organisation's.
     */
    PageResult<Binding> list(
            CagateUser actor, Long organizationId, String loginName, String displayName, PageQuery page) {
        BindingRepository.Filter filter;
        if (actor.isPlatformAdmin()) {
            filter = new BindingRepository.Filter(organizationId, null, loginName, displayName);
        } else if (actor.hasRole(Role.ORG_ADMIN) && actor.organizationId() != null) {
            if (organizationId != null && !organizationId.equals(actor.organizationId())) {
                throw new ApiException(ProblemCode.FORBIDDEN);
            }
            filter = new BindingRepository.Filter(actor.organizationId(), null, loginName, displayName);
        } else {
            if (organizationId != null && !organizationId.equals(actor.organizationId())) {
                throw new ApiException(ProblemCode.FORBIDDEN);
            }
            filter = new BindingRepository.Filter(null, actor.accountId(), loginName, displayName);
        }
        return bindings.list(filter, page);
    }

    private static boolean visible(CagateUser actor, Binding binding) {
        return binding.accountId() == actor.accountId() || actor.manages(binding.organizationId());
    }

    private static String describe(VerifiedAssertion v) {
        return "format=" + v.format() + " algorithm=" + v.algorithm() + " certificate="
                + v.details().sha256()
                + " revocation=" + v.revocation().outcome()
                + (v.tokenSerial() == null ? "" : " tokenSerial=" + v.tokenSerial());
    }

    /** What the audit can say about an attempt so far. */
    private static final class Attempt {
        private final Long subject;
        private Long organization;
        private String provider;
        private String keyId;

        Attempt(Long subject) {
            this.subject = subject;
        }
    }
}
