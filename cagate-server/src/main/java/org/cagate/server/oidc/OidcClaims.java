package org.cagate.server.oidc;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;

/**
 * The claims cagate asserts about a login (docs/operations.md "Claims"), the same in the ID token and
 * from userinfo: who ({@code sub} = the account id, {@code name}, {@code preferred_username} = 账户,
 * {@code organization}, {@code region}, {@code region_name}, {@code roles}), how ({@code amr} per RFC
 * 8176: {@code pwd} for a password, {@code hwk} + {@code pin} for the CA key with its PIN; {@code acr}:
 * {@link #ACR_PASSWORD} or {@link #ACR_CA}; {@code auth_time}), and for a CA login with which key
 * ({@code ca_provider}, {@code ca_key_id} = CA锁ID, {@code ca_cert_sha256} = hex SHA-256 of the certificate).
 * Access tokens carry the same (they are JWTs for the applications' own APIs).
 */
public final class OidcClaims {

    public static final String ACR_PASSWORD = "urn:cagate:acr:password";
    public static final String ACR_CA = "urn:cagate:acr:ca";

    private OidcClaims() {}

    /** The login an authorization was granted for, as stored with it. */
    static OidcLogin login(OAuth2Authorization authorization) {
        Authentication principal = authorization.getAttribute(Principal.class.getName());
        return principal != null && principal.getPrincipal() instanceof OidcLogin login ? login : null;
    }

    static Map<String, Object> of(OidcLogin login) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", String.valueOf(login.accountId()));
        claims.put("name", login.displayName());
        claims.put("preferred_username", login.loginName());
        if (login.organizationName() != null) {
            claims.put("organization", login.organizationName());
        }
        if (login.regionCode() != null) {
            claims.put("region", login.regionCode());
            claims.put("region_name", login.regionName());
        }
        // ArrayLists: the claims are stored with the tokens as JSON, whose reader allows only such types.
        List<String> roles = login.roles().isBlank()
                ? List.of()
                : Arrays.asList(login.roles().split(" "));
        claims.put("roles", new ArrayList<>(roles));
        claims.put("amr", new ArrayList<>(login.ca() ? List.of("hwk", "pin") : List.of("pwd")));
        claims.put("acr", login.ca() ? ACR_CA : ACR_PASSWORD);
        claims.put("auth_time", login.authTime());
        if (login.ca()) {
            claims.put("ca_provider", login.providerCode());
            claims.put("ca_key_id", login.keyId());
            claims.put("ca_cert_sha256", login.certificateSha256());
        }
        return claims;
    }

    /** Adds the login's claims to ID tokens and access tokens. */
    static void customize(JwtEncodingContext context) {
        if (!(context.getPrincipal().getPrincipal() instanceof OidcLogin login)) {
            return;
        }
        boolean idToken =
                OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        if (idToken || accessToken) {
            Map<String, Object> claims = of(login);
            // The ID token's auth_time is the authorization server's own (from the login's factor, the same instant).
            claims.remove("auth_time");
            claims.forEach((name, value) -> context.getClaims().claim(name, value));
        }
    }

    static OidcUserInfo userInfo(OAuth2Authorization authorization) {
        OidcLogin login = login(authorization);
        if (login == null) {
            throw new IllegalStateException("authorization without a cagate login");
        }
        return new OidcUserInfo(of(login));
    }
}
