package org.cagate.server.auth;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.cagate.server.throttle.RateLimit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Password login settings ({@code cagate.auth.*}).
 *
 * @param maxFailures consecutive wrong passwords that lock an account
 * @param lockoutDuration how long a locked account stays locked
 * @param perAccountLimit password attempts per login name within {@code perAccountWindow}
 * @param perIpLimit password attempts per client IP within {@code perIpWindow}
 * @param bcryptStrength cost of new password hashes (log2 rounds); older hashes are upgraded at login
 */
@Validated
@ConfigurationProperties("cagate.auth")
public record AuthProperties(
        @DefaultValue("5") @Min(1) int maxFailures,
        @DefaultValue("15m") @NotNull Duration lockoutDuration,
        @DefaultValue("10") @Min(1) int perAccountLimit,
        @DefaultValue("5m") @NotNull Duration perAccountWindow,
        @DefaultValue("60") @Min(1) int perIpLimit,
        @DefaultValue("1m") @NotNull Duration perIpWindow,
        @DefaultValue("10") @Min(4) @Max(16) int bcryptStrength) {

    RateLimit perAccount() {
        return new RateLimit(perAccountLimit, perAccountWindow);
    }

    RateLimit perIp() {
        return new RateLimit(perIpLimit, perIpWindow);
    }
}
