package org.cagate.pki.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.SignatureAlgorithm;

/**
 * CMS SignedData over a digest the caller computed (PAdES: the PDF's byte range), for
 * {@link Signer#signDigest(byte[])}. The signed attributes are fixed here, not taken from Bouncy
 * Castle's generator, whose messageDigest would be the digest of the (absent) content.
 */
final class DigestCms {
    private static final Provider BC = BouncyCastle.provider();

    private DigestCms() {}

    static byte[] sign(Signer signer, SignatureAlgorithm algorithm, byte[] digest) throws SigningException {
        if (digest.length != 32) {
            throw new SigningException("a " + algorithm.digest() + " digest has 32 bytes, not " + digest.length, null);
        }
        X509Certificate certificate = signer.certificate();
        CMSSignedData signed;
        try {
            AttributeTable attributes = attributes(signer, digest);
            JcaContentSignerBuilder builder =
                    new JcaContentSignerBuilder(algorithm.wireName()).setProvider(signer.keyProvider());
            if (signer.random() != null) {
                builder.setSecureRandom(signer.random());
            }
            ContentSigner contentSigner = builder.build(signer.key());
            JcaSignerInfoGeneratorBuilder signerInfo = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build());
            signerInfo.setSignedAttributeGenerator(parameters -> attributes);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo.build(contentSigner, certificate));
            List<X509Certificate> certificates = new ArrayList<>();
            certificates.add(certificate);
            certificates.addAll(signer.chainCertificates());
            generator.addCertificates(new JcaCertStore(certificates));
            signed = generator.generate(new CMSAbsentContent(), false);
        } catch (OperatorCreationException | CMSException | GeneralSecurityException | RuntimeException e) {
            throw new SigningException("the key did not sign (CMS " + algorithm.wireName() + " over a digest)", e);
        }
        check(signed, algorithm, certificate);
        try {
            return signed.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new SigningException("cannot encode the CMS signature", e);
        }
    }

    private static AttributeTable attributes(Signer signer, byte[] digest) throws GeneralSecurityException {
        X509Certificate certificate = signer.certificate();
        Hashtable<Object, Attribute> table = new Hashtable<>();
        table.put(
                CMSAttributes.contentType,
                new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.data)));
        table.put(
                CMSAttributes.messageDigest,
                new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString(digest))));
        table.put(
                CMSAttributes.signingTime,
                new Attribute(
                        CMSAttributes.signingTime,
                        new DERSet(new Time(Date.from(signer.clock().instant())))));
        byte[] hash = MessageDigest.getInstance("SHA-256", BC).digest(certificate.getEncoded());
        IssuerSerial issuerSerial = new IssuerSerial(
                new GeneralNames(new GeneralName(X500Name.getInstance(
                        certificate.getIssuerX500Principal().getEncoded()))),
                new BigInteger(1, certificate.getSerialNumber().toByteArray()));
        ESSCertIDv2 id = new ESSCertIDv2(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256), hash, issuerSerial);
        table.put(
                PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                new Attribute(
                        PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                        new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {id}))));
        return new AttributeTable(table);
    }

    /** The signature over the signed attributes checks with the certificate's key. */
    private static void check(CMSSignedData signed, SignatureAlgorithm algorithm, X509Certificate certificate)
            throws SigningException {
        try {
            SignerInformation info =
                    signed.getSignerInfos().getSigners().iterator().next();
            Signature verifier = Signature.getInstance(algorithm.wireName(), BC);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(info.getEncodedSignedAttributes());
            if (!verifier.verify(info.getSignature())) {
                throw new SigningException("the key does not belong to the certificate", null);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new SigningException("cannot check the CMS signature against the certificate", e);
        }
    }
}
