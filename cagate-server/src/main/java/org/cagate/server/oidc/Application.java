package org.cagate.server.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;

/**
 * An application registered with 平台运营 › 应用管理: a relying party of cagate's OpenID Provider and a
 * tile of 应用中心. Its OAuth client (redirect URIs, hashed secret) is the registered client with the
 * same {@code clientId}.
 *
 * @param regions the region codes whose users see it; empty: every region
 * @param roles the roles that see it (any of them); empty: every role
 */
public record Application(
        long id,
        String clientId,
        String name,
        String description,
        String iconUrl,
        String homeUrl,
        boolean caLoginRequired,
        List<String> regions,
        Set<Role> roles,
        boolean enabled,
        List<String> redirectUris,
        Instant createdAt,
        Instant updatedAt) {

    /** Whether the user may open it: enabled, their region among its regions, one of their roles among its roles. */
    public boolean visibleTo(CagateUser user) {
        if (!enabled || user == null) {
            return false;
        }
        if (!regions.isEmpty() && (user.regionCode() == null || !regions.contains(user.regionCode()))) {
            return false;
        }
        return roles.isEmpty() || roles.stream().anyMatch(user::hasRole);
    }
}
