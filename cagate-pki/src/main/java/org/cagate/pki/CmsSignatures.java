package org.cagate.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * CMS signatures (RFC 5652 5.4-5.6): a ContentInfo holding a detached SignedData over exactly the challenge
 * bytes, with one signer whose certificate is the given leaf or, when none is given, one carried in the
 * CMS. Checked by hand rather than with BC's {@code SignerInformation}: the rules for this one shape fit
 * on a screen, each refusal names its reason, and BC's general path (re-parsing, attribute tables,
 * signing-time lookups) cost more than an RSA signature check.
 */
final class CmsSignatures {

    /** The verified signer, and every certificate the CMS carried (chain candidates). */
    record Result(ParsedCertificate signer, List<ParsedCertificate> carried) {}

    private CmsSignatures() {}

    static Result verify(
            SignatureAlgorithm algorithm,
            ParsedCertificate givenLeaf,
            byte[] cms,
            byte[] content,
            CertificateCache certificates)
            throws PkiException {
        SignedData data = parseDetached(cms);
        if (data.getSignerInfos().size() != 1) {
            throw invalid("CMS has " + data.getSignerInfos().size() + " signers, expected one");
        }
        SignerInfo signer;
        try {
            signer = SignerInfo.getInstance(data.getSignerInfos().getObjectAt(0));
        } catch (RuntimeException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "CMS signer info unreadable", e);
        }
        if (!digestOid(algorithm).equals(signer.getDigestAlgorithm().getAlgorithm())) {
            throw invalid("CMS digest " + signer.getDigestAlgorithm().getAlgorithm() + " does not fit " + algorithm);
        }
        if (!signatureOids(algorithm)
                .contains(signer.getDigestEncryptionAlgorithm().getAlgorithm())) {
            throw invalid("CMS signature algorithm "
                    + signer.getDigestEncryptionAlgorithm().getAlgorithm() + " does not fit " + algorithm);
        }
        List<ParsedCertificate> carried = carried(data, certificates);
        ParsedCertificate signerCertificate = signerCertificate(signer.getSID(), givenLeaf, carried);
        byte[] signed = signedBytes(signer, algorithm, content);
        byte[] signature = signer.getEncryptedDigest().getOctets();
        try {
            Signatures.verifyRaw(algorithm, signerCertificate, signed, signature);
        } catch (PkiException asSentFailed) {
            byte[] der = derSignedAttributes(signer);
            if (der == null || Arrays.equals(der, signed)) {
                throw asSentFailed;
            }
            Signatures.verifyRaw(algorithm, signerCertificate, der, signature);
        }
        return new Result(signerCertificate, carried);
    }

    /** The signed attributes re-encoded as DER (sorted), when there are any. */
    private static byte[] derSignedAttributes(SignerInfo signer) throws PkiException {
        try {
            ASN1Set attributes = signer.getAuthenticatedAttributes();
            return attributes == null ? null : attributes.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "CMS signed attributes unreadable", e);
        }
    }

    /**
     * With signed attributes (the usual case), the signature covers their encoding as a SET, and they must
     * say the content is id-data with exactly the challenge's digest; without them, it covers the content.
     * RFC 5652 says DER; a signer that sent them unsorted signed either what it sent or their DER, so the
     * caller tries both (as sent first: for a DER signer that is the DER, and needs no re-sorting).
     */
    private static byte[] signedBytes(SignerInfo signer, SignatureAlgorithm algorithm, byte[] content)
            throws PkiException {
        ASN1Set attributes = signer.getAuthenticatedAttributes();
        if (attributes == null) {
            return content;
        }
        int contentTypes = 0;
        int digests = 0;
        try {
            for (ASN1Encodable element : attributes) {
                ASN1Sequence attribute = ASN1Sequence.getInstance(element);
                if (attribute.size() != 2) {
                    throw invalid("CMS attribute is not a type and a set of values");
                }
                ASN1ObjectIdentifier type = ASN1ObjectIdentifier.getInstance(attribute.getObjectAt(0));
                ASN1Set values = ASN1Set.getInstance(attribute.getObjectAt(1));
                if (type.equals(CMSAttributes.contentType)) {
                    contentTypes++;
                    if (values.size() != 1 || !CMSObjectIdentifiers.data.equals(values.getObjectAt(0))) {
                        throw invalid("CMS content-type attribute is not id-data");
                    }
                } else if (type.equals(CMSAttributes.messageDigest)) {
                    digests++;
                    if (values.size() != 1
                            || !MessageDigest.isEqual(
                                    digest(algorithm, content),
                                    ASN1OctetString.getInstance(values.getObjectAt(0))
                                            .getOctets())) {
                        throw invalid("CMS message digest is not the challenge's: signed over other content");
                    }
                } else if (type.equals(CMSAttributes.counterSignature)) {
                    throw invalid("CMS counter-signature among signed attributes");
                } else if (type.equals(CMSAttributes.cmsAlgorithmProtect)) {
                    checkProtection(values, signer);
                }
            }
            if (contentTypes != 1 || digests != 1) {
                throw invalid("CMS signed attributes need one content-type and one message-digest");
            }
            return attributes.getEncoded(ASN1Encoding.DL);
        } catch (IOException | RuntimeException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "CMS signed attributes unreadable", e);
        }
    }

    /** RFC 6211: when present, the protected algorithms must be the signer's. */
    private static void checkProtection(ASN1Set values, SignerInfo signer) throws PkiException {
        CMSAlgorithmProtection protection = CMSAlgorithmProtection.getInstance(values.getObjectAt(0));
        if (values.size() != 1
                || !protection.getDigestAlgorithm().equals(signer.getDigestAlgorithm())
                || !sameAlgorithm(protection.getSignatureAlgorithm(), signer.getDigestEncryptionAlgorithm())) {
            throw invalid("CMS algorithm protection does not match the signer's algorithms");
        }
    }

    private static SignedData parseDetached(byte[] cms) throws PkiException {
        try {
            ContentInfo info = ContentInfo.getInstance(readLazily(cms));
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
            return data;
        } catch (IOException | RuntimeException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "not a CMS SignedData: " + e.getMessage(), e);
        }
    }

    /**
     * The whole input must be one BER/DER object. Lazily: the certificates inside stay unparsed bytes until
     * the certificate cache needs them, which for a returning key is never.
     */
    private static ASN1Primitive readLazily(byte[] der) throws IOException {
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            ASN1Primitive object = in.readObject();
            if (object == null || in.available() != 0) {
                throw new IOException("not exactly one DER object");
            }
            return object;
        }
    }

    private static List<ParsedCertificate> carried(SignedData data, CertificateCache certificates) throws PkiException {
        List<ParsedCertificate> carried = new ArrayList<>();
        ASN1Set set = data.getCertificates();
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
                // The bytes as sent (a certificate's signature covers them), not a re-encoding.
                carried.add(certificates.parse(element.toASN1Primitive().getEncoded()));
            } catch (IOException e) {
                throw new PkiException(Reason.CERT_MALFORMED, "CMS certificate unreadable", e);
            }
        }
        return carried;
    }

    private static ParsedCertificate signerCertificate(
            SignerIdentifier id, ParsedCertificate givenLeaf, List<ParsedCertificate> carried) throws PkiException {
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

    private static boolean matches(SignerIdentifier id, ParsedCertificate certificate) {
        try {
            if (id.isTagged()) {
                byte[] keyId = ASN1OctetString.getInstance(id.getId()).getOctets();
                return certificate.subjectKeyId() != null && Arrays.equals(keyId, certificate.subjectKeyId());
            }
            if (Arrays.equals(id.getId().toASN1Primitive().getEncoded(), certificate.issuerAndSerialEncoded())) {
                return true;
            }
            IssuerAndSerialNumber issuerSerial = IssuerAndSerialNumber.getInstance(id.getId());
            if (!issuerSerial.getSerialNumber().hasValue(certificate.serialNumber())) {
                return false;
            }
            // Signers copy issuer and serial from the certificate, so the bytes usually match (above); X.500
            // name comparison (case, string types) only when they do not.
            return issuerSerial.getName().equals(certificate.issuer());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] digest(SignatureAlgorithm algorithm, byte[] content) throws PkiException {
        try {
            MessageDigest digest = algorithm == SignatureAlgorithm.SM3_WITH_SM2
                    ? MessageDigest.getInstance("SM3", BouncyCastle.provider())
                    : MessageDigest.getInstance("SHA-256");
            return digest.digest(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + algorithm.digest(), e);
        }
    }

    private static boolean sameAlgorithm(AlgorithmIdentifier protectedOne, AlgorithmIdentifier signers) {
        return protectedOne != null && protectedOne.getAlgorithm().equals(signers.getAlgorithm());
    }

    private static ASN1ObjectIdentifier digestOid(SignatureAlgorithm algorithm) {
        return algorithm == SignatureAlgorithm.SM3_WITH_SM2 ? GMObjectIdentifiers.sm3 : NISTObjectIdentifiers.id_sha256;
    }

    /** How signers name the signature algorithm in a SignerInfo: the combined OID or the key's. */
    private static Set<ASN1ObjectIdentifier> signatureOids(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256_WITH_RSA ->
                Set.of(PKCSObjectIdentifiers.rsaEncryption, PKCSObjectIdentifiers.sha256WithRSAEncryption);
            case SHA256_WITH_ECDSA -> Set.of(X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.id_ecPublicKey);
            case SM3_WITH_SM2 -> Set.of(GMObjectIdentifiers.sm2sign_with_sm3, GMObjectIdentifiers.sm2sign);
        };
    }

    private static PkiException invalid(String detail) {
        return new PkiException(Reason.SIGNATURE_INVALID, detail);
    }
}
