package org.cagate.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.cagate.server.account.Account;
import org.cagate.server.account.AccountRepository;
import org.cagate.server.account.AccountRepository.Credentials;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Checks a login name and password, in the order that leaks least and costs an attacker most:
 * rate limits first (per IP, per login name), then the password (a hash comparison even for unknown
 * names, so timing does not tell which names exist), then lock and status. Every attempt is audited
 * with its outcome.
 */
@Service
class PasswordLogin {

    private final AccountRepository accounts;
    private final PasswordEncoder encoder;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final AuthProperties properties;
    private final Clock clock;
    private final String dummyHash;

    PasswordLogin(
            AccountRepository accounts,
            PasswordEncoder encoder,
            RateLimiter rateLimiter,
            AuditLog audit,
            AuthProperties properties,
            Clock clock) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.dummyHash = encoder.encode("cagate-no-such-account-" + System.nanoTime());
    }

    /**
     * @return the account, ready for {@link SessionService#signIn}
     * @throws ApiException RATE_LIMITED, BAD_CREDENTIALS, ACCOUNT_LOCKED or ACCOUNT_DISABLED
     */
    Account login(String loginName, String password, String clientIp) {
        try {
            rateLimiter.acquire("password-ip:" + clientIp, properties.perIp());
            rateLimiter.acquire("password-account:" + loginName, properties.perAccount());
        } catch (ApiException e) {
            refuse(null, loginName, clientIp, e);
        }
        Credentials credentials = accounts.credentials(loginName).orElse(null);
        if (credentials == null) {
            encoder.matches(password, dummyHash);
            refuse(null, loginName, clientIp, new ApiException(ProblemCode.BAD_CREDENTIALS));
        }
        Instant now = clock.instant();
        if (credentials.lockedUntil() != null && credentials.lockedUntil().isAfter(now)) {
            refuse(credentials.id(), loginName, clientIp, locked(credentials.lockedUntil(), now));
        }
        if (!encoder.matches(password, credentials.passwordHash())) {
            Instant until = now.plus(properties.lockoutDuration());
            boolean nowLocked = accounts.recordFailure(credentials.id(), properties.maxFailures(), until);
            refuse(
                    credentials.id(),
                    loginName,
                    clientIp,
                    nowLocked ? locked(until, now) : new ApiException(ProblemCode.BAD_CREDENTIALS));
        }
        if (credentials.status() == AccountStatus.DISABLED) {
            refuse(credentials.id(), loginName, clientIp, new ApiException(ProblemCode.ACCOUNT_DISABLED));
        }
        accounts.clearFailures(credentials.id());
        if (encoder.upgradeEncoding(credentials.passwordHash())) {
            accounts.setPassword(credentials.id(), encoder.encode(password), now);
        }
        Account account = accounts.find(credentials.id()).orElseThrow();
        audit.record(AuditEvent.success(AuditAction.PASSWORD_LOGIN)
                .actor(account.id(), account.displayName())
                .subject(account.id())
                .organization(account.organizationId())
                .clientIp(clientIp)
                .build());
        return account;
    }

    private static ApiException locked(Instant until, Instant now) {
        long minutes = Math.max(1, (Duration.between(now, until).toSeconds() + 59) / 60);
        return new ApiException(
                ProblemCode.ACCOUNT_LOCKED, "problem.ACCOUNT_LOCKED.minutes", Duration.between(now, until), minutes);
    }

    private void refuse(Long accountId, String loginName, String clientIp, ApiException e) {
        Account account = accountId == null ? null : accounts.find(accountId).orElse(null);
        audit.record(AuditEvent.failure(AuditAction.PASSWORD_LOGIN, e.code().name())
                .actor(accountId, account == null ? null : account.displayName())
                .subject(accountId)
                .organization(account == null ? null : account.organizationId())
                .clientIp(clientIp)
                .detail("loginName=" + loginName)
                .build());
        throw e;
    }
}
