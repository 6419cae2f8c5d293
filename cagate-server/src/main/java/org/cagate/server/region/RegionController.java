package org.cagate.server.region;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.ProblemCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/admin/regions} (PLATFORM_ADMIN): regions and their "CA 业务开通" switch. */
@RestController
@RequestMapping("/api/admin/regions")
class RegionController {

    static final String CODE = "[A-Za-z0-9_-]{1,32}";

    private final RegionRepository regions;
    private final AuditLog audit;
    private final Clock clock;

    RegionController(RegionRepository regions, AuditLog audit, Clock clock) {
        this.regions = regions;
        this.audit = audit;
        this.clock = clock;
    }

    record RegionRequest(
            @NotBlank @Size(max = 100) String name, @NotNull Boolean caEnabled) {}

    @GetMapping
    PageResult<Region> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return regions.list(PageQuery.of(page, size));
    }

    @GetMapping("/{code}")
    Region get(@PathVariable String code) {
        return regions.find(code).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
    }

    /** Creates the region or changes it; 201 when it is new. */
    @PutMapping("/{code}")
    @Transactional
    ResponseEntity<Region> put(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable String code,
            @Valid @RequestBody RegionRequest body,
            HttpServletRequest request) {
        if (!code.matches(CODE)) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.region.code");
        }
        boolean created = regions.save(code, body.name().trim(), body.caEnabled(), clock.instant());
        audit.record(AuditEvent.success(AuditAction.REGION_CHANGED)
                .actor(user.accountId(), user.displayName())
                .clientIp(ClientIp.of(request))
                .detail("region=" + code + " caEnabled=" + body.caEnabled() + (created ? " created" : ""))
                .build());
        Region region = regions.find(code).orElseThrow();
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(region);
    }
}
