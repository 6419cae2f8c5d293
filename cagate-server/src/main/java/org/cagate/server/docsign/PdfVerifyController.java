package org.cagate.server.docsign;

import java.io.IOException;
import java.util.List;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * 验章 API: {@code POST /api/pdf/verify}, multipart/form-data with the PDF as {@code file}, for any
 * logged-in user → each signature with signer, time, trust and whether the document changed after it
 * (docs/signing.md). Problems: PDF_TOO_LARGE, PDF_ENCRYPTED, PDF_DAMAGED, VALIDATION (no file),
 * SERVICE_UNAVAILABLE (the node's PDF work is full: {@link PdfWork}).
 */
@RestController
class PdfVerifyController {
    private final PdfVerifyService service;
    private final SigningProperties properties;
    private final PdfWork work;

    PdfVerifyController(PdfVerifyService service, SigningProperties properties, PdfWork work) {
        this.service = service;
        this.properties = properties;
        this.work = work;
    }

    @PostMapping(path = "/api/pdf/verify", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    List<PdfVerifyService.SignatureView> verify(@RequestPart(name = "file", required = false) MultipartFile file)
            throws IOException {
        if (file == null || file.isEmpty()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.missing");
        }
        if (file.getSize() > properties.maxPdfSize().toBytes()) {
            throw PdfVerifyService.tooLarge(properties);
        }
        byte[] pdf = file.getBytes();
        return work.run(() -> service.verify(pdf));
    }
}
