package org.cagate.server.oidc;

import java.time.Clock;
import java.time.Duration;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes authorizations a day after the last of their tokens expired (the refresh token's, else the
 * access token's, else the unused code's), so {@code oauth2_authorization} holds what can still be used
 * plus a day of history (a code presented again within it is still recognised as reused). Any node may
 * run it; the DELETE is the same on each.
 */
@Component
class OidcHousekeeping {

    static final Duration KEEP = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final Clock clock;

    OidcHousekeeping(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${cagate.throttle.cleanup-interval:PT10M}", initialDelayString = "PT2M")
    int deleteExpired() {
        return jdbc.sql("""
                        DELETE FROM oauth2_authorization
                         WHERE COALESCE(refresh_token_expires_at, access_token_expires_at, authorization_code_expires_at) < :cutoff""")
                .param("cutoff", Timestamps.utc(clock.instant().minus(KEEP)))
                .update();
    }
}
