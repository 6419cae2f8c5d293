package org.cagate.server.binding;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.cagate.server.account.CagateUser;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/ca/bindings}: list, bind, unbind (every signed-in user, within their scope). */
@RestController
@RequestMapping("/api/ca/bindings")
class BindingController {

    private final BindingService service;
    private final CaProviderRegistry providers;

    BindingController(BindingService service, CaProviderRegistry providers) {
        this.service = service;
        this.providers = providers;
    }

    /** {@code ?account=} login name prefix, {@code &name=} display name part, {@code &organizationId=} (operators). */
    @GetMapping
    PageResult<BindingView> list(
            @AuthenticationPrincipal CagateUser user,
            @RequestParam(required = false) String account,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Long organizationId,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return service.list(user, organizationId, account, name, PageQuery.of(page, size))
                .map(this::view);
    }

    @PostMapping
    ResponseEntity<BindingView> bind(
            @AuthenticationPrincipal CagateUser user,
            @Valid @RequestBody BindRequest body,
            HttpServletRequest request) {
        Binding binding = service.bind(caller(user, request), body);
        return ResponseEntity.status(HttpStatus.CREATED).body(view(binding));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> unbind(
            @AuthenticationPrincipal CagateUser user, @PathVariable long id, HttpServletRequest request) {
        service.unbind(caller(user, request), id);
        return ResponseEntity.noContent().build();
    }

    private BindingView view(Binding binding) {
        return BindingView.of(binding, providers.find(binding.providerCode()).orElse(null));
    }

    private static BindingService.Caller caller(CagateUser user, HttpServletRequest request) {
        return new BindingService.Caller(user, ClientIp.of(request), request.getHeader(HttpHeaders.ORIGIN));
    }
}
