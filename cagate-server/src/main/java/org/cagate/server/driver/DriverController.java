package org.cagate.server.driver;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.cagate.server.account.CagateUser;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code GET /api/drivers} (public, the wire contract's shape) and the operators' API under
 * {@code /api/admin/drivers} (PLATFORM_ADMIN, by the core's rule on {@code /api/admin/**}): the list with
 * retired packages, the multipart upload and the retirement.
 */
@RestController
class DriverController {

    private final DriverCatalog catalog;
    private final DriverPackageService service;
    private final DriverPackageRepository repository;
    private final CaProviderRegistry providers;

    DriverController(
            DriverCatalog catalog,
            DriverPackageService service,
            DriverPackageRepository repository,
            CaProviderRegistry providers) {
        this.catalog = catalog;
        this.service = service;
        this.repository = repository;
        this.providers = providers;
    }

    @Bean
    static HttpAuthorization driversApiPublic() {
        return rules -> rules.requestMatchers(HttpMethod.GET, "/api/drivers").permitAll();
    }

    record RegionRef(String code, String name) {}

    record ProviderRef(String code, String name) {}

    /**
     * {@code packages[{provider{code,name}, name, version, updatedAt, downloadUrl, sha256, size, platform}]};
     * platform (the systems an agent package is for) is null for a CA company's upload.
     */
    record PackageView(
            ProviderRef provider,
            String name,
            String version,
            Instant updatedAt,
            String downloadUrl,
            String sha256,
            long size,
            String platform) {}

    record RegionView(RegionRef region, List<PackageView> packages) {}

    /** An uploaded package for operators; downloadUrl is null once it is retired. */
    record AdminView(
            long id,
            ProviderRef provider,
            String name,
            String version,
            String fileName,
            String kind,
            long size,
            String sha256,
            String uploadedBy,
            Instant uploadedAt,
            Instant retiredAt,
            String downloadUrl) {}

    @GetMapping("/api/drivers")
    List<RegionView> drivers() {
        return catalog.byRegion().stream()
                .map(r -> new RegionView(
                        new RegionRef(r.region().code(), r.region().name()),
                        r.offers().stream()
                                .map(o -> new PackageView(
                                        new ProviderRef(
                                                o.provider().code(),
                                                o.provider().name()),
                                        o.name(),
                                        o.version(),
                                        o.updatedAt(),
                                        catalog.absolute(o.path()),
                                        o.sha256(),
                                        o.size(),
                                        o.platform()))
                                .toList()))
                .toList();
    }

    @GetMapping("/api/admin/drivers")
    PageResult<AdminView> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return repository.list(PageQuery.of(page, size)).map(this::admin);
    }

    /** multipart/form-data: {@code provider}, {@code version}, optional {@code name}, and {@code file}. */
    @PostMapping(path = "/api/admin/drivers", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<AdminView> upload(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(required = false) String provider,
            @RequestParam(required = false) String version,
            @RequestParam(required = false) String name,
            @RequestPart(name = "file", required = false) MultipartFile file,
            HttpServletRequest request) {
        DriverPackage created = service.upload(
                user, new DriverPackageService.Upload(provider, version, name), file, ClientIp.of(request));
        return ResponseEntity.status(HttpStatus.CREATED).body(admin(created));
    }

    @PostMapping("/api/admin/drivers/{id}/retire")
    AdminView retire(@AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        return admin(service.retire(user, id, ClientIp.of(request)));
    }

    private AdminView admin(DriverPackage p) {
        String providerName =
                providers.find(p.providerCode()).map(c -> c.name()).orElse(p.providerCode());
        return new AdminView(
                p.id(),
                new ProviderRef(p.providerCode(), providerName),
                p.name(),
                p.version(),
                p.fileName(),
                p.kind().name(),
                p.size(),
                p.sha256(),
                p.uploadedByName(),
                p.uploadedAt(),
                p.retiredAt(),
                p.retired() ? null : catalog.absolute(p.path()));
    }
}
