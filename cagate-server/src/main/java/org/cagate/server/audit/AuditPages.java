package org.cagate.server.audit;

import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.organization.OrganizationRepository;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.MenuItem;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.WebProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * 审计日志 in 系统管理: for an ORG_ADMIN a top-level entry (their organisation's events), for an operator
 * under 平台运营 (every event, with an organisation filter). The list is rendered here with the filters of
 * the form; 导出 CSV links to the API with the same filters.
 */
@Controller
class AuditPages {

    static final String PATH = "/system/audit";

    private final AuditService service;
    private final AuditLabels labels;
    private final AuditProperties properties;
    private final OrganizationRepository organizations;
    private final WebProperties web;

    AuditPages(
            AuditService service,
            AuditLabels labels,
            AuditProperties properties,
            OrganizationRepository organizations,
            WebProperties web) {
        this.service = service;
        this.labels = labels;
        this.properties = properties;
        this.organizations = organizations;
        this.web = web;
    }

    @Bean
    static MenuItem organizationAuditMenu() {
        return new MenuItem(null, "审计日志", PATH, Role.ORG_ADMIN, 500);
    }

    @Bean
    static MenuItem platformAuditMenu() {
        return new MenuItem("平台运营", "审计日志", PATH, Role.PLATFORM_ADMIN, 950);
    }

    /** The page and the API are for operators and organisation admins; the scope is AuditService's. */
    @Bean
    static HttpAuthorization auditPaths() {
        return rules -> rules.requestMatchers("/api/audit/**", PATH, PATH + "/**")
                .hasAnyRole(Role.PLATFORM_ADMIN.name(), Role.ORG_ADMIN.name());
    }

    @GetMapping(PATH)
    String page(
            @AuthenticationPrincipal CagateUser user,
            AuditFilter filter,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            Model model) {
        PageResult<AuditRecord> result =
                PageQuery.clamped(PageQuery.of(page, size), q -> service.list(user, filter.toQuery(web.timeZone()), q));
        boolean platform = user.isPlatformAdmin();
        model.addAttribute("result", result);
        model.addAttribute("filter", filter);
        model.addAttribute("platform", platform);
        model.addAttribute("actions", labels.actions());
        model.addAttribute("exportMax", properties.exportMaxRows());
        model.addAttribute("exportUrl", exportUrl(filter));
        if (platform) {
            model.addAttribute(
                    "organizations",
                    organizations
                            .list(null, null, new PageQuery(1, PageQuery.MAX_SIZE))
                            .items());
        }
        return "system/audit";
    }

    private static String exportUrl(AuditFilter filter) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/api/audit/events.csv");
        query(url, "actor", filter.actor());
        query(url, "account", filter.account());
        query(url, "action", filter.action());
        query(url, "outcome", filter.outcome());
        query(url, "ip", filter.ip());
        query(url, "from", filter.from());
        query(url, "to", filter.to());
        query(url, "organizationId", filter.organizationId());
        return url.encode().build().toUriString();
    }

    private static void query(UriComponentsBuilder url, String name, Object value) {
        if (value != null && !value.toString().isBlank()) {
            url.queryParam(name, value.toString().trim());
        }
    }
}
