package org.cagate.server.organization;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.ProblemCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/admin/organizations} (PLATFORM_ADMIN): organisations and the region each is in. */
@RestController
@RequestMapping("/api/admin/organizations")
class OrganizationController {

    private final OrganizationRepository organizations;
    private final RegionRepository regions;
    private final AuditLog audit;
    private final Clock clock;

    OrganizationController(
            OrganizationRepository organizations, RegionRepository regions, AuditLog audit, Clock clock) {
        this.organizations = organizations;
        this.regions = regions;
        this.audit = audit;
        this.clock = clock;
    }

    record OrganizationRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 32) String regionCode) {}

    record OrganizationView(long id, String name, RegionRef region, java.time.Instant createdAt) {
        record RegionRef(String code, String name) {}

        static OrganizationView of(Organization o) {
            return new OrganizationView(o.id(), o.name(), new RegionRef(o.regionCode(), o.regionName()), o.createdAt());
        }
    }

    @GetMapping
    PageResult<OrganizationView> list(
            @RequestParam(required = false) String regionCode,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return organizations.list(regionCode, name, PageQuery.of(page, size)).map(OrganizationView::of);
    }

    @GetMapping("/{id}")
    OrganizationView get(@PathVariable long id) {
        return OrganizationView.of(organizations.find(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND)));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    OrganizationView create(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody OrganizationRequest body,
            HttpServletRequest request) {
        requireRegion(body.regionCode());
        long id;
        try {
            id = organizations.insert(body.name().trim(), body.regionCode(), clock.instant());
        } catch (DuplicateKeyException e) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.organization.taken");
        }
        record(AuditAction.ORGANIZATION_CREATED, user, id, request);
        return OrganizationView.of(organizations.find(id).orElseThrow());
    }

    @PutMapping("/{id}")
    @Transactional
    OrganizationView update(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable long id,
            @Valid @RequestBody OrganizationRequest body,
            HttpServletRequest request) {
        organizations.find(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        requireRegion(body.regionCode());
        try {
            organizations.update(id, body.name().trim(), body.regionCode());
        } catch (DuplicateKeyException e) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.organization.taken");
        }
        record(AuditAction.ORGANIZATION_UPDATED, user, id, request);
        return OrganizationView.of(organizations.find(id).orElseThrow());
    }

    private void requireRegion(String code) {
        if (regions.find(code).isEmpty()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.region.unknown");
        }
    }

    private void record(AuditAction action, CagateUser user, long organizationId, HttpServletRequest request) {
        audit.record(AuditEvent.success(action)
                .actor(user.accountId(), user.displayName())
                .organization(organizationId)
                .clientIp(ClientIp.of(request))
                .build());
    }
}
