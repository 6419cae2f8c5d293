package org.cagate.server.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.cagate.server.auth.SessionService;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/me}: the signed-in account, its profile and its password. */
@RestController
@RequestMapping("/api/me")
class MeController {

    private final AccountRepository accounts;
    private final AccountService service;
    private final SessionService sessions;

    MeController(AccountRepository accounts, AccountService service, SessionService sessions) {
        this.accounts = accounts;
        this.service = service;
        this.sessions = sessions;
    }

    record ProfileRequest(@NotBlank @Size(max = 100) String displayName) {}

    record PasswordRequest(
            @NotNull @Size(max = 128) String currentPassword,
            @NotNull @Size(max = 128) String newPassword) {}

    @GetMapping
    AccountView me(@AuthenticationPrincipal CagateUser user) {
        // Read fresh: an operator may have changed the department or name since login.
        return AccountView.of(
                accounts.find(user.accountId()).orElseThrow(() -> new ApiException(ProblemCode.UNAUTHENTICATED)));
    }

    @PutMapping
    AccountView update(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody ProfileRequest body,
            HttpServletRequest request,
            HttpServletResponse response) {
        Account account = service.updateOwnProfile(user, body.displayName(), ClientIp.of(request));
        sessions.refresh(account.toUser(), request, response);
        return AccountView.of(account);
    }

    @PutMapping("/password")
    ResponseEntity<Void> password(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody PasswordRequest body,
            HttpServletRequest request) {
        service.changeOwnPassword(user, body.currentPassword(), body.newPassword(), ClientIp.of(request));
        // Sessions elsewhere (perhaps someone who knew the old password) end; this one goes on.
        sessions.revokeAll(user.loginName(), request.getSession().getId());
        return ResponseEntity.noContent().build();
    }
}
