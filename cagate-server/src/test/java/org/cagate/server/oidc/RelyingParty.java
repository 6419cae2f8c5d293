package org.cagate.server.oidc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cagate.server.testing.ApiClient;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A relying party built from Spring Security's OAuth2 client, as an application's oauth2Login uses it
 * minus the servlet filter: the authorization request with PKCE and a nonce, the code redeemed with
 * client_secret_basic ({@link RestClientAuthorizationCodeTokenResponseClient}), the ID token checked
 * against the provider's JWKS and the issuer, audience, nonce and times ({@link
 * OidcAuthorizationCodeAuthenticationProvider}), and userinfo read ({@link OidcUserService}). The
 * endpoints are those of the node the test talks to (the issuer, which the ID token must name, is the
 * platform's public origin).
 */
final class RelyingParty {

    static final String REDIRECT_URI = "https://rp.example.test/login/oauth2/code/cagate";

    final ClientRegistration registration;
    private final Clock clock;

    RelyingParty(int port, String issuer, String clientId, String secret, Clock clock) {
        String base = "http://127.0.0.1:" + port;
        this.registration = ClientRegistration.withRegistrationId("cagate")
                .clientId(clientId)
                .clientSecret(secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(REDIRECT_URI)
                .scope("openid", "profile")
                .authorizationUri(base + "/oauth2/authorize")
                .tokenUri(base + "/oauth2/token")
                .jwkSetUri(base + "/oauth2/jwks")
                .userInfoUri(base + "/userinfo")
                .userNameAttributeName("sub")
                .issuerUri(issuer)
                .build();
        this.clock = clock;
    }

    /** A new authorization request (PKCE S256, nonce, state). */
    OAuth2AuthorizationRequest request(Map<String, Object> extra) {
        String nonce = UUID.randomUUID().toString();
        OAuth2AuthorizationRequest.Builder builder = OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri(registration.getProviderDetails().getAuthorizationUri())
                .clientId(registration.getClientId())
                .redirectUri(registration.getRedirectUri())
                .scopes(registration.getScopes())
                .state(UUID.randomUUID().toString())
                .attributes(attributes -> {
                    attributes.put(OAuth2ParameterNames.REGISTRATION_ID, registration.getRegistrationId());
                    attributes.put(OidcParameterNames.NONCE, nonce);
                })
                .additionalParameters(parameters -> {
                    parameters.put(OidcParameterNames.NONCE, sha256(nonce));
                    parameters.putAll(extra);
                });
        OAuth2AuthorizationRequestCustomizers.withPkce().accept(builder);
        return builder.build();
    }

    /** The request's path and query on the node (for a browser client). */
    static String path(OAuth2AuthorizationRequest request) {
        URI uri = URI.create(request.getAuthorizationRequestUri());
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** The browser's GET of the request: the node's answer (a redirect to the application, or to 登录). */
    static ApiClient.Response authorize(ApiClient browser, OAuth2AuthorizationRequest request) {
        return browser.get(path(request));
    }

    /** The code in the redirect to the application, after checking the state came back. */
    static String code(ApiClient.Response redirect, OAuth2AuthorizationRequest request) {
        if (redirect.status() != 302 || !redirect.header("Location").startsWith(REDIRECT_URI + "?")) {
            throw new AssertionError("no redirect to the application: " + redirect + " " + redirect.header("Location"));
        }
        Map<String, List<String>> query = UriComponentsBuilder.fromUriString(redirect.header("Location"))
                .build()
                .getQueryParams();
        if (!request.getState().equals(query.get("state").get(0))) {
            throw new AssertionError("state lost");
        }
        return query.get("code").get(0);
    }

    /** What the application's oauth2Login does with the code: redeem, verify, userinfo. */
    OidcUser login(OAuth2AuthorizationRequest request, String code) {
        return (OidcUser) loginToken(request, code).getPrincipal();
    }

    /** {@link #login}, with the tokens. */
    OAuth2LoginAuthenticationToken loginToken(OAuth2AuthorizationRequest request, String code) {
        OidcAuthorizationCodeAuthenticationProvider provider = new OidcAuthorizationCodeAuthenticationProvider(
                new RestClientAuthorizationCodeTokenResponseClient(), new OidcUserService());
        OidcIdTokenDecoderFactory decoders = new OidcIdTokenDecoderFactory();
        decoders.setJwtValidatorFactory(reg -> {
            OidcIdTokenValidator idToken = new OidcIdTokenValidator(reg);
            idToken.setClock(clock);
            JwtTimestampValidator times = new JwtTimestampValidator();
            times.setClock(clock);
            return new DelegatingOAuth2TokenValidator<>(times, idToken);
        });
        provider.setJwtDecoderFactory(decoders);
        OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success(code)
                .redirectUri(request.getRedirectUri())
                .state(request.getState())
                .build();
        return (OAuth2LoginAuthenticationToken) provider.authenticate(
                new OAuth2LoginAuthenticationToken(registration, new OAuth2AuthorizationExchange(request, response)));
    }

    /** The whole flow for a signed-in browser. */
    OidcUser signIn(ApiClient browser, Map<String, Object> extra) {
        OAuth2AuthorizationRequest request = request(extra);
        return login(request, code(authorize(browser, request), request));
    }

    /** The refresh grant, as Spring Security's OAuth2 client refreshes an authorized client. */
    OAuth2AccessTokenResponse refresh(OAuth2LoginAuthenticationToken login) {
        return new RestClientRefreshTokenTokenResponseClient()
                .getTokenResponse(new OAuth2RefreshTokenGrantRequest(
                        registration, login.getAccessToken(), login.getRefreshToken()));
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> none() {
        return new HashMap<>();
    }
}
