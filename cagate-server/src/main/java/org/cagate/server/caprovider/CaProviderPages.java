package org.cagate.server.caprovider;

import java.util.List;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.region.Region;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.ProblemCode;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * CA管理 › CA证书申领 (the providers offered in the user's region and how to apply) and 平台运营 ›
 * CA服务商 (PLATFORM_ADMIN, by the core's rule on {@code /system/platform/**}): the provider list and
 * the page that creates or changes one through {@code PUT /api/admin/ca-providers/{code}}.
 */
@Controller
class CaProviderPages {

    private final CaProviderRegistry registry;
    private final RegionRepository regions;
    private final RevocationSources revocationSources;

    CaProviderPages(CaProviderRegistry registry, RegionRepository regions, RevocationSources revocationSources) {
        this.registry = registry;
        this.regions = regions;
        this.revocationSources = revocationSources;
    }

    @Bean
    static MenuItem caApplyMenu() {
        return new MenuItem("CA管理", "CA证书申领", "/system/ca/apply", null, 300);
    }

    @Bean
    static MenuItem caProvidersMenu() {
        return new MenuItem("平台运营", "CA服务商", "/system/platform/ca-providers", Role.PLATFORM_ADMIN, 930);
    }

    @GetMapping("/system/ca/apply")
    String apply(@AuthenticationPrincipal CagateUser user, Model model) {
        Region region = user.regionCode() == null
                ? null
                : regions.find(user.regionCode()).orElse(null);
        List<CaProvider> offered = user.regionCode() == null
                ? registry.all().stream().filter(CaProvider::enabled).toList()
                : registry.all().stream()
                        .filter(p -> p.usableIn(user.regionCode()))
                        .toList();
        model.addAttribute("region", region);
        model.addAttribute("regionOpen", region != null && region.caEnabled());
        model.addAttribute("providers", offered);
        return "system/ca-apply";
    }

    @GetMapping("/system/platform/ca-providers")
    String list(Model model) {
        model.addAttribute("providers", registry.all());
        model.addAttribute("regionNames", regionNames());
        return "system/ca-providers";
    }

    @GetMapping("/system/platform/ca-providers/new")
    String create(Model model) {
        return edit(null, model);
    }

    @GetMapping("/system/platform/ca-providers/{code}")
    String change(@PathVariable String code, Model model) {
        CaProvider provider = registry.find(code).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        return edit(provider, model);
    }

    private String edit(CaProvider provider, Model model) {
        model.addAttribute("provider", provider);
        model.addAttribute("regions", regions.all());
        model.addAttribute(
                "revocationSources", provider == null ? java.util.List.of() : revocationSources.of(provider.code()));
        model.addAttribute("pageTitle", "CA服务商");
        return "system/ca-provider-edit";
    }

    private java.util.Map<String, String> regionNames() {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        regions.all().forEach(r -> names.put(r.code(), r.name()));
        return names;
    }
}
