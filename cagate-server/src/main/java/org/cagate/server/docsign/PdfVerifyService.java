package org.cagate.server.docsign;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.pdf.PdfException;
import org.cagate.pki.pdf.PdfSignatureReport;
import org.cagate.pki.pdf.PdfVerifier;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** 验章: every signature of an uploaded PDF, checked against the enabled providers' anchors and policies. */
@Service
class PdfVerifyService {
    private static final Logger log = LoggerFactory.getLogger(PdfVerifyService.class);

    /** One signature as the API shows it. */
    record SignatureView(
            int index,
            boolean valid,
            boolean intact,
            String coverage,
            String signer,
            String issuer,
            String algorithm,
            Instant signingTime,
            Instant timestamp,
            String provider,
            String providerName,
            List<String> findings,
            String problem) {}

    private final AssertionVerifier verifier;
    private final CaProviderRegistry providers;
    private final SigningProperties properties;

    PdfVerifyService(Clock clock, SecureRandom random, CaProviderRegistry providers, SigningProperties properties) {
        this.verifier = new AssertionVerifier(clock, RevocationChecker.create(clock, random));
        this.providers = providers;
        this.properties = properties;
    }

    List<SignatureView> verify(byte[] pdf) {
        // Every configured provider, also a disabled one: documents signed before it was disabled stay checkable.
        // Enabled providers first: when two share a CA, the one in use names the signer's provider.
        List<CaProvider> configured = providers.all().stream()
                .sorted(java.util.Comparator.comparing(CaProvider::enabled).reversed())
                .toList();
        PdfVerifier pdfVerifier = new PdfVerifier(
                verifier,
                configured.stream().map(CaProvider::policy).toList(),
                properties.maxPdfSize().toBytes());
        List<PdfSignatureReport> reports;
        try {
            reports = pdfVerifier.verify(pdf);
        } catch (PdfException e) {
            log.info("验章 refused a PDF of {} bytes: {}", pdf.length, e.getMessage());
            throw e.reason() == PdfException.Reason.PDF_TOO_LARGE ? tooLarge(properties) : problem(e);
        }
        return reports.stream()
                .map(r -> new SignatureView(
                        r.index(),
                        r.valid(),
                        r.intact(),
                        r.coverage().name(),
                        r.signer(),
                        r.issuer(),
                        r.algorithm(),
                        r.signingTime(),
                        r.timestamp(),
                        r.provider(),
                        r.provider() == null
                                ? null
                                : providers
                                        .find(r.provider())
                                        .map(CaProvider::name)
                                        .orElse(r.provider()),
                        r.findings(),
                        r.problem()))
                .toList();
    }

    static ApiException tooLarge(SigningProperties properties) {
        return ApiException.detail(
                ProblemCode.PDF_TOO_LARGE,
                ProblemCode.PDF_TOO_LARGE.detailKey(),
                properties.maxPdfSize().toMegabytes());
    }

    static ApiException problem(PdfException e) {
        ProblemCode code = switch (e.reason()) {
            case PDF_TOO_LARGE -> ProblemCode.PDF_TOO_LARGE;
            case PDF_ENCRYPTED -> ProblemCode.PDF_ENCRYPTED;
            default -> ProblemCode.PDF_DAMAGED;
        };
        return new ApiException(code);
    }
}
