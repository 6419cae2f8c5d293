package org.cagate.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * CMS signatures (RFC 5652 5.1-5.6): a DER ContentInfo holding a detached SignedData over exactly the
 * challenge bytes, with one signer whose certificate is the given leaf or, when none is given, one carried
 * in the CMS. The structure is walked with {@link DerSlice} and each rule checked here, rather than with
 * BC's CMS classes: this one shape fits on a screen, each refusal names its reason, and BC's general
 * parsing cost more than an RSA signature check. The signature itself is the JCA's.
 */
final class CmsSignatures {

    /** The verified signer, the algorithm it signed with, and every certificate the CMS carried (chain candidates). */
    record Result(ParsedCertificate signer, SignatureAlgorithm algorithm, List<ParsedCertificate> carried) {}

    static final byte[] DATA = encoded(CMSObjectIdentifiers.data);
    private static final byte[] CONTENT_TYPE = encoded(CMSAttributes.contentType);
    private static final byte[] MESSAGE_DIGEST = encoded(CMSAttributes.messageDigest);
    private static final byte[] COUNTER_SIGNATURE = encoded(CMSAttributes.counterSignature);
    private static final byte[] ALGORITHM_PROTECTION = encoded(CMSAttributes.cmsAlgorithmProtect);
    /** ESS signing-certificate-v2: what the agent's document signatures (签章) carry and its login CMS never does. */
    private static final byte[] SIGNING_CERTIFICATE_V2 =
            encoded(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signingCertificateV2);

    private static final byte[] SHA256 = encoded(NISTObjectIdentifiers.id_sha256);
    private static final byte[] SM3 = encoded(GMObjectIdentifiers.sm3);

    private CmsSignatures() {}

    /** @param named the assertion's algorithm; null to take the one the SignerInfo names */
    static Result verify(
            SignatureAlgorithm named,
            ParsedCertificate givenLeaf,
            byte[] cms,
            byte[] content,
            CertificateCache certificates)
            throws PkiException {
        try {
            CmsStructure.SignedData data = CmsStructure.SignedData.read(cms);
            CmsStructure.Signer signer = CmsStructure.Signer.read(data.signerInfo());
            SignatureAlgorithm algorithm = named == null ? stated(signer) : named;
            if (!signer.digestAlgorithm().sameBytes(digestOid(algorithm))) {
                throw invalid("CMS digest algorithm does not fit " + algorithm);
            }
            if (!signatureOids(algorithm).stream().anyMatch(signer.signatureAlgorithm()::sameBytes)) {
                throw invalid("CMS signature algorithm does not fit " + algorithm);
            }
            List<ParsedCertificate> carried = carried(data.certificates(), certificates);
            ParsedCertificate signerCertificate = signerCertificate(signer.id(), givenLeaf, carried);
            byte[] signature = signer.signature().value();
            if (signer.signedAttributes() == null) {
                Signatures.verifyRaw(algorithm, signerCertificate, content, signature);
            } else {
                checkSignedAttributes(signer, algorithm, content);
                verifySignedAttributes(algorithm, signerCertificate, signer.signedAttributes(), signature);
            }
            return new Result(signerCertificate, algorithm, carried);
        } catch (DerSlice.MalformedException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "not a DER CMS SignedData: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Whatever a client sends is refused with a reason, never turned into a server error.
            throw new PkiException(Reason.SIGNATURE_INVALID, "CMS unreadable: " + e, e);
        }
    }

    /** The wire algorithm whose digest and signature OIDs the SignerInfo names (OpenSSL sends no other). */
    private static SignatureAlgorithm stated(CmsStructure.Signer signer) throws PkiException {
        for (SignatureAlgorithm candidate : SignatureAlgorithm.values()) {
            if (signer.digestAlgorithm().sameBytes(digestOid(candidate))
                    && signatureOids(candidate).stream().anyMatch(signer.signatureAlgorithm()::sameBytes)) {
                return candidate;
            }
        }
        throw invalid("CMS digest and signature algorithms are none of SHA256withRSA, SHA256withECDSA, SM3withSM2");
    }

    /**
     * Signed attributes need exactly one content-type (id-data) and one message-digest (the challenge's),
     * no counter-signature, no ESS signing-certificate-v2 (a document signature's), and, when RFC 6211 algorithm protection is present, the signer's algorithms.
     */
    private static void checkSignedAttributes(CmsStructure.Signer signer, SignatureAlgorithm algorithm, byte[] content)
            throws DerSlice.MalformedException, PkiException {
        int contentTypes = 0;
        int digests = 0;
        for (DerSlice attribute : signer.signedAttributes().children()) {
            List<DerSlice> typeAndValues =
                    CmsStructure.expect(attribute, DerSlice.SEQUENCE).children();
            if (typeAndValues.size() != 2) {
                throw invalid("CMS attribute is not a type and a set of values");
            }
            DerSlice type = CmsStructure.expect(typeAndValues.get(0), DerSlice.OID);
            List<DerSlice> values =
                    CmsStructure.expect(typeAndValues.get(1), DerSlice.SET).children();
            if (type.sameBytes(CONTENT_TYPE)) {
                contentTypes++;
                if (values.size() != 1 || !values.get(0).sameBytes(DATA)) {
                    throw invalid("CMS content-type attribute is not id-data");
                }
            } else if (type.sameBytes(MESSAGE_DIGEST)) {
                digests++;
                if (values.size() != 1
                        || !values.get(0).is(DerSlice.OCTET_STRING)
                        || !MessageDigest.isEqual(values.get(0).value(), digest(algorithm, content))) {
                    throw invalid("CMS message digest is not the challenge's: signed over other content");
                }
            } else if (type.sameBytes(COUNTER_SIGNATURE)) {
                throw invalid("CMS counter-signature among signed attributes");
            } else if (type.sameBytes(SIGNING_CERTIFICATE_V2)) {
                // A document signature over the challenge's digest (/v1/sign-document from another allowed
                // origin) must not pass as a login or bind assertion.
                throw invalid("CMS with signing-certificate-v2 is a document signature, not a challenge's");
            } else if (type.sameBytes(ALGORITHM_PROTECTION)) {
                checkProtection(values, signer);
            }
        }
        if (contentTypes != 1 || digests != 1) {
            throw invalid("CMS signed attributes need one content-type and one message-digest");
        }
    }

    /** CMSAlgorithmProtection { digestAlgorithm, [1] IMPLICIT signatureAlgorithm, [2] macAlgorithm }. */
    private static void checkProtection(List<DerSlice> values, CmsStructure.Signer signer)
            throws DerSlice.MalformedException, PkiException {
        if (values.size() != 1) {
            throw invalid("CMS algorithm protection has " + values.size() + " values");
        }
        List<DerSlice> fields =
                CmsStructure.expect(values.get(0), DerSlice.SEQUENCE).children();
        boolean digestMatches =
                !fields.isEmpty() && sameOid(CmsStructure.algorithmOid(fields.get(0)), signer.digestAlgorithm());
        DerSlice signature = fields.stream().filter(f -> f.is(0xa1)).findFirst().orElse(null);
        boolean signatureMatches = signature != null
                && !signature.children().isEmpty()
                && sameOid(CmsStructure.expect(signature.children().get(0), DerSlice.OID), signer.signatureAlgorithm());
        if (!digestMatches || !signatureMatches) {
            throw invalid("CMS algorithm protection does not match the signer's algorithms");
        }
    }

    /**
     * The signature covers the signed attributes as a SET. RFC 5652 says DER; a signer that sent them
     * unsorted signed either what it sent or their DER, so both are tried: as sent first (for a DER signer
     * that is the DER), re-sorted only when that fails.
     */
    private static void verifySignedAttributes(
            SignatureAlgorithm algorithm, ParsedCertificate signer, DerSlice attributes, byte[] signature)
            throws PkiException {
        byte[] asSent = attributes.encodedAs(DerSlice.SET);
        try {
            Signatures.verifyRaw(algorithm, signer, asSent, signature);
        } catch (PkiException asSentFailed) {
            byte[] der;
            try {
                der = ASN1Primitive.fromByteArray(asSent).getEncoded(ASN1Encoding.DER);
            } catch (IOException | RuntimeException e) {
                throw asSentFailed;
            }
            if (Arrays.equals(der, asSent)) {
                throw asSentFailed;
            }
            Signatures.verifyRaw(algorithm, signer, der, signature);
        }
    }

    private static List<ParsedCertificate> carried(DerSlice set, CertificateCache certificates)
            throws DerSlice.MalformedException, PkiException {
        List<ParsedCertificate> carried = new ArrayList<>();
        if (set == null) {
            return carried;
        }
        List<DerSlice> choices = set.children();
        if (choices.size() > Assertion.MAX_CHAIN + 1) {
            throw new PkiException(Reason.CERT_MALFORMED, "CMS carries " + choices.size() + " certificates");
        }
        for (DerSlice choice : choices) {
            if (choice.is(DerSlice.SEQUENCE)) { // other choices (attribute certificates...) are no chain
                carried.add(certificates.parse(choice.encoded()));
            }
        }
        return carried;
    }

    private static ParsedCertificate signerCertificate(
            DerSlice id, ParsedCertificate givenLeaf, List<ParsedCertificate> carried) throws PkiException {
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

    private static boolean matches(DerSlice id, ParsedCertificate certificate) {
        if (id.is(0x80)) {
            return certificate.subjectKeyId() != null
                    && id.sameValue(certificate.subjectKeyId())
                    && id.value().length == certificate.subjectKeyId().length;
        }
        // Signers copy issuer and serial from the certificate, so the bytes usually match; X.500 name
        // comparison (case, string types) only when they do not.
        if (id.sameBytes(certificate.issuerAndSerialEncoded())) {
            return true;
        }
        try {
            IssuerAndSerialNumber issuerSerial = IssuerAndSerialNumber.getInstance(id.encoded());
            return issuerSerial.getSerialNumber().hasValue(certificate.serialNumber())
                    && issuerSerial.getName().equals(certificate.issuer());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean sameOid(DerSlice one, DerSlice other) {
        return one.sameBytes(other.encoded());
    }

    private static byte[] digest(SignatureAlgorithm algorithm, byte[] content) {
        try {
            MessageDigest digest = algorithm == SignatureAlgorithm.SM3_WITH_SM2
                    ? MessageDigest.getInstance("SM3", BouncyCastle.provider())
                    : MessageDigest.getInstance("SHA-256");
            return digest.digest(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + algorithm.digest(), e);
        }
    }

    private static byte[] digestOid(SignatureAlgorithm algorithm) {
        return encoded(
                algorithm == SignatureAlgorithm.SM3_WITH_SM2
                        ? GMObjectIdentifiers.sm3
                        : NISTObjectIdentifiers.id_sha256);
    }

    /** How signers name the signature algorithm in a SignerInfo: the combined OID or the key's. */
    private static List<byte[]> signatureOids(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA256_WITH_RSA -> SIGNATURE_OIDS.get(0);
            case SHA256_WITH_ECDSA -> SIGNATURE_OIDS.get(1);
            case SM3_WITH_SM2 -> SIGNATURE_OIDS.get(2);
        };
    }

    private static final List<List<byte[]>> SIGNATURE_OIDS = List.of(
            List.of(
                    encoded(PKCSObjectIdentifiers.rsaEncryption),
                    encoded(PKCSObjectIdentifiers.sha256WithRSAEncryption)),
            List.of(encoded(X9ObjectIdentifiers.ecdsa_with_SHA256), encoded(X9ObjectIdentifiers.id_ecPublicKey)),
            List.of(encoded(GMObjectIdentifiers.sm2sign_with_sm3), encoded(GMObjectIdentifiers.sm2sign)));

    static byte[] encoded(ASN1Encodable oid) {
        try {
            return oid.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PkiException invalid(String detail) {
        return new PkiException(Reason.SIGNATURE_INVALID, detail);
    }
}
