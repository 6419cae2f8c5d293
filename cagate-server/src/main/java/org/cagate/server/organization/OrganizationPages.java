package org.cagate.server.organization;

import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.PageQuery;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** 部门管理 (members read, ORG_ADMIN edits) and 平台运营 › 单位管理 (PLATFORM_ADMIN). */
@Controller
class OrganizationPages {

    private final OrganizationRepository organizations;
    private final RegionRepository regions;

    OrganizationPages(OrganizationRepository organizations, RegionRepository regions) {
        this.organizations = organizations;
        this.regions = regions;
    }

    @Bean
    static MenuItem departmentsMenu() {
        return new MenuItem(null, "部门管理", "/system/departments", Role.USER, 200);
    }

    @Bean
    static MenuItem organizationsMenu() {
        return new MenuItem("平台运营", "单位管理", "/system/platform/organizations", Role.PLATFORM_ADMIN, 910);
    }

    @GetMapping("/system/departments")
    String departments(@AuthenticationPrincipal CagateUser user, Model model) {
        model.addAttribute(
                "departments",
                user.organizationId() == null ? java.util.List.of() : organizations.departments(user.organizationId()));
        model.addAttribute("canEdit", user.manages(user.organizationId()) && user.organizationId() != null);
        return "system/departments";
    }

    @GetMapping("/system/platform/organizations")
    String organizations(
            @RequestParam(required = false) String regionCode,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            Model model) {
        model.addAttribute(
                "result", PageQuery.clamped(PageQuery.of(page, size), q -> organizations.list(regionCode, name, q)));
        model.addAttribute("regions", regions.all());
        model.addAttribute("regionCode", regionCode);
        model.addAttribute("name", name);
        return "system/organizations";
    }
}
