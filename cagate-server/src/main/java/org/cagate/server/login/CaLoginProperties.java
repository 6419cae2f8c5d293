package org.cagate.server.login;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.cagate.server.throttle.RateLimit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CA login settings ({@code cagate.ca.login.*}).
 *
 * @param perIpLimit CA login attempts per client IP within {@code perIpWindow} (all nodes together)
 * @param perKeyLimit CA logins per key (provider and key id) within {@code perKeyWindow}
 */
@Validated
@ConfigurationProperties("cagate.ca.login")
public record CaLoginProperties(
        @DefaultValue("120") @Min(1) int perIpLimit,
        @DefaultValue("1m") @NotNull Duration perIpWindow,
        @DefaultValue("10") @Min(1) int perKeyLimit,
        @DefaultValue("1m") @NotNull Duration perKeyWindow) {

    RateLimit perIp() {
        return new RateLimit(perIpLimit, perIpWindow);
    }

    RateLimit perKey() {
        return new RateLimit(perKeyLimit, perKeyWindow);
    }
}
