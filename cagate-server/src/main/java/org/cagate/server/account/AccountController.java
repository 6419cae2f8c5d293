package org.cagate.server.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cagate.server.auth.SessionService;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/accounts}: platform operators for every account, organisation admins for the
 * accounts of their organisation. The roles are checked by the URL rules of the security
 * configuration, the scope by {@link AccountService}.
 */
@RestController
@RequestMapping("/api/admin/accounts")
class AccountController {

    static final String LOGIN_NAME = "[A-Za-z0-9][A-Za-z0-9_.@-]{2,63}";

    private final AccountService service;
    private final SessionService sessions;

    AccountController(AccountService service, SessionService sessions) {
        this.service = service;
        this.sessions = sessions;
    }

    record CreateRequest(
            @NotBlank @Pattern(regexp = LOGIN_NAME) String loginName,
            @NotBlank @Size(max = 100) String displayName,
            @NotNull @Size(max = 128) String password,
            Long organizationId,
            Long departmentId,
            Set<Role> roles) {}

    record UpdateRequest(@NotBlank @Size(max = 100) String displayName, Long departmentId, Set<Role> roles) {}

    record PasswordRequest(@NotNull @Size(max = 128) String password) {}

    @GetMapping
    PageResult<AccountView> list(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(required = false) Long organizationId,
            @RequestParam(required = false) String loginName,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return service.list(
                        user, new AccountRepository.Filter(organizationId, loginName, name), PageQuery.of(page, size))
                .map(AccountView::of);
    }

    @GetMapping("/{id}")
    AccountView get(@AuthenticationPrincipal CagateUser user, @PathVariable long id) {
        return AccountView.of(service.get(user, id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    AccountView create(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody CreateRequest body,
            HttpServletRequest request) {
        var created = service.create(
                user,
                new AccountService.NewAccount(
                        body.loginName(),
                        body.displayName(),
                        body.password(),
                        body.organizationId(),
                        body.departmentId(),
                        body.roles()),
                ClientIp.of(request));
        return AccountView.of(created);
    }

    @PutMapping("/{id}")
    AccountView update(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable long id,
            @Valid @RequestBody UpdateRequest body,
            HttpServletRequest request) {
        Account before = service.get(user, id);
        Account after = service.update(
                user,
                id,
                new AccountService.AccountChange(body.displayName(), body.departmentId(), body.roles()),
                ClientIp.of(request));
        if (!after.roles().equals(before.roles())) {
            // New roles take effect at once: the account signs in again.
            sessions.revokeAll(after.loginName(), null);
        }
        return AccountView.of(after);
    }

    @PostMapping("/{id}/disable")
    AccountView disable(@AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        Account account = service.setStatus(user, id, AccountStatus.DISABLED, ClientIp.of(request));
        sessions.revokeAll(account.loginName(), null);
        return AccountView.of(account);
    }

    @PostMapping("/{id}/enable")
    AccountView enable(@AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        return AccountView.of(service.setStatus(user, id, AccountStatus.ACTIVE, ClientIp.of(request)));
    }

    /** A login counter as the operator sees it; {@code clientIp} "*" is the name's count over unusual addresses. */
    record ThrottleView(
            String clientIp, boolean everyAddress, int failures, Instant lastFailure, Instant blockedUntil) {}

    /** The password-login counters of the account's login name: who is being held back, until when. */
    @GetMapping("/{id}/login-throttle")
    Map<String, Object> loginThrottle(@AuthenticationPrincipal CagateUser user, @PathVariable long id) {
        Account account = service.get(user, id);
        List<ThrottleView> counters = service.loginThrottle(user, id).stream()
                .map(e -> new ThrottleView(
                        e.clientIp(), e.everyAddress(), e.failures(), e.lastFailure(), e.blockedUntil()))
                .toList();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("loginName", account.loginName());
        view.put("lockedUntil", account.lockedUntil());
        view.put("counters", counters);
        return view;
    }

    @PostMapping("/{id}/unlock")
    AccountView unlock(@AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        return AccountView.of(service.unlock(user, id, ClientIp.of(request)));
    }

    @PutMapping("/{id}/password")
    AccountView resetPassword(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable long id,
            @Valid @RequestBody PasswordRequest body,
            HttpServletRequest request) {
        Account account = service.resetPassword(user, id, body.password(), ClientIp.of(request));
        sessions.revokeAll(account.loginName(), null);
        return AccountView.of(account);
    }
}
