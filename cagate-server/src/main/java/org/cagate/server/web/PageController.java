package org.cagate.server.web;

import java.util.Comparator;
import java.util.List;
import org.cagate.server.account.CagateUser;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The pages every user passes through: 登录, 应用中心, and the way into 系统管理. */
@Controller
class PageController {

    private final Menu menu;
    private final List<LoginTab> loginTabs;

    PageController(Menu menu, List<LoginTab> loginTabs) {
        this.menu = menu;
        this.loginTabs = loginTabs.stream()
                .sorted(Comparator.comparingInt(LoginTab::order))
                .toList();
    }

    @Bean
    static AppEntry systemApp() {
        return new AppEntry("系统管理", "账户、部门、员工与 CA 管理", "/system", null, 10);
    }

    /** 首页 (seed §1 step 1): "点击进入" or "请登录" leads to the login page; signed in, 点击进入 opens 应用中心. */
    @GetMapping("/")
    String home(@AuthenticationPrincipal CagateUser user, Model model) {
        model.addAttribute("user", user);
        return "home";
    }

    /**
     * 登录. {@code continue}: where to go after the login instead of 应用中心, only an authorization request
     * of the OpenID Provider ({@code /oauth2/authorize?...}, a path of this server: never another site).
     * {@code tab}: the tab shown first, e.g. {@code ca} for the step-up an application asks for; a signed-in
     * user is sent on unless a tab is asked for (a password login stepping up to a CA login).
     */
    @GetMapping("/login")
    String login(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(name = "continue", required = false) String next,
            @RequestParam(required = false) String tab,
            Model model) {
        String target = isAuthorizationRequest(next) ? next : null;
        String active = loginTabs.stream()
                .map(LoginTab::id)
                .filter(id -> id.equals(tab))
                .findFirst()
                .orElse(null);
        if (user != null && active == null) {
            return "redirect:" + (target == null ? "/apps" : target);
        }
        model.addAttribute("tabs", loginTabs);
        model.addAttribute(
                "activeTab",
                active != null
                        ? active
                        : loginTabs.isEmpty() ? null : loginTabs.get(0).id());
        model.addAttribute("continue", target);
        model.addAttribute("stepUp", user != null && "ca".equals(active));
        return "login";
    }

    static boolean isAuthorizationRequest(String next) {
        return next != null
                && next.startsWith("/oauth2/authorize?")
                && next.length() < 4000
                && !next.contains("\\")
                && next.chars().noneMatch(c -> c < 0x21 || c > 0x7e);
    }

    @GetMapping("/apps")
    String apps(@AuthenticationPrincipal CagateUser user, Model model) {
        model.addAttribute("apps", menu.appsFor(user));
        model.addAttribute("appName", "应用中心");
        return "apps";
    }

    @GetMapping("/system")
    String system(@AuthenticationPrincipal CagateUser user) {
        return "redirect:" + menu.firstPathFor(user);
    }
}
