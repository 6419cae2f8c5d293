package org.cagate.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The browser-facing security headers of every answer, page or API, set before anything else runs so
 * redirects, problems and error pages carry them too:
 *
 * <ul>
 *   <li>Content-Security-Policy without inline script or style (the pages have none; tests enforce it),
 *       {@code frame-ancestors 'none'}, and {@code connect-src} for the local agent at
 *       {@code cagate.ca.agent-url} under both loopback names, since pages may be told either;
 *   <li>Referrer-Policy same-origin, X-Content-Type-Options nosniff, Cross-Origin-Opener-Policy,
 *       Permissions-Policy (no camera, microphone, geolocation, payment, USB);
 *   <li>Strict-Transport-Security on https requests: https as Tomcat sees it (X-Forwarded-Proto from a
 *       trusted proxy with {@code server.forward-headers-strategy=native}), or every request when
 *       {@code cagate.web.tls-terminated=true}. In that case the request also reports itself secure, so
 *       the session and XSRF-TOKEN cookies get {@code Secure} from Spring Session and Spring Security.
 * </ul>
 *
 * Spring Security's own header writer skips headers that are already set, so there is one value each.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5) // before Spring Session (+50) writes its cookie
class BrowserHardeningFilter extends OncePerRequestFilter {

    static final String DEFAULT_AGENT_URL = "http://127.0.0.1:21777";

    private final String contentSecurityPolicy;
    private final String strictTransportSecurity;
    private final boolean tlsTerminated;

    BrowserHardeningFilter(
            WebProperties properties, @Value("${cagate.ca.agent-url:" + DEFAULT_AGENT_URL + "}") String agentUrl) {
        this.contentSecurityPolicy = contentSecurityPolicy(agentUrl);
        this.strictTransportSecurity = "max-age=" + properties.hstsMaxAge().toSeconds() + "; includeSubDomains";
        this.tlsTerminated = properties.tlsTerminated();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest effective = tlsTerminated && !request.isSecure() ? new Secure(request) : request;
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        if (effective.isSecure()) {
            response.setHeader("Strict-Transport-Security", strictTransportSecurity);
        }
        chain.doFilter(effective, response);
    }

    static String contentSecurityPolicy(String agentUrl) {
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self' " + String.join(" ", agentOrigins(agentUrl)) + "; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    }

    /** The agent's origin, and the same port under the other loopback name (127.0.0.1 / localhost). */
    static Set<String> agentOrigins(String agentUrl) {
        URI uri = URI.create(agentUrl.trim());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        Set<String> origins = new LinkedHashSet<>();
        origins.add(scheme + "://" + host + port);
        if (host.equals("127.0.0.1")) {
            origins.add(scheme + "://localhost" + port);
        } else if (host.equals("localhost")) {
            origins.add(scheme + "://127.0.0.1" + port);
        }
        return origins;
    }

    /** A request whose TLS ended at a proxy that says nothing about it. */
    private static final class Secure extends HttpServletRequestWrapper {
        Secure(HttpServletRequest request) {
            super(request);
        }

        @Override
        public boolean isSecure() {
            return true;
        }
    }
}
