package org.cagate.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.system.ClientIp;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * 应用管理's API (PLATFORM_ADMIN, by the core's rule on {@code /api/admin/**}): {@code GET, POST
 * /api/admin/applications}, {@code GET, PUT /api/admin/applications/{id}}, {@code POST
 * /api/admin/applications/{id}/secret} (a new secret, shown once), and {@code POST
 * /api/admin/oidc/keys/rotate} (a new token-signing key now).
 */
@RestController
class ApplicationController {

    static final org.cagate.server.audit.AuditAction SIGNING_KEY_ROTATED =
            org.cagate.server.audit.AuditAction.of("SIGNING_KEY_ROTATED");

    private final ApplicationService applications;
    private final SigningKeys keys;
    private final AuditLog audit;

    ApplicationController(ApplicationService applications, SigningKeys keys, AuditLog audit) {
        this.applications = applications;
        this.keys = keys;
        this.audit = audit;
    }

    @GetMapping("/api/admin/applications")
    List<ApplicationView> list() {
        return applications.all().stream()
                .map(app -> ApplicationView.of(app, null))
                .toList();
    }

    @GetMapping("/api/admin/applications/{id}")
    ApplicationView get(@PathVariable long id) {
        return ApplicationView.of(applications.get(id), null);
    }

    @PostMapping("/api/admin/applications")
    ResponseEntity<ApplicationView> create(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody ApplicationRequest body,
            HttpServletRequest request) {
        ApplicationService.Saved saved = applications.create(body, user, ClientIp.of(request));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApplicationView.of(saved.application(), saved.secret()));
    }

    @PutMapping("/api/admin/applications/{id}")
    ApplicationView update(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable long id,
            @Valid @RequestBody ApplicationRequest body,
            HttpServletRequest request) {
        return ApplicationView.of(
                applications.update(id, body, user, ClientIp.of(request)).application(), null);
    }

    @PostMapping("/api/admin/applications/{id}/secret")
    ApplicationView resetSecret(
            @AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        ApplicationService.Saved saved = applications.resetSecret(id, user, ClientIp.of(request));
        return ApplicationView.of(saved.application(), saved.secret());
    }

    @PostMapping("/api/admin/oidc/keys/rotate")
    Map<String, Object> rotate(@AuthenticationPrincipal CagateUser user, HttpServletRequest request) {
        SigningKeys.StoredKey key = keys.rotate();
        audit.record(AuditEvent.success(SIGNING_KEY_ROTATED)
                .actor(user.accountId(), user.displayName())
                .organization(user.organizationId())
                .clientIp(ClientIp.of(request))
                .detail("kid=" + key.kid() + " generation=" + key.generation())
                .build());
        return Map.of("kid", key.kid(), "generation", key.generation(), "createdAt", key.createdAt());
    }
}
