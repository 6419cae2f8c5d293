package org.cagate.server.docsign;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.audit.AuditActionLabel;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.HttpAuthorization;
import org.cagate.server.web.ProblemCode;
import org.springframework.context.annotation.Bean;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * 印章 API (docs/signing.md): the user's organisation's seal.
 *
 * <ul>
 *   <li>{@code GET /api/seal} (any signed-in user) → {@code {set, seal, canManage}};
 *   <li>{@code GET /api/seal/image} → the image, or NOT_FOUND when none is set;
 *   <li>{@code PUT /api/seal}, multipart {@code image} (ORG_ADMIN) → the new seal's status; VALIDATION
 *       (not PNG/JPEG, unreadable, pixel size), PAYLOAD_TOO_LARGE ({@code cagate.signing.max-seal-size}).
 * </ul>
 */
@RestController
class SealController {
    private final SealService service;

    SealController(SealService service) {
        this.service = service;
    }

    @Bean
    static AuditActionLabel sealUpdatedLabel() {
        return new AuditActionLabel(SealService.SEAL_UPDATED, "印章更新");
    }

    @Bean
    static HttpAuthorization sealAdminPaths() {
        return rules -> rules.requestMatchers(HttpMethod.PUT, "/api/seal")
                .hasRole(Role.ORG_ADMIN.name())
                .requestMatchers(SealPages.SEAL_PATH)
                .hasRole(Role.ORG_ADMIN.name());
    }

    record SealStatus(boolean set, Seal.View seal, boolean canManage) {}

    @GetMapping("/api/seal")
    SealStatus status(@AuthenticationPrincipal CagateUser user) {
        return status(user, service.find(user).orElse(null));
    }

    @GetMapping("/api/seal/image")
    ResponseEntity<byte[]> image(@AuthenticationPrincipal CagateUser user) {
        Seal seal = service.find(user).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(seal.mediaType()))
                .cacheControl(CacheControl.noStore())
                .body(seal.image());
    }

    @PutMapping(path = "/api/seal", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    SealStatus upload(
            @AuthenticationPrincipal CagateUser user,
            @RequestPart(name = "image", required = false) MultipartFile image,
            HttpServletRequest request)
            throws IOException {
        byte[] bytes = image == null ? null : image.getBytes();
        return status(user, service.upload(user, ClientIp.of(request), bytes));
    }

    private static SealStatus status(CagateUser user, Seal seal) {
        boolean canManage = user.organizationId() != null && user.hasRole(Role.ORG_ADMIN);
        return new SealStatus(seal != null, seal == null ? null : seal.view(), canManage);
    }
}
