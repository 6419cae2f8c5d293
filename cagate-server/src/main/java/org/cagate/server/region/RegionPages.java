package org.cagate.server.region;

import org.cagate.server.account.Role;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.PageQuery;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** 平台运营 › 区划管理 (PLATFORM_ADMIN, by the URL rule on /system/platform/**). */
@Controller
class RegionPages {

    private final RegionRepository regions;

    RegionPages(RegionRepository regions) {
        this.regions = regions;
    }

    @Bean
    static MenuItem regionsMenu() {
        return new MenuItem("平台运营", "区划管理", "/system/platform/regions", Role.PLATFORM_ADMIN, 900);
    }

    @GetMapping("/system/platform/regions")
    String regions(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size, Model model) {
        model.addAttribute("result", regions.list(PageQuery.of(page, size)));
        return "system/regions";
    }
}
