package org.cagate.server.oidc;

import java.util.List;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.AppEntry;
import org.cagate.server.web.AppSource;
import org.cagate.server.web.MenuItem;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * 平台运营 › 应用管理 (PLATFORM_ADMIN, by the URL rule on /system/platform/**), and the registered
 * applications' tiles in 应用中心, each for the users its regions and roles name.
 */
@Controller
class ApplicationPages implements AppSource {

    private final ApplicationService applications;
    private final RegionRepository regions;

    ApplicationPages(ApplicationService applications, RegionRepository regions) {
        this.applications = applications;
        this.regions = regions;
    }

    @Bean
    static MenuItem applicationsMenu() {
        return new MenuItem("平台运营", "应用管理", "/system/platform/applications", Role.PLATFORM_ADMIN, 920);
    }

    @GetMapping("/system/platform/applications")
    String applications(Model model) {
        model.addAttribute("applications", applications.all());
        model.addAttribute("regions", regions.all());
        return "system/applications";
    }

    @Override
    public List<AppEntry> appsFor(CagateUser user) {
        return applications.visibleTo(user).stream()
                .map(app -> new AppEntry(app.name(), app.description(), app.homeUrl(), null, 100, app.iconUrl()))
                .toList();
    }
}
