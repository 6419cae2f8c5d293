package org.cagate.server.oidc;

import java.time.Instant;
import java.util.List;

/**
 * An application as the admin API shows it; {@code clientSecret} only in the answer that made it (when the
 * application is created or its secret replaced): it is stored hashed and cannot be shown again.
 */
record ApplicationView(
        long id,
        String clientId,
        String clientSecret,
        String name,
        String description,
        String iconUrl,
        String homeUrl,
        List<String> redirectUris,
        boolean caLoginRequired,
        List<String> regions,
        List<String> roles,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    static ApplicationView of(Application app, String secret) {
        return new ApplicationView(
                app.id(),
                app.clientId(),
                secret,
                app.name(),
                app.description(),
                app.iconUrl(),
                app.homeUrl(),
                app.redirectUris(),
                app.caLoginRequired(),
                app.regions(),
                app.roles().stream().sorted().map(Enum::name).toList(),
                app.enabled(),
                app.createdAt(),
                app.updatedAt());
    }
}
