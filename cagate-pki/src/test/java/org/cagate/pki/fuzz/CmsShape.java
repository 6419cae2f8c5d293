package org.cagate.pki.fuzz;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.Reason;
import org.cagate.pki.SignatureAlgorithm;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * A CMS SignedData built field by field, with each field right or wrong in a named way, and signed for
 * real, so the verifier's checks are reached in turn (envelope, algorithms, carried certificates, signer
 * id, each signed attribute, the signature) and the outcome can be predicted: {@link #expected()} is the
 * reason RFC 5652 and docs/decisions.md ("cagate-pki CMS") give, or null when the CMS must verify.
 */
record CmsShape(
        Samples.Pki pki,
        List<Attr> signedAttributes,
        Sid sid,
        Algorithm digest,
        Algorithm signature,
        Carried carried,
        boolean givenLeaf,
        boolean attachedContent,
        boolean otherContentType,
        boolean twoSigners,
        boolean counterSignatureUnsigned,
        boolean corruptSignature) {

    enum Attr {
        CONTENT_TYPE(true),
        CONTENT_TYPE_NOT_DATA(false),
        CONTENT_TYPE_TWO_VALUES(false),
        CONTENT_TYPE_NO_VALUE(false),
        DIGEST(true),
        DIGEST_OF_OTHER_CONTENT(false),
        DIGEST_NOT_OCTETS(false),
        DIGEST_TWO_VALUES(false),
        PROTECTION(true),
        PROTECTION_OTHER_DIGEST(false),
        PROTECTION_OTHER_SIGNATURE(false),
        PROTECTION_NOT_A_STRUCTURE(false),
        PROTECTION_NO_VALUE(false),
        COUNTER_SIGNATURE(false),
        SIGNING_TIME(true),
        UNKNOWN(true);

        final boolean acceptable;

        Attr(boolean acceptable) {
            this.acceptable = acceptable;
        }
    }

    enum Sid {
        ISSUER_SERIAL,
        KEY_ID,
        OTHER_SERIAL,
        OTHER_KEY_ID,
        OTHER_ISSUER
    }

    /** The algorithm the key's signature algorithm needs, named another accepted way, or another one. */
    enum Algorithm {
        RIGHT,
        ALTERNATIVE,
        WRONG
    }

    enum Carried {
        LEAF_AND_ISSUER,
        LEAF,
        ISSUER,
        NONE,
        NOT_A_CERTIFICATE,
        ATTRIBUTE_CERTIFICATE,
        TOO_MANY
    }

    static Gen<CmsShape> any() {
        Gen<Attr> attr = Generate.enumValues(Attr.class);
        Gen<List<Attr>> goodPlusExtra = Gens.list(attr, 0, 2).map(extra -> {
            List<Attr> all = new ArrayList<>(List.of(Attr.CONTENT_TYPE, Attr.DIGEST));
            all.addAll(extra);
            return all;
        });
        Gen<List<Attr>> attributes = Generate.frequency(
                Gens.weight(3, goodPlusExtra), Gens.weight(3, Gens.list(attr, 0, 5)), Gens.weight(1, Gens.just(null)));
        Gen<Sid> sid = Gens.mostly(Sid.class, Sid.ISSUER_SERIAL);
        Gen<Algorithm> algorithm = Gens.mostly(Algorithm.class, Algorithm.RIGHT);
        Gen<Carried> carried = Gens.mostly(Carried.class, Carried.LEAF_AND_ISSUER);
        Gen<Boolean> givenLeaf = Generate.booleans();
        Gen<Boolean> rarely = Gens.rarely();
        return in -> new CmsShape(
                Samples.pki().generate(in),
                attributes.generate(in),
                sid.generate(in),
                algorithm.generate(in),
                algorithm.generate(in),
                carried.generate(in),
                givenLeaf.generate(in),
                rarely.generate(in),
                rarely.generate(in),
                rarely.generate(in),
                rarely.generate(in),
                rarely.generate(in));
    }

    /**
     * The verifier's steps in its order: envelope (detached id-data, one signer), digest and signature
     * algorithm, carried certificates, the signer's certificate, the signed attributes, the signature.
     */
    Reason expected() {
        if (attachedContent
                || otherContentType
                || twoSigners
                || digest == Algorithm.WRONG
                || signature == Algorithm.WRONG) {
            return Reason.SIGNATURE_INVALID;
        }
        if (carried == Carried.NOT_A_CERTIFICATE || carried == Carried.TOO_MANY) {
            return Reason.CERT_MALFORMED;
        }
        boolean sidMatches = sid == Sid.ISSUER_SERIAL || sid == Sid.KEY_ID;
        if (givenLeaf && !sidMatches) {
            return Reason.SIGNATURE_INVALID;
        }
        boolean leafCarried = carried == Carried.LEAF_AND_ISSUER
                || carried == Carried.LEAF
                || carried == Carried.ATTRIBUTE_CERTIFICATE;
        if (!givenLeaf && !(sidMatches && leafCarried)) {
            return Reason.CERT_MALFORMED;
        }
        if (signedAttributes != null) {
            long contentTypes = signedAttributes.stream()
                    .filter(a -> a.name().startsWith("CONTENT_TYPE"))
                    .count();
            long digests = signedAttributes.stream()
                    .filter(a -> a.name().startsWith("DIGEST"))
                    .count();
            if (!signedAttributes.stream().allMatch(a -> a.acceptable) || contentTypes != 1 || digests != 1) {
                return Reason.SIGNATURE_INVALID;
            }
        }
        return corruptSignature ? Reason.SIGNATURE_INVALID : null;
    }

    /** The DER ContentInfo. */
    byte[] encode() {
        try {
            X509Certificate leaf = pki.user().certificate();
            AlgorithmIdentifier digestId = digestId(digest);
            AlgorithmIdentifier signatureId = signatureId(signature);
            ASN1Set signed = signedAttributes == null ? null : new DERSet(vector(attributes(digestId, signatureId)));
            byte[] toSign = signed == null ? pki.challenge() : signed.getEncoded(ASN1Encoding.DER);
            byte[] value = sign(toSign);
            if (corruptSignature) {
                value[value.length / 2] ^= 0x10;
            }
            ASN1Set unsigned = counterSignatureUnsigned ? new DERSet(counterSignature()) : null;
            SignerInfo signer =
                    new SignerInfo(signerId(leaf), digestId, signed, signatureId, new DEROctetString(value), unsigned);
            ASN1EncodableVector signers = new ASN1EncodableVector();
            signers.add(signer);
            if (twoSigners) {
                signers.add(signer);
            }
            ContentInfo content = new ContentInfo(
                    otherContentType ? CMSObjectIdentifiers.signedData : CMSObjectIdentifiers.data,
                    attachedContent ? new DEROctetString(pki.challenge()) : null);
            SignedData data = new SignedData(new DERSet(digestId), content, certificates(), null, new DERSet(signers));
            return new ContentInfo(CMSObjectIdentifiers.signedData, data).getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Attribute> attributes(AlgorithmIdentifier digestId, AlgorithmIdentifier signatureId)
            throws GeneralSecurityException {
        byte[] right = digestOf(pki.challenge());
        byte[] other = digestOf(new byte[] {1, 2, 3});
        List<Attribute> attributes = new ArrayList<>();
        for (Attr attr : signedAttributes) {
            attributes.add(
                    switch (attr) {
                        case CONTENT_TYPE -> attribute(CMSAttributes.contentType, CMSObjectIdentifiers.data);
                        case CONTENT_TYPE_NOT_DATA ->
                            attribute(CMSAttributes.contentType, CMSObjectIdentifiers.signedData);
                        case CONTENT_TYPE_TWO_VALUES ->
                            attribute(
                                    CMSAttributes.contentType,
                                    CMSObjectIdentifiers.data,
                                    CMSObjectIdentifiers.envelopedData);
                        case CONTENT_TYPE_NO_VALUE -> attribute(CMSAttributes.contentType);
                        case DIGEST -> attribute(CMSAttributes.messageDigest, new DEROctetString(right));
                        case DIGEST_OF_OTHER_CONTENT ->
                            attribute(CMSAttributes.messageDigest, new DEROctetString(other));
                        case DIGEST_NOT_OCTETS ->
                            attribute(CMSAttributes.messageDigest, new ASN1Integer(new BigInteger(1, right)));
                        case DIGEST_TWO_VALUES ->
                            attribute(
                                    CMSAttributes.messageDigest, new DEROctetString(right), new DEROctetString(other));
                        case PROTECTION -> protection(digestId, signatureId);
                        case PROTECTION_OTHER_DIGEST ->
                            protection(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384), signatureId);
                        case PROTECTION_OTHER_SIGNATURE -> protection(digestId, signatureId(Algorithm.WRONG));
                        case PROTECTION_NOT_A_STRUCTURE ->
                            attribute(CMSAttributes.cmsAlgorithmProtect, new ASN1Integer(1));
                        case PROTECTION_NO_VALUE -> attribute(CMSAttributes.cmsAlgorithmProtect);
                        case COUNTER_SIGNATURE -> counterSignature();
                        case SIGNING_TIME -> attribute(CMSAttributes.signingTime, new Time(Date.from(Samples.NOW)));
                        case UNKNOWN ->
                            attribute(new ASN1ObjectIdentifier("1.2.156.10260.4.1.99"), new DERUTF8String("西子"));
                    });
        }
        return attributes;
    }

    private SignerIdentifier signerId(X509Certificate leaf) throws IOException {
        X500Name issuer = X500Name.getInstance(leaf.getIssuerX500Principal().getEncoded());
        byte[] keyId = SubjectKeyIdentifier.fromExtensions(
                        new org.bouncycastle.cert.X509CertificateHolder(pki.leafDer()).getExtensions())
                .getKeyIdentifier();
        return switch (sid) {
            case ISSUER_SERIAL -> new SignerIdentifier(new IssuerAndSerialNumber(issuer, leaf.getSerialNumber()));
            case KEY_ID -> new SignerIdentifier(new DEROctetString(keyId));
            case OTHER_SERIAL ->
                new SignerIdentifier(
                        new IssuerAndSerialNumber(issuer, leaf.getSerialNumber().add(BigInteger.ONE)));
            case OTHER_KEY_ID -> new SignerIdentifier(new DEROctetString(new byte[20]));
            case OTHER_ISSUER ->
                new SignerIdentifier(new IssuerAndSerialNumber(new X500Name("CN=西子,O=别的CA"), leaf.getSerialNumber()));
        };
    }

    private ASN1Set certificates() throws IOException {
        byte[] leaf = pki.leafDer();
        byte[] issuer = pki.intermediateDer();
        List<ASN1Encodable> certificates = new ArrayList<>();
        switch (carried) {
            case LEAF_AND_ISSUER -> {
                certificates.add(ASN1Primitive.fromByteArray(leaf));
                certificates.add(ASN1Primitive.fromByteArray(issuer));
            }
            case LEAF -> certificates.add(ASN1Primitive.fromByteArray(leaf));
            case ISSUER -> certificates.add(ASN1Primitive.fromByteArray(issuer));
            case NONE -> {
                return null;
            }
            case NOT_A_CERTIFICATE -> {
                certificates.add(ASN1Primitive.fromByteArray(leaf));
                certificates.add(new org.bouncycastle.asn1.DERSequence(new ASN1Integer(7)));
            }
            case ATTRIBUTE_CERTIFICATE -> {
                certificates.add(ASN1Primitive.fromByteArray(leaf));
                certificates.add(new DERTaggedObject(false, 2, new org.bouncycastle.asn1.DERSequence()));
            }
            case TOO_MANY -> {
                for (int i = 0; i < 10; i++) {
                    certificates.add(ASN1Primitive.fromByteArray(i == 0 ? leaf : issuer));
                }
            }
        }
        return new DERSet(certificates.toArray(new ASN1Encodable[0]));
    }

    private Attribute counterSignature() {
        return attribute(CMSAttributes.counterSignature, new DEROctetString(new byte[] {1, 2, 3}));
    }

    private AlgorithmIdentifier digestId(Algorithm which) {
        boolean sm2 = pki.algorithm() == SignatureAlgorithm.SM3_WITH_SM2;
        return switch (which) {
            case RIGHT, ALTERNATIVE ->
                new AlgorithmIdentifier(sm2 ? GMObjectIdentifiers.sm3 : NISTObjectIdentifiers.id_sha256);
            case WRONG -> new AlgorithmIdentifier(sm2 ? NISTObjectIdentifiers.id_sha256 : OIWObjectIdentifiers.idSHA1);
        };
    }

    private AlgorithmIdentifier signatureId(Algorithm which) {
        return switch (pki.algorithm()) {
            case SHA256_WITH_RSA ->
                switch (which) {
                    case RIGHT ->
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
                    case ALTERNATIVE -> new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
                    case WRONG ->
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.sha1WithRSAEncryption, DERNull.INSTANCE);
                };
            case SHA256_WITH_ECDSA ->
                new AlgorithmIdentifier(
                        switch (which) {
                            case RIGHT -> X9ObjectIdentifiers.ecdsa_with_SHA256;
                            case ALTERNATIVE -> X9ObjectIdentifiers.id_ecPublicKey;
                            case WRONG -> X9ObjectIdentifiers.ecdsa_with_SHA384;
                        });
            case SM3_WITH_SM2 ->
                new AlgorithmIdentifier(
                        switch (which) {
                            case RIGHT -> GMObjectIdentifiers.sm2sign_with_sm3;
                            case ALTERNATIVE -> GMObjectIdentifiers.sm2sign;
                            case WRONG -> GMObjectIdentifiers.sm2sign_with_sha256;
                        });
        };
    }

    private byte[] sign(byte[] data) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(pki.algorithm().wireName(), BouncyCastle.provider());
        signer.initSign(pki.user().keyPair().getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private byte[] digestOf(byte[] data) throws GeneralSecurityException {
        return pki.algorithm() == SignatureAlgorithm.SM3_WITH_SM2
                ? MessageDigest.getInstance("SM3", BouncyCastle.provider()).digest(data)
                : MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static Attribute protection(AlgorithmIdentifier digestId, AlgorithmIdentifier signatureId) {
        return attribute(
                CMSAttributes.cmsAlgorithmProtect,
                new CMSAlgorithmProtection(digestId, CMSAlgorithmProtection.SIGNATURE, signatureId));
    }

    private static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable... values) {
        return new Attribute(type, new DERSet(values));
    }

    private static ASN1EncodableVector vector(List<? extends ASN1Encodable> items) {
        ASN1EncodableVector vector = new ASN1EncodableVector();
        items.forEach(vector::add);
        return vector;
    }

    @Override
    public String toString() {
        return "CmsShape[" + pki.policy().code() + ", attributes " + signedAttributes + ", sid " + sid + ", digest "
                + digest
                + ", signature " + signature + ", carried " + carried + ", givenLeaf " + givenLeaf + ", attached "
                + attachedContent + ", otherContentType " + otherContentType + ", twoSigners " + twoSigners
                + ", unsignedCounterSignature " + counterSignatureUnsigned + ", corrupt " + corruptSignature + "]";
    }
}
