package org.cagate.server.docsign;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.util.Selector;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.CertificateInspection;
import org.cagate.pki.Reason;
import org.cagate.pki.pdf.PdfException;
import org.cagate.pki.pdf.PdfSigner;
import org.cagate.pki.pdf.PreparedPdf;
import org.cagate.pki.pdf.SealPlacement;
import org.cagate.pki.pdf.TimeStamper;
import org.cagate.pki.revocation.HttpFetcher;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * 签章 on the server, in two calls around the agent, keeping nothing in between: {@link #prepare} gives
 * the PDF with its empty signature and the digests the agent signs; {@link #complete} takes that PDF and
 * the agent's CMS back, checks that the CMS signs it, that the certificate is trusted by a configured
 * provider, valid, fit and not revoked, and answers the signed PDF. Every completion is audited
 * (DOCUMENT_SIGNED: account, provider, key, document name and digest).
 */
@Service
class PdfSignService {
    static final AuditAction DOCUMENT_SIGNED = AuditAction.of("DOCUMENT_SIGNED");
    private static final Logger log = LoggerFactory.getLogger(PdfSignService.class);

    record Prepared(String document, String sha256, String sm3) {}

    private final PdfSigner signer;
    private final AssertionVerifier verifier;
    private final CaProviderRegistry providers;
    private final AuditLog audit;
    private final SigningProperties properties;
    private final SealRepository seals;
    private final TimeStamper stamper;

    PdfSignService(
            Clock clock,
            SecureRandom random,
            CaProviderRegistry providers,
            AuditLog audit,
            SigningProperties properties,
            SealRepository seals) {
        this.signer = new PdfSigner(clock, properties.maxPdfSize().toBytes());
        this.verifier = new AssertionVerifier(clock, RevocationChecker.create(clock, random));
        this.providers = providers;
        this.audit = audit;
        this.properties = properties;
        this.seals = seals;
        // PAdES B-T when a TSA is configured (cagate.signing.tsa-url), else B-B.
        this.stamper = properties.tsaUrl() == null
                ? null
                : new TimeStamper(
                        properties.tsaUrl(),
                        HttpFetcher.create(properties.tsaTimeout(), properties.tsaTimeout()),
                        random);
    }

    /** Whether completions carry a time-stamp (B-T). */
    boolean timeStamped() {
        return stamper != null;
    }

    /**
     * The PDF with its empty signature; with a placement, the user's organisation's seal (印章) as its
     * visible appearance there, without one an invisible signature.
     */
    Prepared prepare(CagateUser user, byte[] pdf, SealPlacement placement) {
        byte[] seal = null;
        if (placement != null) {
            Seal found = user.organizationId() == null
                    ? null
                    : seals.find(user.organizationId()).orElse(null);
            if (found == null) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.no-seal");
            }
            seal = found.image();
        }
        try {
            PreparedPdf prepared = signer.prepare(pdf, placement, seal, "签章");
            Base64.Encoder b64 = Base64.getEncoder();
            return new Prepared(
                    b64.encodeToString(prepared.bytes()),
                    b64.encodeToString(prepared.sha256()),
                    b64.encodeToString(prepared.sm3()));
        } catch (PdfException e) {
            log.info("签章 refused to prepare a PDF of {} bytes: {}", pdf.length, e.getMessage());
            throw problem(e);
        }
    }

    byte[] complete(CagateUser user, String clientIp, byte[] preparedPdf, byte[] cms, String documentName) {
        AuditEvent.Builder failure = null;
        String provider = null;
        String keyId = null;
        String digest = null;
        try {
            PreparedPdf prepared = PreparedPdf.read(preparedPdf);
            X509Certificate leaf = signerCertificate(cms);
            digest = (isSm2(leaf)
                    ? "SM3=" + HexFormat.of().formatHex(prepared.sm3())
                    : "SHA-256=" + HexFormat.of().formatHex(prepared.sha256()));
            // The certificate, before the signed PDF leaves: a provider's anchors, valid now, fit, not revoked.
            CertificateInspection inspection = null;
            // Enabled providers first, as 验章 does: when two share a CA, the one in use is named.
            List<CaProvider> candidates = providers.all().stream()
                    .sorted(java.util.Comparator.comparing(CaProvider::enabled).reversed())
                    .toList();
            for (CaProvider candidate : candidates) {
                CertificateInspection found = verifier.inspect(leaf, List.of(), candidate.policy());
                if (!found.has(Reason.CERT_UNTRUSTED)) {
                    provider = candidate.code();
                    inspection = found;
                    break;
                }
            }
            if (inspection == null) {
                throw new ApiException(ProblemCode.CERT_UNTRUSTED);
            }
            keyId = inspection.keyId() == null ? null : inspection.keyId().value();
            if (!inspection.findings().isEmpty()) {
                throw new ApiException(ProblemCode.valueOf(
                        inspection.findings().get(0).reason().name()));
            }
            // Only then the CMS into the PDF (SIGNATURE_MISMATCH when it signs another document) and, for
            // B-T, the TSA: a refused certificate never costs a time-stamp.
            byte[] signed = signer.complete(prepared, cms, stamper);
            audit.record(AuditEvent.success(DOCUMENT_SIGNED)
                    .actor(user.accountId(), user.displayName())
                    .organization(user.organizationId())
                    .provider(provider)
                    .keyId(keyId)
                    .clientIp(clientIp)
                    .detail(detail(documentName, digest) + (stamper == null ? " PAdES B-B" : " PAdES B-T"))
                    .build());
            return signed;
        } catch (PdfException e) {
            log.info("签章 refused to complete {}: {}", documentName, e.getMessage());
            ApiException problem = problem(e);
            auditFailure(user, clientIp, problem, provider, keyId, documentName, digest);
            throw problem;
        } catch (ApiException e) {
            auditFailure(user, clientIp, e, provider, keyId, documentName, digest);
            throw e;
        }
    }

    private void auditFailure(
            CagateUser user,
            String clientIp,
            ApiException e,
            String provider,
            String keyId,
            String name,
            String digest) {
        audit.record(AuditEvent.failure(DOCUMENT_SIGNED, e.code().name())
                .actor(user.accountId(), user.displayName())
                .organization(user.organizationId())
                .provider(provider)
                .keyId(keyId)
                .clientIp(clientIp)
                .detail(detail(name, digest))
                .build());
    }

    private static String detail(String documentName, String digest) {
        String name = documentName == null ? "" : documentName.replaceAll("[\\r\\n\\t]", "_");
        if (name.length() > 120) {
            name = name.substring(0, 120) + "...";
        }
        return "文档 " + name + (digest == null ? "" : " " + digest);
    }

    private static boolean isSm2(X509Certificate leaf) {
        return org.cagate.pki.sign.Signer.algorithmFor(leaf.getPublicKey())
                == org.cagate.pki.SignatureAlgorithm.SM3_WITH_SM2;
    }

    @SuppressWarnings("unchecked")
    private static X509Certificate signerCertificate(byte[] cms) {
        try (ASN1InputStream in = new ASN1InputStream(cms)) {
            CMSSignedData signed = new CMSSignedData(ContentInfo.getInstance(in.readObject()));
            SignerInformation signer = signed.getSignerInfos().iterator().next();
            List<X509CertificateHolder> matches = new ArrayList<>(
                    signed.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID()));
            return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                    .generateCertificate(
                            new java.io.ByteArrayInputStream(matches.get(0).getEncoded()));
        } catch (IOException | CMSException | CertificateException | RuntimeException e) {
            throw new ApiException(ProblemCode.SIGNATURE_INVALID);
        }
    }

    ApiException problem(PdfException e) {
        return switch (e.reason()) {
            case PDF_TOO_LARGE -> PdfVerifyService.tooLarge(properties);
            case PDF_ENCRYPTED -> new ApiException(ProblemCode.PDF_ENCRYPTED);
            case PDF_DAMAGED -> new ApiException(ProblemCode.PDF_DAMAGED);
            case PDF_PLACEMENT -> ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.placement");
            case SEAL_INVALID -> ApiException.detail(ProblemCode.VALIDATION, "validation.pdf.seal");
            case SIGNATURE_MISMATCH -> new ApiException(ProblemCode.SIGNATURE_INVALID);
            case TIMESTAMP_UNAVAILABLE -> new ApiException(ProblemCode.TIMESTAMP_UNAVAILABLE);
        };
    }
}
