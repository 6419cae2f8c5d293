package org.cagate.pki;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * CMS signatures (RFC 5652): a ContentInfo holding a detached SignedData over exactly the challenge bytes,
 * with one signer whose certificate is the given leaf or, when none is given, one carried in the CMS.
 */
final class CmsSignatures {

    /** The verified signer, and every certificate the CMS carried (chain candidates). */
    record Result(ParsedCertificate signer, List<ParsedCertificate> carried) {}

    // Read-only after construction, so shared; building them per call costs more than the signature math.
    private static final DefaultCMSSignatureAlgorithmNameGenerator NAMES =
            new DefaultCMSSignatureAlgorithmNameGenerator();
    private static final DefaultSignatureAlgorithmIdentifierFinder FINDER =
            new DefaultSignatureAlgorithmIdentifierFinder();
    private static final DigestCalculatorProvider BC_DIGESTS = digests(true);
    private static final DigestCalculatorProvider JDK_DIGESTS = digests(false);

    private CmsSignatures() {}

    static Result verify(
            SignatureAlgorithm algorithm,
            ParsedCertificate givenLeaf,
            byte[] cms,
            byte[] content,
            CertificateCache certificates)
            throws PkiException {
        CMSSignedData signed = parseDetached(cms, content);
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw invalid("CMS has " + signers.size() + " signers, expected one");
        }
        SignerInformation signer = signers.iterator().next();
        if (!digestOid(algorithm).equals(signer.getDigestAlgorithmID().getAlgorithm())) {
            throw invalid("CMS digest " + signer.getDigestAlgOID() + " does not fit " + algorithm);
        }
        List<ParsedCertificate> carried = carried(signed, certificates);
        ParsedCertificate signerCertificate = signerCertificate(signer.getSID(), givenLeaf, carried);
        Signatures.requireFit(algorithm, signerCertificate);
        boolean valid;
        try {
            valid = signer.verify(verifier(algorithm, signerCertificate));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            // Includes a message-digest attribute that does not match the challenge.
            throw new PkiException(Reason.SIGNATURE_INVALID, "CMS signature does not verify: " + e.getMessage(), e);
        }
        if (!valid) {
            throw invalid("CMS signature does not verify over the challenge");
        }
        return new Result(signerCertificate, carried);
    }

    /** One per signer key, kept with its parsed certificate: it holds no per-call state. */
    private static SignerInformationVerifier verifier(SignatureAlgorithm algorithm, ParsedCertificate signer)
            throws OperatorCreationException {
        SignerInformationVerifier cached = signer.cmsVerifier();
        if (cached != null) {
            return cached;
        }
        SignerInformationVerifier verifier = new SignerInformationVerifier(
                NAMES,
                FINDER,
                new CmsContentVerifiers(algorithm, signer.verificationKey()),
                algorithm.provider() != null ? BC_DIGESTS : JDK_DIGESTS);
        signer.cmsVerifier(verifier);
        return verifier;
    }

    private static DigestCalculatorProvider digests(boolean bouncyCastle) {
        try {
            JcaDigestCalculatorProviderBuilder builder = new JcaDigestCalculatorProviderBuilder();
            return bouncyCastle ? builder.setProvider(BouncyCastle.provider()).build() : builder.build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CMSSignedData parseDetached(byte[] cms, byte[] content) throws PkiException {
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cms));
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                throw invalid("CMS content type " + info.getContentType() + " is not signedData");
            }
            SignedData data = SignedData.getInstance(info.getContent());
            if (data.getEncapContentInfo().getContent() != null) {
                throw invalid("CMS carries its content; the wire contract wants it detached");
            }
            if (!CMSObjectIdentifiers.data.equals(data.getEncapContentInfo().getContentType())) {
                throw invalid("CMS eContentType is not id-data");
            }
            return new CMSSignedData(new CMSProcessableByteArray(content), info);
        } catch (IOException | CMSException | RuntimeException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "not a CMS SignedData: " + e.getMessage(), e);
        }
    }

    /** The certificates' own encodings, looked up in the cache: no certificate is parsed twice. */
    private static List<ParsedCertificate> carried(CMSSignedData signed, CertificateCache certificates)
            throws PkiException {
        List<ParsedCertificate> carried = new ArrayList<>();
        ASN1Set set =
                SignedData.getInstance(signed.toASN1Structure().getContent()).getCertificates();
        if (set == null) {
            return carried;
        }
        if (set.size() > Assertion.MAX_CHAIN + 1) {
            throw new PkiException(Reason.CERT_MALFORMED, "CMS carries " + set.size() + " certificates");
        }
        for (ASN1Encodable element : set) {
            if (!(element.toASN1Primitive() instanceof ASN1Sequence)) {
                continue; // an attribute certificate or another choice: not a chain candidate
            }
            try {
                carried.add(certificates.parse(element.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
            } catch (IOException e) {
                throw new PkiException(Reason.CERT_MALFORMED, "CMS certificate unreadable", e);
            }
        }
        return carried;
    }

    private static ParsedCertificate signerCertificate(
            SignerId id, ParsedCertificate givenLeaf, List<ParsedCertificate> carried) throws PkiException {
        if (givenLeaf != null) {
            if (!matches(id, givenLeaf)) {
                throw invalid("CMS is signed by another certificate than the assertion's");
            }
            return givenLeaf;
        }
        for (ParsedCertificate candidate : carried) {
            if (matches(id, candidate)) {
                return candidate;
            }
        }
        throw new PkiException(Reason.CERT_MALFORMED, "no certificate given and none in the CMS matches its signer");
    }

    private static boolean matches(SignerId id, ParsedCertificate certificate) {
        if (id.getIssuer() != null && id.getSerialNumber() != null) {
            return id.getIssuer().equals(certificate.issuer())
                    && id.getSerialNumber().equals(certificate.serialNumber());
        }
        return id.getSubjectKeyIdentifier() != null
                && certificate.subjectKeyId() != null
                && Arrays.equals(id.getSubjectKeyIdentifier(), certificate.subjectKeyId());
    }

    private static ASN1ObjectIdentifier digestOid(SignatureAlgorithm algorithm) {
        return algorithm == SignatureAlgorithm.SM3_WITH_SM2 ? GMObjectIdentifiers.sm3 : NISTObjectIdentifiers.id_sha256;
    }

    private static PkiException invalid(String detail) {
        return new PkiException(Reason.SIGNATURE_INVALID, detail);
    }
}
