package org.cagate.server.oidc;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cagate.server.account.CagateUser;
import org.cagate.server.auth.LoginMethod;
import org.cagate.server.auth.SessionService;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What cagate adds to the authorization endpoint ({@code /oauth2/authorize}), in the authorization
 * server's filter chain before its endpoint filter:
 *
 * <ul>
 *   <li>not signed in: the 登录 page, which returns here after the login ({@link #loginEntryPoint}); the
 *       CA 登录 tab when the application asks for a CA login;
 *   <li>step-up: signed in with a password while the application requires a CA login (its setting or
 *       {@code acr_values} naming {@link OidcClaims#ACR_CA}): the CA 登录 tab, then back here;
 *   <li>an application the user may not see (its regions and roles): 403;
 *   <li>otherwise the request goes on with the principal the authorization is granted to: {@link
 *       OidcLogin}, the account and how it logged in, made from the session's {@link CagateUser} and
 *       {@link LoginMethod} for this request only (the session keeps its own).
 * </ul>
 *
 * An unknown client, or a redirect URI that is not registered, goes on to the endpoint filter, which
 * refuses it.
 */
class AuthorizeRequests extends OncePerRequestFilter {

    static final String ENDPOINT = "/oauth2/authorize";

    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final ApplicationService applications;

    AuthorizeRequests(ApplicationService applications) {
        this.applications = applications;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ENDPOINT.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SecurityContext original = holder.getContext();
        Authentication authentication = original.getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof CagateUser user)) {
            chain.doFilter(request, response);
            return;
        }
        LoginMethod method = SessionService.loginMethod(request);
        Optional<Application> app = applications.findByClientId(request.getParameter("client_id"));
        if (app.isPresent() && !app.get().visibleTo(user)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        boolean ca = requiresCa(request, app);
        if (method == null || (ca && !method.isCa())) {
            // A session that does not say how it logged in (made before cagate recorded it) logs in again.
            response.sendRedirect(loginUrl(request, ca ? "ca" : "password"));
            return;
        }
        // The login's factor, with its time: the authorization server's auth_time.
        List<GrantedAuthority> authorities = new ArrayList<>(user.authorities());
        authorities.add(FactorGrantedAuthority.withAuthority(
                        method.isCa()
                                ? FactorGrantedAuthority.X509_AUTHORITY
                                : FactorGrantedAuthority.PASSWORD_AUTHORITY)
                .issuedAt(method.at())
                .build());
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(OidcLogin.of(user, method), null, authorities));
        holder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            holder.setContext(original);
        }
    }

    private static boolean requiresCa(HttpServletRequest request, Optional<Application> app) {
        if (app.isPresent() && app.get().caLoginRequired()) {
            return true;
        }
        String acrValues = request.getParameter("acr_values");
        return acrValues != null
                && Arrays.asList(acrValues.trim().split("\\s+")).contains(OidcClaims.ACR_CA);
    }

    /** Not signed in: the 登录 page (its CA 登录 tab when the application asks for a CA login), then back. */
    AuthenticationEntryPoint loginEntryPoint() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) ->
                response.sendRedirect(loginUrl(
                        request,
                        requiresCa(request, applications.findByClientId(request.getParameter("client_id")))
                                ? "ca"
                                : null));
    }

    /** 登录 with the tab given first (null: the page's first), coming back to this request after the login. */
    private static String loginUrl(HttpServletRequest request, String tab) {
        String back = ENDPOINT + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        return request.getContextPath() + "/login?" + (tab == null ? "" : "tab=" + tab + "&") + "continue="
                + URLEncoder.encode(back, StandardCharsets.UTF_8);
    }
}
