package org.cagate.server.docsign;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.cagate.pki.pdf.SealPlacement;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditActionLabel;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * 签章 API, two calls around the agent's {@code POST /v1/sign-document} (docs/signing.md):
 *
 * <ul>
 *   <li>{@code POST /api/pdf/preview}, multipart: {@code file}, {@code page} → the page as an image;
 *   <li>{@code POST /api/pdf/sign/prepare}, multipart: {@code file} (the PDF), optional {@code page, x, y,
 *       width, height} in PDF points where the organisation's seal goes → {@code {document, sha256, sm3}}:
 *       the PDF with its empty signature (base64) and the digests the agent signs;
 *   <li>{@code POST /api/pdf/sign/complete}, multipart: {@code file} (that PDF), {@code signature} (the
 *       agent's CMS, base64), {@code documentName} → the signed PDF.
 * </ul>
 */
@RestController
class PdfSignController {
    private final PdfSignService service;
    private final SigningProperties properties;
    private final PdfPreview preview;
    private final PdfWork work;

    PdfSignController(PdfSignService service, SigningProperties properties, PdfPreview preview, PdfWork work) {
        this.service = service;
        this.properties = properties;
        this.preview = preview;
        this.work = work;
    }

    @Bean
    static AuditActionLabel documentSignedLabel() {
        return new AuditActionLabel(PdfSignService.DOCUMENT_SIGNED, "文档签章");
    }

    /**
     * One page of the uploaded PDF as an image, for placing the seal ({@link PdfPreview}); {@code page}
     * from 1, default 1.
     */
    @PostMapping(path = "/api/pdf/preview", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    PdfPreview.PageView preview(
            @RequestPart(name = "file", required = false) MultipartFile file,
            @RequestParam(required = false) Integer page)
            throws IOException {
        if (file != null && file.getSize() > properties.maxPdfSize().toBytes()) {
            throw PdfVerifyService.tooLarge(properties);
        }
        byte[] pdf = pdf(file);
        return work.run(() -> preview.render(pdf, page == null ? 1 : page));
    }

    /**
     * The PDF with its empty signature. With {@code page} (and {@code x, y, width, height} in points, default
     * 120x120 at 0,0), the organisation's seal is its visible appearance there; without, the signature is
     * invisible. The seal is always the organisation's own (印章管理), never one sent with the request.
     */
    @PostMapping(path = "/api/pdf/sign/prepare", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    PdfSignService.Prepared prepare(
            @AuthenticationPrincipal CagateUser user,
            @RequestPart(name = "file", required = false) MultipartFile file,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Float x,
            @RequestParam(required = false) Float y,
            @RequestParam(required = false) Float width,
            @RequestParam(required = false) Float height)
            throws IOException {
        if (file != null && file.getSize() > properties.maxPdfSize().toBytes()) {
            throw PdfVerifyService.tooLarge(properties);
        }
        byte[] pdf = pdf(file);
        SealPlacement placement = null;
        if (page != null) {
            try {
                placement = new SealPlacement(
                        page,
                        x == null ? 0 : x,
                        y == null ? 0 : y,
                        width == null ? 120 : width,
                        height == null ? 120 : height);
            } catch (IllegalArgumentException e) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.placement");
            }
        }
        SealPlacement seal = placement;
        return work.run(() -> service.prepare(user, pdf, seal));
    }

    @PostMapping(path = "/api/pdf/sign/complete", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<byte[]> complete(
            @AuthenticationPrincipal CagateUser user,
            @RequestPart(name = "file", required = false) MultipartFile file,
            @RequestParam(required = false) String signature,
            @RequestParam(required = false) String documentName,
            HttpServletRequest request)
            throws IOException {
        byte[] pdf = pdf(file);
        if (signature == null || signature.isBlank()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.signature");
        }
        byte[] cms;
        try {
            cms = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.signature");
        }
        String name = documentName == null || documentName.isBlank()
                ? (file.getOriginalFilename() == null ? "document.pdf" : file.getOriginalFilename())
                : documentName;
        String clientIp = ClientIp.of(request);
        byte[] signed = work.run(() -> service.complete(user, clientIp, pdf, cms, name));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(name, StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .body(signed);
    }

    private byte[] pdf(MultipartFile file) throws IOException {
        if (file == null || file.isEmpty()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.missing");
        }
        if (file.getSize() > properties.maxPdfSize().toBytes() + PdfSignerRoom.BYTES) {
            throw PdfVerifyService.tooLarge(properties);
        }
        return file.getBytes();
    }

    /** A prepared PDF is the original plus the new revision with its 64 KiB hex placeholder. */
    private static final class PdfSignerRoom {
        static final long BYTES = 2L * org.cagate.pki.pdf.PdfSigner.SIGNATURE_BYTES + 64 * 1024;
    }
}
