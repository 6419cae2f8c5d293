package org.cagate.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.system.ClientIp;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Audits the authorization server's two ceremonies, by application and account: {@code OIDC_AUTHORIZE}
 * (a code issued to an application for an account, or the request refused) and {@code OIDC_TOKEN}
 * (tokens issued at the token endpoint for a code or a refresh token, or refused). The responses are
 * Spring Authorization Server's own (the handlers it would use, wrapped).
 */
class OidcAudit {

    static final AuditAction OIDC_AUTHORIZE = AuditAction.of("OIDC_AUTHORIZE");
    static final AuditAction OIDC_TOKEN = AuditAction.of("OIDC_TOKEN");

    private final AuditLog audit;
    private final OAuth2AuthorizationService authorizations;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();
    private final AuthenticationSuccessHandler tokenResponse =
            new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final AuthenticationFailureHandler tokenError = new OAuth2ErrorAuthenticationFailureHandler();
    private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

    OidcAudit(AuditLog audit, OAuth2AuthorizationService authorizations) {
        this.audit = audit;
        this.authorizations = authorizations;
    }

    /** The code issued: audited, then the redirect to the application (as the endpoint filter sends it). */
    void authorized(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OAuth2AuthorizationCodeRequestAuthenticationToken code =
                (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
        OidcLogin login = code.getPrincipal() instanceof Authentication principal
                        && principal.getPrincipal() instanceof OidcLogin l
                ? l
                : null;
        audit.record(event(AuditEvent.success(OIDC_AUTHORIZE), login, code.getClientId(), request)
                .detail(detail(code.getClientId(), login, "scopes=" + String.join(" ", code.getScopes())))
                .build());
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(code.getRedirectUri())
                .queryParam(
                        OAuth2ParameterNames.CODE, code.getAuthorizationCode().getTokenValue());
        if (StringUtils.hasText(code.getState())) {
            uri.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(code.getState(), StandardCharsets.UTF_8));
        }
        redirects.sendRedirect(request, response, uri.build(true).toUriString());
    }

    /** The request refused: audited with its OAuth error, then the error to the application or, without a valid redirect URI, 400. */
    void authorizeRefused(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2AuthorizationCodeRequestAuthenticationException e =
                (OAuth2AuthorizationCodeRequestAuthenticationException) exception;
        OAuth2Error error = e.getError();
        OAuth2AuthorizationCodeRequestAuthenticationToken code = e.getAuthorizationCodeRequestAuthentication();
        String clientId = code == null ? request.getParameter("client_id") : code.getClientId();
        OidcLogin login = code != null
                        && code.getPrincipal() instanceof Authentication principal
                        && principal.getPrincipal() instanceof OidcLogin l
                ? l
                : null;
        audit.record(
                event(AuditEvent.failure(OIDC_AUTHORIZE, error.getErrorCode().toUpperCase()), login, clientId, request)
                        .detail(detail(clientId, login, "error=" + error.getErrorCode()))
                        .build());
        if (code == null || !StringUtils.hasText(code.getRedirectUri())) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(code.getRedirectUri())
                .queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
        if (StringUtils.hasText(error.getDescription())) {
            uri.queryParam(
                    OAuth2ParameterNames.ERROR_DESCRIPTION,
                    UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(code.getState())) {
            uri.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(code.getState(), StandardCharsets.UTF_8));
        }
        redirects.sendRedirect(request, response, uri.build(true).toUriString());
    }

    void tokenIssued(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, jakarta.servlet.ServletException {
        OAuth2AccessTokenAuthenticationToken tokens = (OAuth2AccessTokenAuthenticationToken) authentication;
        OAuth2Authorization authorization =
                authorizations.findByToken(tokens.getAccessToken().getTokenValue(), OAuth2TokenType.ACCESS_TOKEN);
        OidcLogin login = authorization == null ? null : OidcClaims.login(authorization);
        String clientId = tokens.getRegisteredClient().getClientId();
        audit.record(event(AuditEvent.success(OIDC_TOKEN), login, clientId, request)
                .detail(detail(
                        clientId,
                        login,
                        "grant=" + request.getParameter(OAuth2ParameterNames.GRANT_TYPE) + " refreshToken="
                                + (tokens.getRefreshToken() != null)))
                .build());
        tokenResponse.onAuthenticationSuccess(request, response, authentication);
    }

    void tokenRefused(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException, jakarta.servlet.ServletException {
        String code = exception instanceof OAuth2AuthenticationException e
                ? e.getError().getErrorCode()
                : "server_error";
        String clientId = clientId(request);
        audit.record(event(AuditEvent.failure(OIDC_TOKEN, code.toUpperCase()), null, clientId, request)
                .detail(detail(
                        clientId,
                        null,
                        "grant=" + request.getParameter(OAuth2ParameterNames.GRANT_TYPE) + " error=" + code))
                .build());
        tokenError.onAuthenticationFailure(request, response, exception);
    }

    /**
     * A client that did not authenticate (an unknown client id, a wrong secret) at the token endpoint: the
     * token handlers above never see it, so it is audited here, with the client id it claimed (cut to 64
     * printable characters: anyone can send one), and then answered as the authorization server's client
     * authentication does (401 for invalid_client, else 400, the OAuth2 error as JSON).
     */
    void clientRefused(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException e
                ? e.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
        String claimed = printable(clientId(request));
        audit.record(event(AuditEvent.failure(OIDC_TOKEN, error.getErrorCode().toUpperCase()), null, claimed, request)
                .detail(detail(
                        claimed,
                        null,
                        "grant=" + printable(request.getParameter(OAuth2ParameterNames.GRANT_TYPE)) + " error="
                                + error.getErrorCode() + " endpoint=" + request.getRequestURI()))
                .build());
        SecurityContextHolder.clearContext();
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        http.setStatusCode(
                OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())
                        ? HttpStatus.UNAUTHORIZED
                        : HttpStatus.BAD_REQUEST);
        errors.write(error, null, http);
    }

    private static String printable(String value) {
        if (value == null) {
            return null;
        }
        String kept = value.codePoints()
                .filter(c -> c >= 0x21 && c < 0x7f)
                .limit(64)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return kept.length() < value.length() ? kept + "…" : kept;
    }

    /**
     * The client of a token request: the token endpoint is reached only after the client authenticated,
     * with client_secret_basic (its id in the Authorization header) or client_secret_post (client_id).
     */
    private static String clientId(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    return URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }

    private static AuditEvent.Builder event(
            AuditEvent.Builder builder, OidcLogin login, String clientId, HttpServletRequest request) {
        if (login != null) {
            builder.actor(login.accountId(), login.displayName())
                    .subject(login.accountId())
                    .organization(login.organizationId());
            if (login.ca()) {
                builder.provider(login.providerCode()).keyId(login.keyId());
            }
        }
        return builder.clientIp(ClientIp.of(request));
    }

    private static String detail(String clientId, OidcLogin login, String more) {
        return "application=" + clientId + (login == null ? "" : " login=" + login.method()) + " " + more;
    }
}
