package org.cagate.server.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One filter chain for pages and API. Sessions come from Spring Session (database); the security
 * context is saved explicitly by the login code. CSRF follows DESIGN: cookie XSRF-TOKEN (readable
 * by the page's JS), header X-XSRF-TOKEN on every unsafe method, the raw token (no BREACH masking:
 * the token never appears in a compressed HTML body). Unauthenticated API calls get a 401 problem,
 * pages a redirect to 登录.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfig {

    /**
     * No Spring Security observations (a timer and span around each filter of the chain, around
     * authentication and around authorization, on every request): nothing reads them, and every request
     * paid for them (see the CA-login benchmark in docs/benchmarks.md). The HTTP server metrics
     * ({@code http.server.requests}) stay.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookiePath("/");
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        return repository;
    }

    @Bean
    SecurityFilterChain filterChain(
            HttpSecurity http,
            CsrfTokenRepository csrfTokens,
            Problems problems,
            ObjectProvider<HttpAuthorization> featureRules)
            throws Exception {
        RequestMatcher api = request -> !ErrorPages.isPage(request);
        List<HttpAuthorization> contributed = featureRules.orderedStream().toList();
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                .authorizeHttpRequests(rules -> {
                    rules.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD)
                            .permitAll();
                    contributed.forEach(rule -> rule.configure(rules));
                    rules.requestMatchers(
                                    "/",
                                    "/login",
                                    "/css/**",
                                    "/js/**",
                                    "/img/**",
                                    "/favicon.ico",
                                    "/error",
                                    "/api/auth/**",
                                    "/actuator/health",
                                    "/actuator/health/**",
                                    "/actuator/info",
                                    "/v3/api-docs",
                                    "/v3/api-docs/**",
                                    "/swagger-ui.html",
                                    "/swagger-ui/**")
                            .permitAll()
                            .requestMatchers("/actuator/**")
                            .hasRole("PLATFORM_ADMIN")
                            .requestMatchers("/api/admin/accounts", "/api/admin/accounts/**")
                            .hasAnyRole("PLATFORM_ADMIN", "ORG_ADMIN")
                            .requestMatchers("/api/admin/**", "/system/platform/**")
                            .hasRole("PLATFORM_ADMIN")
                            .requestMatchers("/system/staff", "/system/staff/**")
                            .hasRole("ORG_ADMIN")
                            .requestMatchers(HttpMethod.POST, "/api/departments", "/api/departments/**")
                            .hasAnyRole("PLATFORM_ADMIN", "ORG_ADMIN")
                            .requestMatchers(HttpMethod.PUT, "/api/departments/**")
                            .hasAnyRole("PLATFORM_ADMIN", "ORG_ADMIN")
                            .requestMatchers(HttpMethod.DELETE, "/api/departments/**")
                            .hasAnyRole("PLATFORM_ADMIN", "ORG_ADMIN")
                            .anyRequest()
                            .authenticated();
                })
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(problemEntryPoint(problems), api)
                        .defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint("/login"), request -> true)
                        .accessDeniedHandler(accessDenied(problems)))
                // The JSON login and logout live in AuthController; no form login, basic auth or request cache.
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    private static AuthenticationEntryPoint problemEntryPoint(Problems problems) {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) ->
                problems.write(request, response, new ApiException(ProblemCode.UNAUTHENTICATED));
    }

    private static AccessDeniedHandler accessDenied(Problems problems) {
        return (request, response, e) -> {
            ApiException problem = e instanceof CsrfException
                    ? ApiException.detail(ProblemCode.FORBIDDEN, "problem.FORBIDDEN.csrf")
                    : new ApiException(ProblemCode.FORBIDDEN);
            if (ErrorPages.isPage(request)) {
                request.setAttribute(ErrorPages.PROBLEM_ATTRIBUTE, problems.problem(request, problem));
                sendError(response, 403);
            } else {
                problems.write(request, response, problem);
            }
        };
    }

    private static void sendError(HttpServletResponse response, int status) throws IOException {
        response.sendError(status);
    }
}
