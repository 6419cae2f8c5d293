package org.cagate.server.challenge;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.cagate.server.throttle.RateLimit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Challenge settings ({@code cagate.ca.*}); every node should have the same.
 *
 * @param challengeTtl how long a challenge may be used after it was issued (at most 1 day)
 * @param challengePerIpLimit challenges one client IP may ask one node for within {@code
 *     challengePerIpWindow} (counted by each node in its memory)
 * @param challengeRetention how long spent nonces and the keys of expired challenges are kept after the
 *     challenges expire, so a late replay is answered CHALLENGE_USED or CHALLENGE_EXPIRED rather than
 *     CHALLENGE_UNKNOWN
 * @param challengeKeyRotation how long one MAC key seals challenges before the next one takes over
 */
@Validated
@ConfigurationProperties("cagate.ca")
public record ChallengeProperties(
        @DefaultValue("120s") @NotNull Duration challengeTtl,
        @DefaultValue("120") @Min(1) int challengePerIpLimit,
        @DefaultValue("1m") @NotNull Duration challengePerIpWindow,
        @DefaultValue("5m") @NotNull Duration challengeRetention,
        @DefaultValue("1d") @NotNull Duration challengeKeyRotation) {

    public ChallengeProperties {
        if (challengeTtl != null
                && (challengeTtl.isNegative()
                        || challengeTtl.isZero()
                        || challengeTtl.compareTo(Duration.ofDays(1)) > 0)) {
            throw new IllegalArgumentException("cagate.ca.challenge-ttl must be between 1 ms and 1 day");
        }
    }

    RateLimit perIp() {
        return new RateLimit(challengePerIpLimit, challengePerIpWindow);
    }
}
