package org.cagate.server.cacheck;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.cagate.server.audit.AuditActionLabel;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderProperties;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.driver.DriverCatalog;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.MenuItem;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The CA 检测 page and its two calls, all public (people check their PC before they can log in):
 *
 * <ul>
 *   <li>{@code POST /api/ca/check/certificate {provider, certificate}} → a {@link CertificateReport} of
 *       a certificate the agent lists ({@code /v1/tokens}), no PIN;
 *   <li>{@code POST /api/ca/check} with the wire contract's signed assertion over a LOGIN challenge →
 *       the certificate's report and the key's binding status, without a session. An addition to the
 *       wire contract v1; LOGIN and BIND keep their meaning.
 * </ul>
 */
@Controller
class CaCheckController {

    private final CaCheckService service;
    private final CaProviderRegistry providers;
    private final CaProviderProperties caProperties;
    private final DriverCatalog drivers;

    CaCheckController(
            CaCheckService service,
            CaProviderRegistry providers,
            CaProviderProperties caProperties,
            DriverCatalog drivers) {
        this.service = service;
        this.providers = providers;
        this.caProperties = caProperties;
        this.drivers = drivers;
    }

    @Bean
    static HttpAuthorization caCheckPublic() {
        return rules -> rules.requestMatchers(HttpMethod.GET, "/ca-check")
                .permitAll()
                .requestMatchers(HttpMethod.POST, "/api/ca/check", "/api/ca/check/certificate")
                .permitAll();
    }

    @Bean
    static MenuItem caCheckMenu() {
        return new MenuItem("CA管理", "CA 检测", "/ca-check", null, 330);
    }

    @Bean
    static AuditActionLabel caCheckLabel() {
        return new AuditActionLabel(CaCheckService.CA_CHECK, "CA 检测");
    }

    @Bean
    static AuditActionLabel expirySummaryLabel() {
        return new AuditActionLabel(ExpirySummary.SUMMARY, "CA 证书到期汇总");
    }

    record CertificateRequest(
            @NotBlank @Pattern(regexp = "[A-Z0-9_]{1,32}", message = "CA 服务商代码不正确")
            String provider,

            @NotBlank @Size(max = 90_000) String certificate) {}

    @GetMapping("/ca-check")
    String page(@RequestParam(required = false) String provider, Model model) {
        model.addAttribute(
                "providers",
                providers.all().stream().filter(CaProvider::enabled).toList());
        model.addAttribute(
                "chosen",
                provider == null
                        ? null
                        : providers.find(provider).map(CaProvider::code).orElse(null));
        model.addAttribute("caAgentUrl", caProperties.agentUrl());
        // The version the running agent is compared with, and where the current one is downloaded.
        model.addAttribute(
                "agentVersion", drivers.agentPackage().map(a -> a.version()).orElse(""));
        model.addAttribute(
                "agentDownload", drivers.agentPackage().map(a -> a.path()).orElse(""));
        return "cacheck/index";
    }

    @PostMapping("/api/ca/check/certificate")
    @ResponseBody
    CertificateReport certificate(@Valid @RequestBody CertificateRequest body, HttpServletRequest request) {
        return service.certificate(body.provider(), body.certificate(), ClientIp.of(request));
    }

    @PostMapping("/api/ca/check")
    @ResponseBody
    CaCheckService.Result check(@Valid @RequestBody SignedAssertion body, HttpServletRequest request) {
        return service.check(body, ClientIp.of(request), request.getHeader(HttpHeaders.ORIGIN));
    }
}
