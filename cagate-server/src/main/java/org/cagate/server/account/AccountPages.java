package org.cagate.server.account;

import java.time.Clock;
import org.cagate.server.organization.OrganizationRepository;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.PageQuery;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * 账户管理 (own profile and password), 员工管理 (ORG_ADMIN: the organisation's accounts) and
 * 平台运营 › 账户管理 (PLATFORM_ADMIN: all accounts). Lists are rendered here; changes go through
 * the JSON API from the page's script.
 */
@Controller
class AccountPages {

    private final AccountRepository accounts;
    private final AccountService service;
    private final OrganizationRepository organizations;
    private final Clock clock;

    AccountPages(
            AccountRepository accounts, AccountService service, OrganizationRepository organizations, Clock clock) {
        this.accounts = accounts;
        this.service = service;
        this.organizations = organizations;
        this.clock = clock;
    }

    @Bean
    static MenuItem profileMenu() {
        return new MenuItem(null, "账户管理", "/system/profile", null, 100);
    }

    @Bean
    static MenuItem staffMenu() {
        return new MenuItem(null, "员工管理", "/system/staff", Role.ORG_ADMIN, 400);
    }

    @Bean
    static MenuItem platformAccountsMenu() {
        return new MenuItem("平台运营", "账户管理", "/system/platform/accounts", Role.PLATFORM_ADMIN, 920);
    }

    @GetMapping("/system/profile")
    String profile(@AuthenticationPrincipal CagateUser user, Model model) {
        model.addAttribute("account", accounts.find(user.accountId()).orElseThrow());
        return "system/profile";
    }

    @GetMapping("/system/staff")
    String staff(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(required = false) String loginName,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            Model model) {
        var filter = new AccountRepository.Filter(user.organizationId(), loginName, name);
        model.addAttribute("result", PageQuery.clamped(PageQuery.of(page, size), q -> service.list(user, filter, q)));
        model.addAttribute("departments", organizations.departments(user.organizationId()));
        return list(model, false, filter);
    }

    @GetMapping("/system/platform/accounts")
    String all(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(required = false) Long organizationId,
            @RequestParam(required = false) String loginName,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            Model model) {
        var filter = new AccountRepository.Filter(organizationId, loginName, name);
        model.addAttribute("result", PageQuery.clamped(PageQuery.of(page, size), q -> service.list(user, filter, q)));
        model.addAttribute(
                "organizations",
                organizations
                        .list(null, null, new PageQuery(1, PageQuery.MAX_SIZE))
                        .items());
        return list(model, true, filter);
    }

    private String list(Model model, boolean platform, AccountRepository.Filter filter) {
        model.addAttribute("platform", platform);
        model.addAttribute("filter", filter);
        model.addAttribute("now", clock.instant());
        return "system/accounts";
    }
}
