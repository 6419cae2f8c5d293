package org.cagate.server.challenge;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.cagate.server.throttle.RateLimit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Challenge settings ({@code cagate.ca.*}).
 *
 * @param challengeTtl how long a challenge may be used after it was issued
 * @param challengePerIpLimit challenges one client IP may ask for within {@code challengePerIpWindow}
 *     (all nodes together); with the TTL this bounds the table
 * @param challengeRetention how long used and expired challenges are kept after they expire, so a late
 *     replay is answered CHALLENGE_USED or CHALLENGE_EXPIRED rather than CHALLENGE_UNKNOWN
 */
@Validated
@ConfigurationProperties("cagate.ca")
public record ChallengeProperties(
        @DefaultValue("120s") @NotNull Duration challengeTtl,
        @DefaultValue("120") @Min(1) int challengePerIpLimit,
        @DefaultValue("1m") @NotNull Duration challengePerIpWindow,
        @DefaultValue("5m") @NotNull Duration challengeRetention) {

    RateLimit perIp() {
        return new RateLimit(challengePerIpLimit, challengePerIpWindow);
    }
}
