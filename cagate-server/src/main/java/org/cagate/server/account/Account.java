package org.cagate.server.account;

import java.time.Instant;
import java.util.Set;

/**
 * An account with its organisation, region and department names, read in one query. The password
 * hash is deliberately not here: only the login reads it.
 */
public record Account(
        long id,
        String loginName,
        String displayName,
        Long organizationId,
        String organizationName,
        String regionCode,
        String regionName,
        Long departmentId,
        String departmentName,
        Set<Role> roles,
        AccountStatus status,
        int failedLogins,
        Instant lockedUntil,
        Instant createdAt) {

    public Account {
        roles = Set.copyOf(roles);
    }

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    /** The role names as the API spells them, comma-separated (for the edit dialog's data attribute). */
    public String roleCodes() {
        return Role.format(roles);
    }

    public CagateUser toUser() {
        return new CagateUser(
                id, loginName, displayName, organizationId, organizationName, regionCode, regionName, roles);
    }
}
