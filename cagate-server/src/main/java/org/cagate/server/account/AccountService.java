package org.cagate.server.account;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.organization.Department;
import org.cagate.server.organization.OrganizationRepository;
import org.cagate.server.throttle.LoginThrottle;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.ProblemCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Account administration with its scope rules: a PLATFORM_ADMIN manages every account; an
 * ORG_ADMIN only the accounts of their organisation and never grants or touches PLATFORM_ADMIN;
 * nobody disables, re-roles or unlocks themselves. Accounts outside the actor's scope answer
 * NOT_FOUND, so their existence is not revealed.
 */
@Service
public class AccountService {

    private final AccountRepository accounts;
    private final OrganizationRepository organizations;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final LoginThrottle loginThrottle;
    private final Clock clock;

    AccountService(
            AccountRepository accounts,
            OrganizationRepository organizations,
            PasswordEncoder encoder,
            AuditLog audit,
            LoginThrottle loginThrottle,
            Clock clock) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.encoder = encoder;
        this.audit = audit;
        this.loginThrottle = loginThrottle;
        this.clock = clock;
    }

    public record NewAccount(
            String loginName,
            String displayName,
            String password,
            Long organizationId,
            Long departmentId,
            Set<Role> roles) {}

    public record AccountChange(String displayName, Long departmentId, Set<Role> roles) {}

    public PageResult<Account> list(CagateUser actor, AccountRepository.Filter filter, PageQuery page) {
        Long organization = filter.organizationId();
        if (!actor.isPlatformAdmin()) {
            organization = organization == null ? actor.organizationId() : organization;
            actor.requireManages(organization);
        }
        return accounts.list(
                new AccountRepository.Filter(organization, filter.loginName(), filter.displayName()), page);
    }

    /** The account if the actor may manage it; NOT_FOUND otherwise. */
    public Account get(CagateUser actor, long id) {
        Account account = accounts.find(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        if (!actor.isPlatformAdmin()
                && (!actor.manages(account.organizationId()) || account.roles().contains(Role.PLATFORM_ADMIN))) {
            throw new ApiException(ProblemCode.NOT_FOUND);
        }
        return account;
    }

    @Transactional
    public Account create(CagateUser actor, NewAccount request, String clientIp) {
        Long organization = request.organizationId();
        if (organization == null && !actor.isPlatformAdmin()) {
            organization = actor.organizationId();
        }
        Set<Role> roles = roles(actor, request.roles(), organization);
        if (organization != null) {
            actor.requireManages(organization);
            organizations
                    .find(organization)
                    .orElseThrow(() -> ApiException.detail(ProblemCode.VALIDATION, "validation.organization.unknown"));
        }
        checkDepartment(request.departmentId(), organization);
        PasswordPolicy.check(request.loginName(), request.password());
        long id;
        try {
            id = accounts.insert(
                    request.loginName(),
                    request.displayName().trim(),
                    encoder.encode(request.password()),
                    organization,
                    request.departmentId(),
                    roles,
                    clock.instant());
        } catch (DuplicateKeyException e) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.loginName.taken");
        }
        Account account = accounts.find(id).orElseThrow();
        record(AuditAction.ACCOUNT_CREATED, actor, account, clientIp, "roles=" + Role.format(roles));
        return account;
    }

    @Transactional
    public Account update(CagateUser actor, long id, AccountChange change, String clientIp) {
        Account account = get(actor, id);
        Set<Role> roles = change.roles() == null || change.roles().isEmpty()
                ? account.roles()
                : roles(actor, change.roles(), account.organizationId());
        if (account.id() == actor.accountId() && !roles.equals(account.roles())) {
            throw ApiException.detail(ProblemCode.FORBIDDEN, "validation.self.roles");
        }
        checkDepartment(change.departmentId(), account.organizationId());
        accounts.update(id, change.displayName().trim(), change.departmentId(), roles, clock.instant());
        Account updated = accounts.find(id).orElseThrow();
        record(AuditAction.ACCOUNT_UPDATED, actor, updated, clientIp, "roles=" + Role.format(roles));
        return updated;
    }

    @Transactional
    public Account setStatus(CagateUser actor, long id, AccountStatus status, String clientIp) {
        Account account = get(actor, id);
        if (account.id() == actor.accountId()) {
            throw ApiException.detail(ProblemCode.FORBIDDEN, "validation.self.status");
        }
        accounts.setStatus(id, status, clock.instant());
        Account updated = accounts.find(id).orElseThrow();
        AuditAction action =
                status == AccountStatus.DISABLED ? AuditAction.ACCOUNT_DISABLED : AuditAction.ACCOUNT_ENABLED;
        record(action, actor, updated, clientIp, null);
        return updated;
    }

    /** The password-login counters of the account's login name (docs/operations.md, "Password guessing"). */
    public java.util.List<LoginThrottle.Entry> loginThrottle(CagateUser actor, long id) {
        return loginThrottle.entries(get(actor, id).loginName());
    }

    /** 解锁: forgets every password-login counter of the account's login name, from every address. */
    @Transactional
    public Account unlock(CagateUser actor, long id, String clientIp) {
        Account account = get(actor, id);
        int cleared = loginThrottle.clear(account.loginName());
        Account updated = accounts.find(id).orElseThrow();
        record(AuditAction.ACCOUNT_UNLOCKED, actor, updated, clientIp, "counters=" + cleared);
        return updated;
    }

    @Transactional
    public Account resetPassword(CagateUser actor, long id, String password, String clientIp) {
        Account account = get(actor, id);
        PasswordPolicy.check(account.loginName(), password);
        accounts.setPassword(id, encoder.encode(password), clock.instant());
        record(AuditAction.PASSWORD_RESET, actor, account, clientIp, null);
        return account;
    }

    @Transactional
    public Account changeOwnPassword(CagateUser actor, String current, String password, String clientIp) {
        if (!encoder.matches(current, accounts.passwordHash(actor.accountId()))) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.password.current");
        }
        PasswordPolicy.check(actor.loginName(), password);
        Instant now = clock.instant();
        accounts.setPassword(actor.accountId(), encoder.encode(password), now);
        Account account = accounts.find(actor.accountId()).orElseThrow();
        record(AuditAction.PASSWORD_CHANGED, actor, account, clientIp, null);
        return account;
    }

    @Transactional
    public Account updateOwnProfile(CagateUser actor, String displayName, String clientIp) {
        accounts.updateDisplayName(actor.accountId(), displayName.trim(), clock.instant());
        Account account = accounts.find(actor.accountId()).orElseThrow();
        record(AuditAction.PROFILE_UPDATED, actor, account, clientIp, null);
        return account;
    }

    /**
     * The roles an account gets: what was asked (USER when nothing was), plus USER for every member
     * of an organisation; only a PLATFORM_ADMIN grants PLATFORM_ADMIN; ORG_ADMIN and USER need an
     * organisation.
     */
    private static Set<Role> roles(CagateUser actor, Set<Role> requested, Long organization) {
        Set<Role> roles = requested == null || requested.isEmpty() ? EnumSet.of(Role.USER) : EnumSet.copyOf(requested);
        if (roles.contains(Role.PLATFORM_ADMIN) && !actor.isPlatformAdmin()) {
            throw ApiException.detail(ProblemCode.FORBIDDEN, "validation.roles.platformAdmin");
        }
        if (organization != null) {
            roles.add(Role.USER);
        } else if (roles.contains(Role.USER) || roles.contains(Role.ORG_ADMIN)) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.organization.required");
        }
        return roles;
    }

    private void checkDepartment(Long departmentId, Long organization) {
        if (departmentId == null) {
            return;
        }
        Department department = organizations.findDepartment(departmentId).orElse(null);
        if (department == null || organization == null || department.organizationId() != organization) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.department.unknown");
        }
    }

    private void record(AuditAction action, CagateUser actor, Account subject, String clientIp, String detail) {
        audit.record(AuditEvent.success(action)
                .actor(actor.accountId(), actor.displayName())
                .subject(subject.id())
                .organization(subject.organizationId())
                .clientIp(clientIp)
                .detail(detail)
                .build());
    }
}
