package org.cagate.server.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 应用管理: registers applications (an OAuth client of the authorization server plus its 应用中心 tile),
 * changes them and replaces their secrets; every change audited. A client secret is random (32 bytes),
 * returned once and stored only as its bcrypt hash (the platform's {@link PasswordEncoder}).
 */
@Service
public class ApplicationService {

    static final AuditAction APPLICATION_CREATED = AuditAction.of("APPLICATION_CREATED");
    static final AuditAction APPLICATION_UPDATED = AuditAction.of("APPLICATION_UPDATED");
    static final AuditAction APPLICATION_SECRET_RESET = AuditAction.of("APPLICATION_SECRET_RESET");

    /** The created or changed application, and its new secret (null when unchanged). */
    record Saved(Application application, String secret) {}

    private final ApplicationRepository applications;
    private final RegisteredClientRepository clients;
    private final RegionRepository regions;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final OidcProperties properties;

    ApplicationService(
            ApplicationRepository applications,
            RegisteredClientRepository clients,
            RegionRepository regions,
            PasswordEncoder passwords,
            AuditLog audit,
            Clock clock,
            SecureRandom random,
            OidcProperties properties) {
        this.applications = applications;
        this.clients = clients;
        this.regions = regions;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.properties = properties;
    }

    public List<Application> all() {
        return applications.all();
    }

    public java.util.Optional<Application> findByClientId(String clientId) {
        return clientId == null ? java.util.Optional.empty() : applications.findByClientId(clientId);
    }

    /** The applications the user may open, for 应用中心. */
    public List<Application> visibleTo(CagateUser user) {
        return applications.all().stream().filter(app -> app.visibleTo(user)).toList();
    }

    Application get(long id) {
        return applications.find(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
    }

    @Transactional
    Saved create(ApplicationRequest request, CagateUser operator, String clientIp) {
        check(request);
        Instant now = clock.instant();
        String clientId = "app-" + HexFormat.of().formatHex(bytes(8));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        clients.save(client(UUID.randomUUID().toString(), clientId, passwords.encode(secret), request, now));
        Application draft = application(0, clientId, request, true, now);
        long id = applications.insert(draft, now);
        Application app = get(id);
        audit.record(event(APPLICATION_CREATED, app, operator, clientIp));
        return new Saved(app, secret);
    }

    @Transactional
    Saved update(long id, ApplicationRequest request, CagateUser operator, String clientIp) {
        check(request);
        Application existing = get(id);
        RegisteredClient client = clients.findByClientId(existing.clientId());
        Instant now = clock.instant();
        clients.save(client(client.getId(), client.getClientId(), client.getClientSecret(), request, now));
        applications.update(application(id, existing.clientId(), request, existing.enabled(), now), now);
        Application app = get(id);
        // A disabled application signs nobody in any more: not with a new code, and not with the refresh
        // and access tokens it already holds (the token endpoint and userinfo find no authorization).
        int revoked = app.enabled() ? 0 : applications.revokeAuthorizations(client.getId());
        audit.record(event(APPLICATION_UPDATED, app, operator, clientIp, revoked));
        return new Saved(app, null);
    }

    @Transactional
    Saved resetSecret(long id, CagateUser operator, String clientIp) {
        Application app = get(id);
        RegisteredClient client = clients.findByClientId(app.clientId());
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        clients.save(RegisteredClient.from(client)
                .clientSecret(passwords.encode(secret))
                .build());
        audit.record(event(APPLICATION_SECRET_RESET, app, operator, clientIp));
        return new Saved(app, secret);
    }

    private RegisteredClient client(
            String id, String clientId, String secretHash, ApplicationRequest request, Instant now) {
        return RegisteredClient.withId(id)
                .clientId(clientId)
                .clientIdIssuedAt(now)
                .clientSecret(secretHash)
                .clientName(request.name())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(request.redirectUris()))
                .postLogoutRedirectUri(request.homeUrl())
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .authorizationCodeTimeToLive(properties.authorizationCodeTtl())
                        .accessTokenTimeToLive(properties.accessTokenTtl())
                        .refreshTokenTimeToLive(properties.refreshTokenTtl())
                        .reuseRefreshTokens(false)
                        .build())
                .build();
    }

    private static Application application(
            long id, String clientId, ApplicationRequest r, boolean enabledDefault, Instant now) {
        Set<Role> roles = r.roles() == null || r.roles().isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(r.roles()));
        return new Application(
                id,
                clientId,
                r.name().trim(),
                r.description() == null ? "" : r.description().trim(),
                blankToNull(r.iconUrl()),
                r.homeUrl().trim(),
                r.caLoginRequired(),
                r.regions() == null
                        ? List.of()
                        : r.regions().stream().distinct().toList(),
                roles,
                r.enabled() == null ? enabledDefault : r.enabled(),
                r.redirectUris(),
                now,
                now);
    }

    private void check(ApplicationRequest r) {
        for (String uri : r.redirectUris()) {
            if (!redirectUri(uri)) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.application.redirectUri");
            }
        }
        if (!webUrl(r.homeUrl()) || (blankToNull(r.iconUrl()) != null && !webUrl(r.iconUrl()))) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.application.url");
        }
        if (r.regions() != null) {
            for (String region : r.regions()) {
                if (regions.find(region).isEmpty()) {
                    throw ApiException.detail(ProblemCode.VALIDATION, "validation.application.region");
                }
            }
        }
    }

    /** https, or http on this machine (localhost, 127.0.0.1) for development; absolute, no fragment, no comma. */
    static boolean redirectUri(String value) {
        URI uri = parse(value);
        if (uri == null || uri.getFragment() != null || value.contains(",") || uri.getUserInfo() != null) {
            return false;
        }
        return "https".equals(uri.getScheme())
                || ("http".equals(uri.getScheme())
                        && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())));
    }

    private static boolean webUrl(String value) {
        URI uri = parse(value);
        return uri != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
    }

    private static URI parse(String value) {
        try {
            URI uri = new URI(value.trim());
            return uri.isAbsolute() && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static AuditEvent event(AuditAction action, Application app, CagateUser operator, String clientIp) {
        return event(action, app, operator, clientIp, 0);
    }

    private static AuditEvent event(
            AuditAction action, Application app, CagateUser operator, String clientIp, int revoked) {
        return AuditEvent.success(action)
                .actor(operator.accountId(), operator.displayName())
                .organization(operator.organizationId())
                .clientIp(clientIp)
                .detail("application=" + app.clientId() + " name=" + app.name() + " redirectUris="
                        + String.join(" ", app.redirectUris()) + " caLoginRequired=" + app.caLoginRequired()
                        + " regions=" + String.join(" ", app.regions()) + " roles="
                        + String.join(
                                " ",
                                app.roles().stream().sorted().map(Enum::name).toList()) + " enabled="
                        + app.enabled() + (revoked > 0 ? " authorizationsRevoked=" + revoked : ""))
                .build();
    }
}
