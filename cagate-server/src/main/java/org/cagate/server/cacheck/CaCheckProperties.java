package org.cagate.server.cacheck;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.cagate.server.throttle.RateLimit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CA 检测 settings ({@code cagate.ca.check.*}). Both checks are open to anyone, so both are limited per
 * client IP (all nodes together); the PIN-signed check also per key, like the CA login.
 *
 * @param certificatePerIpLimit certificate checks (no PIN) one client IP may ask for per window
 * @param perIpLimit PIN-signed checks one client IP may post per window
 * @param perKeyLimit PIN-signed checks of one key (provider + key id) per window
 */
@Validated
@ConfigurationProperties("cagate.ca.check")
public record CaCheckProperties(
        @DefaultValue("120") @Min(1) int certificatePerIpLimit,
        @DefaultValue("1m") @NotNull Duration certificatePerIpWindow,
        @DefaultValue("60") @Min(1) int perIpLimit,
        @DefaultValue("1m") @NotNull Duration perIpWindow,
        @DefaultValue("10") @Min(1) int perKeyLimit,
        @DefaultValue("1m") @NotNull Duration perKeyWindow) {

    RateLimit certificatePerIp() {
        return new RateLimit(certificatePerIpLimit, certificatePerIpWindow);
    }

    RateLimit perIp() {
        return new RateLimit(perIpLimit, perIpWindow);
    }

    RateLimit perKey() {
        return new RateLimit(perKeyLimit, perKeyWindow);
    }
}
