package org.cagate.server.caprovider;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import org.cagate.server.account.CagateUser;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.ProblemCode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ca/providers} (public: the login page lists the providers before anyone signs in)
 * and {@code /api/admin/ca-providers} (PLATFORM_ADMIN, by the core's rule on {@code /api/admin/**}).
 */
@RestController
class CaProviderController {

    private final CaProviderRegistry registry;
    private final CaProviderService service;
    private final ObjectProvider<DriverInfoLookup> drivers;
    private final RevocationSources revocationSources;

    CaProviderController(
            CaProviderRegistry registry,
            CaProviderService service,
            ObjectProvider<DriverInfoLookup> drivers,
            RevocationSources revocationSources) {
        this.registry = registry;
        this.service = service;
        this.drivers = drivers;
        this.revocationSources = revocationSources;
    }

    @Bean
    static HttpAuthorization caProvidersPublic() {
        return rules ->
                rules.requestMatchers(HttpMethod.GET, "/api/ca/providers").permitAll();
    }

    @GetMapping("/api/ca/providers")
    List<CaProviderViews.PublicView> providers() {
        DriverInfoLookup lookup = drivers.getIfAvailable(() -> DriverInfoLookup.NONE);
        return registry.all().stream()
                .map(p -> CaProviderViews.PublicView.of(p, lookup))
                .toList();
    }

    @GetMapping("/api/admin/ca-providers")
    List<CaProviderViews.AdminView> list() {
        return registry.all().stream().map(CaProviderViews.AdminView::of).toList();
    }

    @GetMapping("/api/admin/ca-providers/{code}")
    CaProviderViews.AdminView get(@PathVariable String code) {
        return registry.find(code)
                .map(CaProviderViews.AdminView::of)
                .orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
    }

    /** The revocation URLs this node used, or refused to fetch, for the provider's certificates. */
    @GetMapping("/api/admin/ca-providers/{code}/revocation-sources")
    List<RevocationSources.Use> revocationSources(@PathVariable String code) {
        registry.find(code).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        return revocationSources.of(code);
    }

    /** Creates or changes the provider; 201 when it is new. */
    @PutMapping("/api/admin/ca-providers/{code}")
    ResponseEntity<CaProviderViews.AdminView> put(
            @AuthenticationPrincipal CagateUser user,
            @PathVariable String code,
            @Valid @RequestBody CaProviderRequest body,
            HttpServletRequest request) {
        CaProviderService.Saved saved = service.put(user, code, body, ClientIp.of(request));
        return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(CaProviderViews.AdminView.of(saved.provider()));
    }
}
