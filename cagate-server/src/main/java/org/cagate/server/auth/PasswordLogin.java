package org.cagate.server.auth;

import java.time.Clock;
import java.time.Duration;
import org.cagate.server.account.Account;
import org.cagate.server.account.AccountRepository;
import org.cagate.server.account.AccountRepository.Credentials;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.throttle.LoginThrottle;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Checks a login name and password, in the order that leaks least and costs an attacker most:
 *
 * <ol>
 *   <li>the per-IP rate limit (RATE_LIMITED), against one address trying many names;
 *   <li>the {@link LoginThrottle} of the name as typed (ACCOUNT_LOCKED with Retry-After while a counter
 *       says to wait), per name and address, and per name over its unusual addresses;
 *   <li>the password: one lookup and one bcrypt comparison whether or not the name exists (a dummy hash
 *       of the same cost for unknown names), so neither the answer (BAD_CREDENTIALS) nor its timing
 *       tells which names exist;
 *   <li>the account's status (ACCOUNT_DISABLED, only after the right password).
 * </ol>
 *
 * Every attempt is audited with its outcome.
 */
@Service
class PasswordLogin {

    private final AccountRepository accounts;
    private final PasswordEncoder encoder;
    private final RateLimiter rateLimiter;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final AuthProperties properties;
    private final Clock clock;
    private final String dummyHash;

    PasswordLogin(
            AccountRepository accounts,
            PasswordEncoder encoder,
            RateLimiter rateLimiter,
            LoginThrottle throttle,
            AuditLog audit,
            AuthProperties properties,
            Clock clock) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.rateLimiter = rateLimiter;
        this.throttle = throttle;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.dummyHash = encoder.encode("cagate-no-such-account-" + System.nanoTime());
    }

    /**
     * @return the account, ready for {@link SessionService#signIn}
     * @throws ApiException RATE_LIMITED, ACCOUNT_LOCKED, BAD_CREDENTIALS or ACCOUNT_DISABLED
     */
    Account login(String loginName, String password, String clientIp) {
        try {
            rateLimiter.acquire("password-ip:" + clientIp, properties.perIp());
        } catch (ApiException e) {
            refuse(null, loginName, clientIp, e);
        }
        LoginThrottle.Outcome outcome = throttle.begin(loginName, clientIp, properties.throttle());
        if (outcome instanceof LoginThrottle.Held held) {
            refuse(null, loginName, clientIp, locked(held.retryAfter()));
        }
        LoginThrottle.Attempt attempt = (LoginThrottle.Attempt) outcome;
        Credentials credentials = accounts.credentials(loginName).orElse(null);
        boolean right = encoder.matches(password, credentials == null ? dummyHash : credentials.passwordHash());
        if (credentials == null || !right) {
            refuse(credentials, loginName, clientIp, new ApiException(ProblemCode.BAD_CREDENTIALS));
        }
        throttle.succeeded(attempt);
        if (credentials.status() == AccountStatus.DISABLED) {
            refuse(credentials, loginName, clientIp, new ApiException(ProblemCode.ACCOUNT_DISABLED));
        }
        if (encoder.upgradeEncoding(credentials.passwordHash())) {
            accounts.setPassword(credentials.id(), encoder.encode(password), clock.instant());
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

    /** Forgets counters and usual addresses past their memory, so the tables stay small. */
    @Scheduled(fixedDelayString = "${cagate.throttle.cleanup-interval:PT10M}", initialDelayString = "PT1M")
    void removeForgotten() {
        throttle.removeForgotten(properties.failureMemory(), properties.usualAddressMemory());
    }

    private static ApiException locked(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return seconds < 60
                ? new ApiException(ProblemCode.ACCOUNT_LOCKED, "problem.ACCOUNT_LOCKED.seconds", retryAfter, seconds)
                : new ApiException(
                        ProblemCode.ACCOUNT_LOCKED, "problem.ACCOUNT_LOCKED.minutes", retryAfter, (seconds + 59) / 60);
    }

    private void refuse(Credentials credentials, String loginName, String clientIp, ApiException e) {
        Long id = credentials == null ? null : credentials.id();
        audit.record(AuditEvent.failure(AuditAction.PASSWORD_LOGIN, e.code().name())
                .actor(id, credentials == null ? null : credentials.displayName())
                .subject(id)
                .organization(credentials == null ? null : credentials.organizationId())
                .clientIp(clientIp)
                .detail("loginName=" + loginName)
                .build());
        throw e;
    }
}
