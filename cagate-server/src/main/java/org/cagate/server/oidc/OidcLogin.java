package org.cagate.server.oidc;

import java.io.Serial;
import java.io.Serializable;
import java.security.Principal;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.auth.LoginMethod;

/**
 * The principal an authorization is granted to, as the authorization server stores it with the
 * authorization (JSON, in {@code oauth2_authorization.attributes}) and reads it back on any node when
 * the code is redeemed or the token refreshed: the account and how it logged in, at the moment of the
 * authorization request, in plain fields. The ID token's and userinfo's claims come from it.
 *
 * @param roles the account's roles, space-separated
 * @param method {@code PASSWORD} or {@code CA}
 * @param authTime when the user logged in, epoch seconds
 */
public record OidcLogin(
        long accountId,
        String loginName,
        String displayName,
        Long organizationId,
        String organizationName,
        String regionCode,
        String regionName,
        String roles,
        String method,
        long authTime,
        String providerCode,
        String keyId,
        String certificateSha256)
        implements Principal, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static OidcLogin of(CagateUser user, LoginMethod login) {
        return new OidcLogin(
                user.accountId(),
                user.loginName(),
                user.displayName(),
                user.organizationId(),
                user.organizationName(),
                user.regionCode(),
                user.regionName(),
                String.join(" ", user.roles().stream().sorted().map(Role::name).toList()),
                login.kind().name(),
                login.at().getEpochSecond(),
                login.providerCode(),
                login.keyId(),
                login.certificateSha256());
    }

    @Override
    public String getName() {
        return loginName;
    }

    boolean ca() {
        return LoginMethod.Kind.CA.name().equals(method);
    }
}
