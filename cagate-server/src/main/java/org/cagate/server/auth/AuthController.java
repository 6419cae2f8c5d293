package org.cagate.server.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.Map;
import org.cagate.server.account.Account;
import org.cagate.server.account.AccountView;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.system.ClientIp;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The session API of the wire contract: CSRF token, password login, logout. */
@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final PasswordLogin passwordLogin;
    private final SessionService sessions;
    private final AuditLog audit;
    private final Clock clock;

    AuthController(PasswordLogin passwordLogin, SessionService sessions, AuditLog audit, Clock clock) {
        this.passwordLogin = passwordLogin;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    record PasswordRequest(
            @NotBlank @Size(max = 64) String loginName,
            @NotBlank @Size(max = 128) String password) {}

    /** The token to echo in {@code headerName} on unsafe requests; the same value is in the XSRF-TOKEN cookie. */
    @GetMapping("/csrf")
    Map<String, String> csrf(CsrfToken token) {
        return Map.of("token", token.getToken(), "headerName", token.getHeaderName());
    }

    @PostMapping("/password")
    Map<String, AccountView> password(
            @Valid @RequestBody PasswordRequest body, HttpServletRequest request, HttpServletResponse response) {
        Account account = passwordLogin.login(body.loginName(), body.password(), ClientIp.of(request));
        sessions.signIn(account.toUser(), LoginMethod.password(clock.instant()), request, response);
        return Map.of("account", AccountView.of(account));
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout(
            @AuthenticationPrincipal CagateUser user, HttpServletRequest request, HttpServletResponse response) {
        if (user != null) {
            audit.record(AuditEvent.success(AuditAction.LOGOUT)
                    .actor(user.accountId(), user.displayName())
                    .subject(user.accountId())
                    .organization(user.organizationId())
                    .clientIp(ClientIp.of(request))
                    .build());
        }
        sessions.signOut(request, response);
        return ResponseEntity.noContent().build();
    }
}
