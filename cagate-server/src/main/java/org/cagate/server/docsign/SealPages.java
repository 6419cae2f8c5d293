package org.cagate.server.docsign;

import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.web.AppEntry;
import org.cagate.server.web.MenuItem;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The 电子签章 pages of 系统管理 (and their 应用中心 tile): 签章 (upload a PDF, see its pages, place the
 * organisation's seal, sign with the CA key through the local agent, download), 验章 (each signature of a
 * PDF), 印章管理 (the ORG_ADMIN's seal). The work happens in the JSON API from {@code /js/doc-sign.js},
 * {@code /js/doc-verify.js} and {@code /js/seal.js}.
 */
@Controller
class SealPages {
    static final String SIGN_PATH = "/system/docsign/sign";
    static final String VERIFY_PATH = "/system/docsign/verify";
    static final String SEAL_PATH = "/system/docsign/seal";

    private final SealService seals;
    private final SigningProperties properties;
    private final CaProviderRegistry providers;
    private final PdfSignService signing;

    SealPages(SealService seals, SigningProperties properties, CaProviderRegistry providers, PdfSignService signing) {
        this.seals = seals;
        this.properties = properties;
        this.providers = providers;
        this.signing = signing;
    }

    @Bean
    static AppEntry docSignApp() {
        return new AppEntry("电子签章", "用 CA 证书签章（投标文件、合同、承诺函）和验章", SIGN_PATH, null, 20);
    }

    @Bean
    static MenuItem signMenu() {
        return new MenuItem("电子签章", "签章", SIGN_PATH, null, 600);
    }

    @Bean
    static MenuItem verifyMenu() {
        return new MenuItem("电子签章", "验章", VERIFY_PATH, null, 610);
    }

    @Bean
    static MenuItem sealMenu() {
        return new MenuItem("电子签章", "印章管理", SEAL_PATH, Role.ORG_ADMIN, 620);
    }

    @GetMapping(SIGN_PATH)
    String sign(@AuthenticationPrincipal CagateUser user, Model model) {
        model.addAttribute("seal", seals.find(user).map(Seal::view).orElse(null));
        model.addAttribute("canManageSeal", user.organizationId() != null && user.hasRole(Role.ORG_ADMIN));
        // The providers of the user's region first; a signature is checked against every enabled one.
        model.addAttribute(
                "providers",
                providers.all().stream()
                        .filter(CaProvider::enabled)
                        .sorted(java.util.Comparator.comparing((CaProvider p) -> !p.usableIn(user.regionCode())))
                        .toList());
        model.addAttribute("maxPdfMb", properties.maxPdfSize().toMegabytes());
        model.addAttribute("timeStamped", signing.timeStamped());
        return "docsign/sign";
    }

    @GetMapping(VERIFY_PATH)
    String verify(Model model) {
        model.addAttribute("maxPdfMb", properties.maxPdfSize().toMegabytes());
        return "docsign/verify";
    }

    @GetMapping(SEAL_PATH)
    String seal(@AuthenticationPrincipal CagateUser user, Model model) {
        model.addAttribute("seal", seals.find(user).map(Seal::view).orElse(null));
        model.addAttribute("maxSealKb", properties.maxSealSize().toKilobytes());
        model.addAttribute("minPixels", SealService.MIN_PIXELS);
        model.addAttribute("maxPixels", SealService.MAX_PIXELS);
        return "docsign/seal";
    }
}
