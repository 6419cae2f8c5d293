package org.cagate.server.oidc;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenID Provider's settings ({@code cagate.oidc.*}, docs/operations.md "Applications (single
 * sign-on)").
 *
 * @param issuer the issuer URL ({@code iss}, discovery); empty means {@code cagate.public-origin}. Every
 *     node must name the same one
 * @param keyRotation how old the signing key may get before a node replaces it (checked every {@code
 *     keyCheck}); an operator can also rotate at once ({@code POST /api/admin/oidc/keys/rotate})
 * @param keyRetention how long a replaced key stays in the JWKS: longer than any token it signed lives
 * @param keyCheck how often each node looks whether the key is due
 * @param accessTokenTtl lifetime of access tokens (JWT) and ID tokens
 * @param refreshTokenTtl lifetime of refresh tokens (not reused: each refresh gives a new one)
 * @param authorizationCodeTtl lifetime of an authorization code
 */
@Validated
@ConfigurationProperties("cagate.oidc")
public record OidcProperties(
        @DefaultValue("") String issuer,
        @DefaultValue("P30D") @NotNull Duration keyRotation,
        @DefaultValue("P2D") @NotNull Duration keyRetention,
        @DefaultValue("PT1H") @NotNull Duration keyCheck,
        @DefaultValue("PT10M") @NotNull Duration accessTokenTtl,
        @DefaultValue("PT8H") @NotNull Duration refreshTokenTtl,
        @DefaultValue("PT2M") @NotNull Duration authorizationCodeTtl) {}
