package org.cagate.server.auth;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.cagate.server.throttle.LoginThrottle;
import org.cagate.server.throttle.RateLimit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Password login settings ({@code cagate.auth.*}); docs/operations.md, "Password guessing", explains them.
 *
 * @param addressFailures wrong passwords for one login name from one client address before each further
 *     attempt from there waits
 * @param nameFailures wrong passwords for one login name from all addresses that are not its usual ones
 *     before each further attempt from such an address waits
 * @param firstDelay the first wait; it doubles with each further failure
 * @param maxDelay the longest wait
 * @param failureMemory failures are forgotten this long after the last one
 * @param usualAddressMemory an address from which the name signed in with its password stays "usual" this long
 * @param perIpLimit password attempts per client IP within {@code perIpWindow}, any login names (spraying)
 * @param bcryptStrength cost of new password hashes (log2 rounds); older hashes are upgraded at login
 */
@Validated
@ConfigurationProperties("cagate.auth")
public record AuthProperties(
        @DefaultValue("5") @Min(1) int addressFailures,
        @DefaultValue("50") @Min(1) int nameFailures,
        @DefaultValue("30s") @NotNull Duration firstDelay,
        @DefaultValue("15m") @NotNull Duration maxDelay,
        @DefaultValue("1h") @NotNull Duration failureMemory,
        @DefaultValue("90d") @NotNull Duration usualAddressMemory,
        @DefaultValue("60") @Min(1) int perIpLimit,
        @DefaultValue("1m") @NotNull Duration perIpWindow,
        @DefaultValue("10") @Min(4) @Max(16) int bcryptStrength) {

    LoginThrottle.Policy throttle() {
        return new LoginThrottle.Policy(
                addressFailures, nameFailures, firstDelay, maxDelay, failureMemory, usualAddressMemory);
    }

    RateLimit perIp() {
        return new RateLimit(perIpLimit, perIpWindow);
    }
}
