package org.cagate.pki;

import java.util.List;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

/**
 * The fields of a CMS SignedData and its one SignerInfo (RFC 5652 5.1-5.3), located as {@link DerSlice}s
 * in order, with nothing missing, repeated or left over. What the fields must say is {@link
 * CmsSignatures}'s business.
 */
final class CmsStructure {
    private static final byte[] SIGNED_DATA = CmsSignatures.encoded(CMSObjectIdentifiers.signedData);

    private CmsStructure() {}

    /** ContentInfo { signedData, [0] SignedData { version, digestAlgorithms, encap, [0] certs, [1] crls, signerInfos } }. */
    record SignedData(DerSlice certificates, DerSlice signerInfo) {
        static SignedData read(byte[] cms) throws DerSlice.MalformedException, PkiException {
            DerSlice info = DerSlice.of(cms);
            List<DerSlice> envelope = expect(info, DerSlice.SEQUENCE).children();
            if (envelope.size() != 2
                    || !envelope.get(0).sameBytes(SIGNED_DATA)
                    || !envelope.get(1).is(0xa0)) {
                throw CmsSignatures.invalid("CMS content type is not signedData");
            }
            List<DerSlice> wrapped = envelope.get(1).children();
            if (wrapped.size() != 1) {
                throw CmsSignatures.invalid("CMS [0] content is not one SignedData");
            }
            List<DerSlice> fields = expect(wrapped.get(0), DerSlice.SEQUENCE).children();
            if (fields.size() < 4) {
                throw CmsSignatures.invalid("CMS SignedData is missing fields");
            }
            expect(fields.get(0), DerSlice.INTEGER);
            expect(fields.get(1), DerSlice.SET);
            List<DerSlice> encapsulated =
                    expect(fields.get(2), DerSlice.SEQUENCE).children();
            if (encapsulated.isEmpty() || !encapsulated.get(0).sameBytes(CmsSignatures.DATA)) {
                throw CmsSignatures.invalid("CMS eContentType is not id-data");
            }
            if (encapsulated.size() != 1) {
                throw CmsSignatures.invalid("CMS carries its content; the wire contract wants it detached");
            }
            DerSlice certificates = null;
            int next = 3;
            if (next < fields.size() && fields.get(next).is(0xa0)) {
                certificates = fields.get(next++);
            }
            if (next < fields.size() && fields.get(next).is(0xa1)) {
                next++; // CRLs: revocation is the provider's policy, not the signer's
            }
            if (next != fields.size() - 1) {
                throw CmsSignatures.invalid("CMS SignedData fields out of order");
            }
            List<DerSlice> signers = expect(fields.get(next), DerSlice.SET).children();
            if (signers.size() != 1) {
                throw CmsSignatures.invalid("CMS has " + signers.size() + " signers, expected one");
            }
            return new SignedData(certificates, signers.get(0));
        }
    }

    /** SignerInfo { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsigned }. */
    record Signer(
            DerSlice id,
            DerSlice digestAlgorithm,
            DerSlice signedAttributes,
            DerSlice signatureAlgorithm,
            DerSlice signature) {
        static Signer read(DerSlice signerInfo) throws DerSlice.MalformedException, PkiException {
            List<DerSlice> fields = expect(signerInfo, DerSlice.SEQUENCE).children();
            if (fields.size() < 5 || fields.size() > 7) {
                throw CmsSignatures.invalid("CMS SignerInfo has " + fields.size() + " fields");
            }
            expect(fields.get(0), DerSlice.INTEGER);
            DerSlice id = fields.get(1);
            if (!id.is(DerSlice.SEQUENCE) && !id.is(0x80)) {
                throw CmsSignatures.invalid("CMS signer id is neither issuer/serial nor a key identifier");
            }
            DerSlice digest = algorithmOid(fields.get(2));
            int next = 3;
            DerSlice attributes = fields.get(next).is(0xa0) ? fields.get(next++) : null;
            if (fields.size() - next < 2) {
                throw CmsSignatures.invalid("CMS SignerInfo is missing fields");
            }
            DerSlice signatureAlgorithm = algorithmOid(fields.get(next++));
            DerSlice signature = expect(fields.get(next++), DerSlice.OCTET_STRING);
            if (next < fields.size() && !fields.get(next++).is(0xa1)) {
                throw CmsSignatures.invalid("CMS SignerInfo fields out of order");
            }
            if (next != fields.size()) {
                throw CmsSignatures.invalid("CMS SignerInfo fields out of order");
            }
            return new Signer(id, digest, attributes, signatureAlgorithm, signature);
        }
    }

    /** AlgorithmIdentifier { algorithm OID, parameters }: the OID. */
    static DerSlice algorithmOid(DerSlice algorithmIdentifier) throws DerSlice.MalformedException, PkiException {
        List<DerSlice> fields = expect(algorithmIdentifier, DerSlice.SEQUENCE).children();
        if (fields.isEmpty() || fields.size() > 2) {
            throw CmsSignatures.invalid("CMS algorithm identifier malformed");
        }
        return expect(fields.get(0), DerSlice.OID);
    }

    static DerSlice expect(DerSlice slice, int tag) throws PkiException {
        if (!slice.is(tag)) {
            throw CmsSignatures.invalid("CMS element with tag " + Integer.toHexString(slice.tag()) + " where "
                    + Integer.toHexString(tag) + " belongs");
        }
        return slice;
    }
}
