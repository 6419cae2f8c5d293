package org.cagate.server.driver;

import java.util.List;
import org.cagate.server.account.Role;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.PageQuery;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * 客户端&驱动下载 (public: the login page and the 绑定CA dialog link to it before or without a
 * session), with {@code ?provider=} showing that provider's packages only; and 平台运营 › 驱动管理, where
 * operators upload and retire packages (through the JSON API, from {@code /js/drivers-admin.js}).
 */
@Controller
class DriverPages {

    static final String ADMIN_PATH = "/system/platform/drivers";

    private final DriverCatalog catalog;
    private final DriverPackageRepository repository;
    private final CaProviderRegistry providers;
    private final DriverProperties properties;

    DriverPages(
            DriverCatalog catalog,
            DriverPackageRepository repository,
            CaProviderRegistry providers,
            DriverProperties properties) {
        this.catalog = catalog;
        this.repository = repository;
        this.providers = providers;
        this.properties = properties;
    }

    @Bean
    static HttpAuthorization driversPagePublic() {
        return rules -> rules.requestMatchers(HttpMethod.GET, "/drivers").permitAll();
    }

    @Bean
    static MenuItem driversMenu() {
        return new MenuItem("CA管理", "客户端&驱动下载", "/drivers", null, 320);
    }

    @Bean
    static MenuItem driversAdminMenu() {
        return new MenuItem("平台运营", "驱动管理", ADMIN_PATH, Role.PLATFORM_ADMIN, 935);
    }

    @GetMapping("/drivers")
    String drivers(@RequestParam(required = false) String provider, Model model) {
        List<DriverCatalog.RegionOffers> regions = catalog.byRegion();
        CaProvider chosen = provider == null ? null : providers.find(provider).orElse(null);
        if (chosen != null) {
            String code = chosen.code();
            regions = regions.stream()
                    .map(r -> new DriverCatalog.RegionOffers(
                            r.region(),
                            r.updatedAt(),
                            r.offers().stream()
                                    .filter(o -> o.provider().code().equals(code))
                                    .toList()))
                    .filter(r -> !r.offers().isEmpty())
                    .toList();
        }
        model.addAttribute("regions", regions);
        model.addAttribute("chosen", chosen);
        model.addAttribute("unknownProvider", provider != null && !provider.isBlank() && chosen == null);
        return "drivers/index";
    }

    @GetMapping(ADMIN_PATH)
    String admin(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size, Model model) {
        model.addAttribute("result", PageQuery.clamped(PageQuery.of(page, size), repository::list));
        model.addAttribute("providers", providers.all());
        model.addAttribute("agent", catalog.agentPackage().orElse(null));
        model.addAttribute(
                "agentConfigured",
                properties.agentPackage() != null && !properties.agentPackage().isBlank());
        model.addAttribute("maxSize", properties.maxSize().toBytes());
        model.addAttribute("kinds", PackageKind.values());
        return "drivers/admin";
    }
}
