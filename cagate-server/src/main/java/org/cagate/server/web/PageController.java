package org.cagate.server.web;

import java.util.Comparator;
import java.util.List;
import org.cagate.server.account.CagateUser;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

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

    @GetMapping("/login")
    String login(@AuthenticationPrincipal CagateUser user, Model model) {
        if (user != null) {
            return "redirect:/apps";
        }
        model.addAttribute("tabs", loginTabs);
        return "login";
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
