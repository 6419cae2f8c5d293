package org.cagate.server.oidc;

import java.time.Clock;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.system.CagateProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * cagate as the platform's OpenID Provider (Spring Authorization Server): discovery, JWKS, the
 * authorization code flow with PKCE (required for every application), refresh tokens, userinfo and
 * RP-initiated logout, in a filter chain of its own ahead of cagate's ({@code web.SecurityConfig}),
 * matching only the authorization server's endpoints. Everything a node needs is in the database: the
 * applications' clients, the authorizations (codes, tokens) and consents (Spring Authorization Server's JDBC
 * services, tables of V40), and the signing keys ({@link SigningKeys}), so a code issued by one node is
 * redeemed on another.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfig {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerFilterChain(
            HttpSecurity http,
            ApplicationService applications,
            AuditLog audit,
            OAuth2AuthorizationService authorizations)
            throws Exception {
        AuthorizeRequests authorize = new AuthorizeRequests(applications);
        OidcAudit audited = new OidcAudit(audit, authorizations);
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.clientAuthentication(client -> client.errorResponseHandler(audited::clientRefused))
                    .authorizationEndpoint(endpoint -> endpoint.authorizationResponseHandler(audited::authorized)
                            .errorResponseHandler(audited::authorizeRefused))
                    .tokenEndpoint(endpoint -> endpoint.accessTokenResponseHandler(audited::tokenIssued)
                            .errorResponseHandler(audited::tokenRefused))
                    .oidc(oidc -> oidc.userInfoEndpoint(userInfo ->
                            userInfo.userInfoMapper(context -> OidcClaims.userInfo(context.getAuthorization()))));
        });
        http.authorizeHttpRequests(rules -> rules.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        authorize.loginEntryPoint(),
                        request -> AuthorizeRequests.ENDPOINT.equals(request.getRequestURI())))
                .addFilterAfter(authorize, SecurityContextHolderFilter.class)
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /**
     * The sessions the OpenID Provider tracks for its ID tokens' {@code sid} and RP-initiated logout: Spring
     * Session's own (the database, by principal name), so every node sees them and nothing piles up in memory
     * (the authorization server would otherwise keep an in-memory registry per node).
     */
    @Bean
    SessionRegistry oidcSessionRegistry(FindByIndexNameSessionRepository<? extends Session> sessions) {
        return new SpringSessionBackedSessionRegistry<>(sessions);
    }

    /** Every node names the same issuer: {@code cagate.oidc.issuer}, or else the platform's public origin. */
    @Bean
    AuthorizationServerSettings authorizationServerSettings(OidcProperties properties, CagateProperties cagate) {
        String issuer = properties.issuer().isBlank() ? cagate.publicOrigin() : properties.issuer();
        return AuthorizationServerSettings.builder().issuer(stripSlash(issuer)).build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcOperations jdbc) {
        return new JdbcRegisteredClientRepository(jdbc);
    }

    /**
     * The authorizations with their principal, {@link OidcLogin}, as JSON: Spring Security's Jackson
     * modules allow only their own types, so it is added to the allowed ones.
     */
    @Bean
    OAuth2AuthorizationService authorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
        JsonMapper json = JsonMapper.builder()
                .addModules(SecurityJacksonModules.getModules(
                        AuthorizationServerConfig.class.getClassLoader(),
                        BasicPolymorphicTypeValidator.builder().allowIfSubType(OidcLogin.class)))
                .build();
        JdbcOAuth2AuthorizationService service = new JdbcOAuth2AuthorizationService(jdbc, clients);
        service.setAuthorizationRowMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, json));
        service.setAuthorizationParametersMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
        return service;
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(
            JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    /** ID tokens and access tokens (JWT, signed by the database's signing key, with the login's claims); refresh tokens. */
    @Bean
    OAuth2TokenGenerator<?> tokenGenerator(SigningKeys keys, Clock clock) {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(keys);
        // The JWKS lists the signing key first, then the retired ones kept for verification.
        encoder.setJwkSelector(candidates -> candidates.get(0));
        JwtGenerator jwt = new JwtGenerator(encoder);
        jwt.setJwtCustomizer(OidcClaims::customize);
        jwt.setClock(clock);
        OAuth2RefreshTokenGenerator refresh = new OAuth2RefreshTokenGenerator();
        refresh.setClock(clock);
        return new DelegatingOAuth2TokenGenerator(jwt, refresh);
    }

    /** Access tokens presented to userinfo: signed by one of the published keys, this issuer, unexpired by the platform's clock. */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, AuthorizationServerSettings settings, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        decoder.setJwtValidator(
                new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(settings.getIssuer())));
        return decoder;
    }

    private static String stripSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
