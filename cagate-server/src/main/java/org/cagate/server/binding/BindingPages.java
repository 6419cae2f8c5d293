package org.cagate.server.binding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cagate.server.account.Account;
import org.cagate.server.account.AccountRepository;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.PageQuery;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * CA管理 › CA绑定与解绑: the list (rendered here), the 绑定CA dialog's choices (the accounts the user
 * may bind for, the providers offered in their region) and the reason when binding is not possible.
 * Binding and unbinding go through the JSON API from {@code /js/ca-bindings.js}.
 */
@Controller
class BindingPages {

    /** An ORG_ADMIN's 姓名 list shows at most this many accounts of the organisation. */
    static final int MAX_ACCOUNTS = PageQuery.MAX_SIZE;

    private final BindingService service;
    private final AccountRepository accounts;
    private final RegionRepository regions;
    private final CaProviderRegistry providers;

    BindingPages(
            BindingService service,
            AccountRepository accounts,
            RegionRepository regions,
            CaProviderRegistry providers) {
        this.service = service;
        this.accounts = accounts;
        this.regions = regions;
        this.providers = providers;
    }

    @Bean
    static MenuItem caBindingsMenu() {
        return new MenuItem("CA管理", "CA绑定与解绑", "/system/ca/bindings", null, 310);
    }

    record Filter(String account, String name) {}

    @GetMapping("/system/ca/bindings")
    String bindings(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(required = false) String account,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            Model model) {
        model.addAttribute(
                "result", PageQuery.clamped(PageQuery.of(page, size), q -> service.list(user, null, account, name, q)));
        model.addAttribute("filter", new Filter(account, name));
        Map<String, String> names = new HashMap<>();
        providers.all().forEach(p -> names.put(p.code(), p.name()));
        model.addAttribute("providerNames", names);

        List<Account> bindable = bindable(user);
        List<CaProvider> offered = providers.all().stream()
                .filter(p -> p.usableIn(user.regionCode()))
                .toList();
        boolean regionOpen = user.regionCode() != null
                && regions.find(user.regionCode()).map(r -> r.caEnabled()).orElse(false);
        String note = null;
        if (user.organizationId() == null) {
            note = "平台管理员不属于任何单位，不能绑定 CA；可查看和解除各单位的绑定。";
        } else if (!regionOpen) {
            note = "您所在的区划尚未开通 CA 业务，暂不能绑定 CA。";
        } else if (offered.isEmpty()) {
            note = "您所在的区划暂无可用的 CA 服务商。";
        }
        model.addAttribute("accounts", bindable);
        model.addAttribute("providers", offered);
        model.addAttribute("canBind", note == null && !bindable.isEmpty());
        model.addAttribute("bindNote", note);
        return "system/ca-bindings";
    }

    /** The accounts the 姓名 list offers: an ORG_ADMIN's organisation, everyone else themselves. */
    private List<Account> bindable(CagateUser user) {
        if (user.organizationId() == null) {
            return List.of();
        }
        if (!user.hasRole(Role.ORG_ADMIN)) {
            return accounts.find(user.accountId()).stream().toList();
        }
        return accounts
                .list(new AccountRepository.Filter(user.organizationId(), null, null), new PageQuery(1, MAX_ACCOUNTS))
                .items()
                .stream()
                .filter(a -> a.status() == AccountStatus.ACTIVE)
                .filter(a -> !a.roles().contains(Role.PLATFORM_ADMIN))
                .toList();
    }
}
