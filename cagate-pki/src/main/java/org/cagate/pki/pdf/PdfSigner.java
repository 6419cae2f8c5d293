package org.cagate.pki.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.Objects;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Selector;
import org.cagate.pki.BouncyCastle;

/**
 * PAdES signing in two halves, because the key is on the user's PC: {@link #prepare} adds an empty
 * signature (with the seal as its visible appearance) in an incremental update and gives the digests
 * of the byte range; the agent signs one of them (CMS, {@code Signer.signDigest}); {@link #complete}
 * checks that CMS against the prepared bytes and puts it into the placeholder. Earlier signatures stay
 * valid: nothing before the new revision changes. Apache PDFBox external signing.
 */
public final class PdfSigner {
    /** Room for the DER CMS: three certificates, the signature and a time-stamp token fit in 16 KiB. */
    public static final int SIGNATURE_BYTES = 32 * 1024;

    private final Clock clock;
    private final long maxBytes;

    /** @param maxBytes the largest PDF accepted for signing */
    public PdfSigner(Clock clock, long maxBytes) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * @param seal a PNG or JPEG, drawn into {@code placement}; null for an invisible signature
     * @throws PdfException PDF_TOO_LARGE, PDF_ENCRYPTED, PDF_DAMAGED, PDF_PLACEMENT, SEAL_INVALID
     */
    public PreparedPdf prepare(byte[] pdf, SealPlacement placement, byte[] seal, String reason) throws PdfException {
        Objects.requireNonNull(pdf, "pdf");
        if (pdf.length > maxBytes) {
            throw new PdfException(
                    PdfException.Reason.PDF_TOO_LARGE, "PDF 文件超过 " + maxBytes / (1024 * 1024) + " MB，无法签章");
        }
        try (PDDocument document = open(pdf);
                SignatureOptions options = new SignatureOptions()) {
            if (document.isEncrypted()) {
                throw encrypted(null);
            }
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
            signature.setSignDate(now());
            if (reason != null) {
                signature.setReason(reason);
            }
            options.setPreferredSignatureSize(SIGNATURE_BYTES);
            if (seal != null) {
                Objects.requireNonNull(placement, "placement");
                if (placement.page() > document.getNumberOfPages()) {
                    throw new PdfException(
                            PdfException.Reason.PDF_PLACEMENT,
                            "文档只有 " + document.getNumberOfPages() + " 页，无法在第 " + placement.page() + " 页盖章");
                }
                options.setVisualSignature(SealAppearance.template(document, placement, seal));
                options.setPage(placement.page() - 1);
            }
            document.addSignature(signature, options);
            ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 2 * SIGNATURE_BYTES + 16 * 1024);
            ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
            byte[] content = external.getContent().readAllBytes();
            external.setSignature(new byte[0]); // the placeholder stays zeros until complete()
            byte[] prepared = out.toByteArray();
            return new PreparedPdf(
                    prepared, signature.getByteRange(), digest("SHA-256", content), digest("SM3", content));
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    /**
     * The CMS (DER, detached) must sign exactly the prepared byte range: its messageDigest is checked
     * against the range and its signature against the certificate it carries.
     *
     * @throws PdfException SIGNATURE_MISMATCH when it does not
     */
    public byte[] complete(PreparedPdf prepared, byte[] cms) throws PdfException {
        return complete(prepared, cms, null);
    }

    /**
     * As {@link #complete(PreparedPdf, byte[])}, and PAdES B-T when {@code stamper} is given: the
     * signer's signature value is time-stamped and the token added as the unsigned attribute
     * signature-time-stamp (RFC 3161 appendix A), which leaves the signature as the key made it.
     *
     * @throws PdfException TIMESTAMP_UNAVAILABLE when the TSA does not answer with a valid token
     */
    public byte[] complete(PreparedPdf prepared, byte[] cms, TimeStamper stamper) throws PdfException {
        verifies(prepared.signedContent(), cms);
        if (stamper != null) {
            cms = withTimeStamp(cms, stamper);
        }
        int[] range = prepared.byteRange();
        int room = range[2] - range[1] - 2;
        String hex = HexFormat.of().withUpperCase().formatHex(cms);
        if (hex.length() > room) {
            throw mismatch("the CMS has " + cms.length + " bytes, the placeholder room for " + room / 2, null);
        }
        byte[] signed = Arrays.copyOf(prepared.bytes(), prepared.bytes().length);
        byte[] ascii = hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, signed, range[1] + 1, ascii.length);
        return signed;
    }

    private static byte[] withTimeStamp(byte[] cms, TimeStamper stamper) throws PdfException {
        try {
            CMSSignedData signed = new CMSSignedData(cms);
            SignerInformation signer = signed.getSignerInfos().iterator().next();
            byte[] token = stamper.timeStamp(signer.getSignature());
            org.bouncycastle.asn1.ASN1Primitive tokenObject = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(token);
            org.bouncycastle.asn1.cms.AttributeTable unsigned = signer.getUnsignedAttributes() == null
                    ? new org.bouncycastle.asn1.cms.AttributeTable(new org.bouncycastle.asn1.ASN1EncodableVector())
                    : signer.getUnsignedAttributes();
            unsigned = unsigned.add(
                    org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signatureTimeStampToken, tokenObject);
            SignerInformation stamped = SignerInformation.replaceUnsignedAttributes(signer, unsigned);
            return CMSSignedData.replaceSigners(signed, new org.bouncycastle.cms.SignerInformationStore(stamped))
                    .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (CMSException | IOException | RuntimeException e) {
            throw new PdfException(
                    PdfException.Reason.TIMESTAMP_UNAVAILABLE,
                    "时间戳服务暂时无法使用，请稍后重试（" + stamper.url().getHost() + "）",
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    static void verifies(byte[] content, byte[] cms) throws PdfException {
        try {
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), cms);
            if (signed.getSignerInfos().size() != 1) {
                throw mismatch("the CMS has " + signed.getSignerInfos().size() + " signers, not one", null);
            }
            SignerInformation signer = signed.getSignerInfos().iterator().next();
            var matches = signed.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
            if (matches.isEmpty()) {
                throw mismatch("the CMS does not carry its signer's certificate", null);
            }
            X509CertificateHolder certificate = matches.iterator().next();
            // With the key, not the certificate: whether the certificate is valid is the caller's check
            // (CERT_EXPIRED), not a mismatch between the CMS and the document.
            java.security.PublicKey key = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.provider())
                    .getCertificate(certificate)
                    .getPublicKey();
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.provider())
                    .build(key))) {
                throw mismatch("the CMS signature does not verify", null);
            }
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw mismatch("the CMS does not sign this document: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw mismatch("the CMS cannot be read", e);
        }
    }

    private static PDDocument open(byte[] pdf) throws PdfException {
        try {
            return Loader.loadPDF(pdf);
        } catch (InvalidPasswordException e) {
            throw encrypted(e);
        } catch (IOException | RuntimeException e) {
            throw damaged(e);
        }
    }

    private Calendar now() {
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTimeInMillis(clock.millis());
        return calendar;
    }

    static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm, BouncyCastle.provider()).digest(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " missing from Bouncy Castle", e);
        }
    }

    private static PdfException encrypted(Exception cause) {
        return new PdfException(PdfException.Reason.PDF_ENCRYPTED, "PDF 文件已加密（设有密码或权限保护），无法签章，请先解除保护后再上传", cause);
    }

    static PdfException damaged(Exception cause) {
        return new PdfException(PdfException.Reason.PDF_DAMAGED, "PDF 文件已损坏或不是 PDF 文件，无法打开", cause);
    }

    private static PdfException mismatch(String detail, Exception cause) {
        return new PdfException(PdfException.Reason.SIGNATURE_MISMATCH, "签名与文档不符：" + detail, cause);
    }
}
