package org.cagate.server.account;

import java.io.Serial;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The signed-in account, as kept in the session (so it must stay small and serializable). Controllers
 * take it with {@code @AuthenticationPrincipal CagateUser user}. Its name is the login name, which
 * Spring Session indexes, so an account's sessions can be found and revoked.
 *
 * <p>The scope checks here are the one rule for "an ORG_ADMIN is confined to their organisation":
 * a PLATFORM_ADMIN manages every organisation, an ORG_ADMIN only their own, a USER none.
 */
public record CagateUser(
        long accountId,
        String loginName,
        String displayName,
        Long organizationId,
        String organizationName,
        String regionCode,
        String regionName,
        Set<Role> roles)
        implements AuthenticatedPrincipal, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public CagateUser {
        Objects.requireNonNull(loginName, "loginName");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    @Override
    public String getName() {
        return loginName;
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }

    /** Whether this user may manage (create, change, see all of) the accounts of an organisation. */
    public boolean manages(Long organization) {
        if (isPlatformAdmin()) {
            return true;
        }
        return organization != null && hasRole(Role.ORG_ADMIN) && organization.equals(organizationId);
    }

    /** Whether this user may see the organisation's members and departments (any member may). */
    public boolean belongsToOrManages(Long organization) {
        return manages(organization) || (organization != null && organization.equals(organizationId));
    }

    /** @throws ApiException FORBIDDEN unless {@link #manages} */
    public void requireManages(Long organization) {
        if (!manages(organization)) {
            throw new ApiException(ProblemCode.FORBIDDEN);
        }
    }

    public List<GrantedAuthority> authorities() {
        return roles.stream()
                .sorted()
                .map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority()))
                .toList();
    }
}
