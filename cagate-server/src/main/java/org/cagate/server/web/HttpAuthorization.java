package org.cagate.server.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * URL rules a feature contributes as a bean, applied before the core's own rules (first match
 * wins), so a feature opens or restricts its paths without editing the security configuration:
 *
 * <pre>{@code @Bean HttpAuthorization caPublicPaths() {
 *     return rules -> rules.requestMatchers(HttpMethod.GET, "/api/ca/providers").permitAll();
 * }}</pre>
 *
 * The core's rules: pages and the API need a signed-in user; {@code /api/admin/accounts/**} needs
 * PLATFORM_ADMIN or ORG_ADMIN; the rest of {@code /api/admin/**} and {@code /system/platform/**} need
 * PLATFORM_ADMIN.
 */
@FunctionalInterface
public interface HttpAuthorization {

    void configure(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules);
}
