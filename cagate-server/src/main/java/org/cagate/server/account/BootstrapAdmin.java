package org.cagate.server.account;

import java.time.Clock;
import java.util.EnumSet;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the configured platform operator at start-up when no account has that login name. An
 * existing account is never touched (its password is not reset from configuration). A missing or
 * weak password stops the start, since a platform without an operator cannot be set up.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final BootstrapProperties properties;
    private final AccountRepository accounts;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final Clock clock;

    BootstrapAdmin(
            BootstrapProperties properties,
            AccountRepository accounts,
            PasswordEncoder encoder,
            AuditLog audit,
            Clock clock) {
        this.properties = properties;
        this.accounts = accounts;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        String loginName = properties.loginName();
        if (loginName == null || loginName.isBlank()) {
            if (!accounts.anyPlatformAdmin()) {
                log.warn("No platform operator exists and cagate.bootstrap.admin.login-name is not set;"
                        + " set it and cagate.bootstrap.admin.password to create one.");
            }
            return;
        }
        if (accounts.findByLoginName(loginName).isPresent()) {
            return;
        }
        if (!loginName.matches(AccountController.LOGIN_NAME)) {
            throw new IllegalStateException(
                    "cagate.bootstrap.admin.login-name must match " + AccountController.LOGIN_NAME);
        }
        String weakness = PasswordPolicy.problem(loginName, properties.password());
        if (weakness != null) {
            throw new IllegalStateException(
                    "cagate.bootstrap.admin.password is missing or too weak (" + weakness
                            + "): use " + PasswordPolicy.MIN + "-" + PasswordPolicy.MAX
                            + " characters with three of lower case, upper case, digits and symbols, not containing the login name");
        }
        try {
            long id = accounts.insert(
                    loginName,
                    properties.displayNameOrDefault(),
                    encoder.encode(properties.password()),
                    null,
                    null,
                    EnumSet.of(Role.PLATFORM_ADMIN),
                    clock.instant());
            audit.record(AuditEvent.success(AuditAction.ACCOUNT_CREATED)
                    .subject(id)
                    .detail("bootstrap platform admin")
                    .build());
            log.info("Created the platform operator {}", loginName);
        } catch (DuplicateKeyException e) {
            // Another node created it at the same moment.
            log.info("The platform operator {} was created by another node", loginName);
        }
    }
}
