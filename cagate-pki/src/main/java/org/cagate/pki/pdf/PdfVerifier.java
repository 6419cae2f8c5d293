package org.cagate.pki.pdf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.CertificateInspection;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.Reason;

/**
 * 验章: every signature of a PDF, each checked in the same steps.
 *
 * <ol>
 *   <li>Its /ByteRange is the whole file up to it but the /Contents hex string.
 *   <li>The CMS (one signer, its certificate carried) signs exactly those bytes.
 *   <li>Every revision after it ends with a later signature, or there is none.
 *   <li>The certificate chains (PKIX) to one of the providers' anchors, is valid now, may sign and is
 *       not revoked ({@link AssertionVerifier#inspect}).
 *   <li>A signature time-stamp (B-T), when present, covers this signature value and verifies with the
 *       certificate it carries.
 * </ol>
 */
public final class PdfVerifier {
    private final AssertionVerifier verifier;
    private final List<ProviderPolicy> providers;
    private final long maxBytes;

    public PdfVerifier(AssertionVerifier verifier, Collection<ProviderPolicy> providers, long maxBytes) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.providers = List.copyOf(providers);
        this.maxBytes = maxBytes;
    }

    /** @throws PdfException PDF_TOO_LARGE, PDF_ENCRYPTED, PDF_DAMAGED */
    public List<PdfSignatureReport> verify(byte[] pdf) throws PdfException {
        if (pdf.length > maxBytes) {
            throw new PdfException(
                    PdfException.Reason.PDF_TOO_LARGE, "PDF 文件超过 " + maxBytes / (1024 * 1024) + " MB，无法验章");
        }
        List<PDSignature> signatures;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            signatures = document.getSignatureDictionaries();
        } catch (InvalidPasswordException e) {
            throw new PdfException(PdfException.Reason.PDF_ENCRYPTED, "PDF 文件已加密，无法验章", e);
        } catch (IOException | RuntimeException e) {
            throw PdfSigner.damaged(e);
        }
        List<int[]> ranges = signatures.stream().map(PDSignature::getByteRange).toList();
        List<Integer> revisions = PdfBytes.revisionEnds(pdf);
        List<PdfSignatureReport> reports = new ArrayList<>();
        for (int i = 0; i < signatures.size(); i++) {
            reports.add(check(i + 1, signatures.get(i), pdf, ranges, revisions));
        }
        return reports;
    }

    @SuppressWarnings("unchecked")
    private PdfSignatureReport check(
            int index, PDSignature signature, byte[] pdf, List<int[]> ranges, List<Integer> revisions) {
        Instant claimed =
                signature.getSignDate() == null ? null : signature.getSignDate().toInstant();
        int[] range = signature.getByteRange();
        // 1. The byte range is the file but the /Contents hex string.
        if (!PdfBytes.wellFormedRange(pdf, range)) {
            return broken(index, claimed, "签名的字节范围无效", Coverage.of(range, pdf, ranges, revisions));
        }
        PdfSignatureReport.Coverage coverage = Coverage.of(range, pdf, ranges, revisions);
        // 2. The CMS signs exactly those bytes.
        byte[] content = PdfBytes.signedContent(pdf, range);
        SignerInformation signer;
        X509Certificate leaf;
        List<X509Certificate> carried = new ArrayList<>();
        boolean intact;
        String problem = null;
        try {
            // /Contents is the DER CMS followed by the placeholder's zeros: read the first object only.
            CMSSignedData cms;
            try (ASN1InputStream in = new ASN1InputStream(signature.getContents())) {
                cms = new CMSSignedData(new CMSProcessableByteArray(content), ContentInfo.getInstance(in.readObject()));
            }
            signer = cms.getSignerInfos().iterator().next();
            CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
            for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
                carried.add(
                        (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
            }
            Collection<X509CertificateHolder> matches =
                    cms.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
            if (matches.isEmpty()) {
                return broken(index, claimed, "签名中没有签章人的证书", coverage);
            }
            leaf = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(matches.iterator().next().getEncoded()));
            try {
                // With the key, not the certificate: Bouncy Castle would also refuse a certificate not valid
                // at signingTime, which is step 4's finding (CERT_EXPIRED), not a changed document.
                intact = signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(leaf.getPublicKey()));
            } catch (Exception e) {
                intact = false;
            }
            if (!intact) {
                problem = "签名后文档内容被修改，或签名已损坏";
            }
        } catch (Exception e) {
            return broken(index, claimed, "签名数据无法读取", coverage);
        }
        Instant signingTime = signingTime(signer, claimed);
        String algorithm = algorithm(signer);
        // 5. The time-stamp, when there is one, is over this signature value.
        Instant timestamp = timestamp(signer);
        // 4. The certificate, under the provider whose anchors it chains to.
        carried.remove(leaf);
        String provider = null;
        CertificateInspection inspection = null;
        for (ProviderPolicy policy : providers) {
            CertificateInspection found = verifier.inspect(leaf, carried, policy);
            if (inspection == null || !found.has(Reason.CERT_UNTRUSTED)) {
                inspection = found;
            }
            if (!found.has(Reason.CERT_UNTRUSTED)) {
                provider = policy.code();
                break;
            }
        }
        return new PdfSignatureReport(
                index,
                leaf.getSubjectX500Principal().getName(X500Principal.RFC2253),
                leaf.getIssuerX500Principal().getName(X500Principal.RFC2253),
                algorithm,
                signingTime,
                timestamp,
                intact,
                problem,
                coverage,
                provider,
                inspection);
    }

    private static Instant signingTime(SignerInformation signer, Instant claimed) {
        if (signer.getSignedAttributes() != null) {
            Attribute time = signer.getSignedAttributes().get(CMSAttributes.signingTime);
            if (time != null) {
                return Time.getInstance(time.getAttrValues().getObjectAt(0))
                        .getDate()
                        .toInstant();
            }
        }
        return claimed;
    }

    /** The time-stamp's time when it verifies and covers this signature value; null otherwise. */
    @SuppressWarnings("unchecked")
    static Instant timestamp(SignerInformation signer) {
        if (signer.getUnsignedAttributes() == null) {
            return null;
        }
        Attribute attribute = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        if (attribute == null) {
            return null;
        }
        try {
            TimeStampToken token = new TimeStampToken(
                    ContentInfo.getInstance(attribute.getAttrValues().getObjectAt(0)));
            String digest =
                    token.getTimeStampInfo().getHashAlgorithm().getAlgorithm().getId();
            byte[] imprint =
                    MessageDigest.getInstance(digest, BouncyCastle.provider()).digest(signer.getSignature());
            if (!Arrays.equals(imprint, token.getTimeStampInfo().getMessageImprintDigest())) {
                return null;
            }
            Collection<X509CertificateHolder> tsa = token.getCertificates().getMatches(token.getSID());
            if (tsa.isEmpty()) {
                return null;
            }
            token.validate(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.provider())
                    .build(tsa.iterator().next()));
            return token.getTimeStampInfo().getGenTime().toInstant();
        } catch (Exception e) {
            return null;
        }
    }

    /** The signature algorithm by cagate's names; RSA signers often name only rsaEncryption. */
    private static String algorithm(SignerInformation signer) {
        String oid = signer.getEncryptionAlgOID();
        String digest = signer.getDigestAlgOID();
        if (oid.equals("1.2.156.10197.1.501") || oid.equals("1.2.156.10197.1.301.1")) {
            return "SM3withSM2";
        }
        if (oid.equals("1.2.840.10045.4.3.2")
                || (oid.equals("1.2.840.10045.2.1") && digest.equals("2.16.840.1.101.3.4.2.1"))) {
            return "SHA256withECDSA";
        }
        if (oid.equals("1.2.840.113549.1.1.11")
                || (oid.equals("1.2.840.113549.1.1.1") && digest.equals("2.16.840.1.101.3.4.2.1"))) {
            return "SHA256withRSA";
        }
        return oid;
    }

    private static PdfSignatureReport broken(
            int index, Instant claimed, String problem, PdfSignatureReport.Coverage coverage) {
        return new PdfSignatureReport(index, null, null, null, claimed, null, false, problem, coverage, null, null);
    }

    /** Step 3: what was added after a signature. */
    static final class Coverage {
        private Coverage() {}

        static PdfSignatureReport.Coverage of(int[] range, byte[] pdf, List<int[]> all, List<Integer> revisions) {
            if (range == null || range.length != 4) {
                return PdfSignatureReport.Coverage.CHANGED_AFTER;
            }
            long end = (long) range[2] + range[3];
            if (end == pdf.length) {
                return PdfSignatureReport.Coverage.WHOLE_DOCUMENT;
            }
            for (int revision : revisions) {
                if (revision <= end + 2) {
                    continue;
                }
                boolean signed = all.stream()
                        .filter(r -> r != null && r.length == 4)
                        .anyMatch(r -> PdfBytes.sameEnd((int) ((long) r[2] + r[3]), revision));
                if (!signed) {
                    return PdfSignatureReport.Coverage.CHANGED_AFTER;
                }
            }
            boolean lastSigned = all.stream()
                    .filter(r -> r != null && r.length == 4)
                    .anyMatch(r -> (long) r[2] + r[3] == pdf.length);
            return lastSigned
                    ? PdfSignatureReport.Coverage.LATER_SIGNATURES_ONLY
                    : PdfSignatureReport.Coverage.CHANGED_AFTER;
        }
    }
}
