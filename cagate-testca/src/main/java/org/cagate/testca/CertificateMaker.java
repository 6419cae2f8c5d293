package org.cagate.testca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** One X.509 v3 certificate, signed by the issuer's key with the issuer's algorithm. */
final class CertificateMaker {
    private final KeyAlgorithm issuerAlgorithm;
    private final SecureRandom random;
    private X500Name subject;
    private X500Name issuerName;
    private KeyPair issuerKey;
    private X509Certificate issuerCertificate;
    private PublicKey publicKey;
    private Instant notBefore;
    private Instant notAfter;
    private Integer pathLength;
    private Integer keyUsage;
    private String crlUrl;
    private String ocspUrl;
    private final List<Object[]> extensions = new ArrayList<>();

    CertificateMaker(KeyAlgorithm issuerAlgorithm, SecureRandom random) {
        this.issuerAlgorithm = issuerAlgorithm;
        this.random = random;
    }

    CertificateMaker subject(X500Name subject) {
        this.subject = subject;
        return this;
    }

    CertificateMaker issuer(X500Name name, KeyPair key) {
        this.issuerName = name;
        this.issuerKey = key;
        return this;
    }

    CertificateMaker issuerCertificate(X509Certificate certificate) {
        this.issuerCertificate = certificate;
        return this;
    }

    CertificateMaker publicKey(PublicKey publicKey) {
        this.publicKey = publicKey;
        return this;
    }

    CertificateMaker validity(Instant notBefore, Instant notAfter) {
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        return this;
    }

    CertificateMaker ca(int pathLength) {
        this.pathLength = pathLength;
        return this;
    }

    /** Key usage bits of {@link KeyUsage}; null leaves the extension out. */
    CertificateMaker keyUsage(Integer bits) {
        this.keyUsage = bits;
        return this;
    }

    CertificateMaker crlUrl(String url) {
        this.crlUrl = url;
        return this;
    }

    CertificateMaker ocspUrl(String url) {
        this.ocspUrl = url;
        return this;
    }

    CertificateMaker extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        extensions.add(new Object[] {oid, critical, value});
        return this;
    }

    X509Certificate make() {
        try {
            BigInteger serial = new BigInteger(64, random).setBit(63);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuerName, serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    issuerCertificate != null
                            ? utils.createAuthorityKeyIdentifier(issuerCertificate)
                            : utils.createAuthorityKeyIdentifier(issuerKey.getPublic()));
            builder.addExtension(
                    Extension.basicConstraints,
                    true,
                    pathLength != null ? new BasicConstraints(pathLength) : new BasicConstraints(false));
            if (keyUsage != null) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            if (crlUrl != null) {
                GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
                DistributionPoint point = new DistributionPoint(new DistributionPointName(names), null, null);
                builder.addExtension(
                        Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {point}));
            }
            if (ocspUrl != null) {
                builder.addExtension(
                        Extension.authorityInfoAccess,
                        false,
                        new AuthorityInformationAccess(new AccessDescription(
                                AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl))));
            }
            for (Object[] e : extensions) {
                builder.addExtension((ASN1ObjectIdentifier) e[0], (Boolean) e[1], (ASN1Encodable) e[2]);
            }
            ContentSigner signer = signer(issuerAlgorithm, issuerKey);
            return new JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.PROVIDER)
                    .getCertificate(builder.build(signer));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make certificate for " + subject, e);
        }
    }

    static ContentSigner signer(KeyAlgorithm algorithm, KeyPair key) {
        try {
            return new JcaContentSignerBuilder(algorithm.signatureAlgorithm())
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(key.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + algorithm, e);
        }
    }

    static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
