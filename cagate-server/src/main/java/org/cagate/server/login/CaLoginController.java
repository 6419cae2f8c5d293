package org.cagate.server.login;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.List;
import org.cagate.server.account.AccountView;
import org.cagate.server.auth.SessionService;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.LoginTab;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ca/login} (assertion → 200 {@code {account, redirect}} and a new session), and the
 * 登录 page's CA 登录 tab.
 */
@RestController
class CaLoginController {

    /** Where the page goes after a CA login: 应用中心. */
    static final String REDIRECT = "/apps";

    private final CaLogin login;
    private final SessionService sessions;

    CaLoginController(CaLogin login, SessionService sessions) {
        this.login = login;
        this.sessions = sessions;
    }

    record LoginAnswer(AccountView account, String redirect) {}

    @Bean
    static HttpAuthorization caLoginPublic() {
        return rules -> rules.requestMatchers(HttpMethod.POST, "/api/ca/login").permitAll();
    }

    @Bean
    static LoginTab caLoginTab() {
        return new LoginTab("ca", "CA 登录", "login/ca-tab", 20, List.of("/js/ca-login.js"));
    }

    @PostMapping("/api/ca/login")
    LoginAnswer login(
            @Valid @RequestBody SignedAssertion body, HttpServletRequest request, HttpServletResponse response) {
        CaLogin.Success success =
                login.login(body, ClientIp.of(request), request.getHeader(HttpHeaders.ORIGIN), signedIn -> {});
        sessions.signIn(success.user(), success.method(), request, response);
        return new LoginAnswer(success.account(), REDIRECT);
    }
}
