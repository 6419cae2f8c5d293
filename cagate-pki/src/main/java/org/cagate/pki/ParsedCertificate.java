package org.cagate.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A certificate with what verification asks of it on every call worked out once: details and
 * fingerprint, key type, the key in the form its verifier wants, the names CMS signer ids compare with.
 */
final class ParsedCertificate {
    private static final ASN1ObjectIdentifier SM2_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.156.10197.1.301");

    private final X509Certificate certificate;
    private final CertificateDetails details;
    private final SignatureAlgorithm.KeyType keyType;
    private final PublicKey verificationKey;
    private final String spkiSha256;
    private final X500Name subject;
    private final X500Name issuer;
    private final byte[] issuerAndSerialEncoded;
    private final BigInteger serialNumber;
    private final byte[] subjectKeyId;
    private final byte[] authorityKeyId;

    ParsedCertificate(X509Certificate certificate) {
        this.certificate = certificate;
        this.details = CertificateDetails.of(certificate);
        PublicKey key = certificate.getPublicKey();
        this.keyType = keyType(key);
        this.verificationKey = keyType == SignatureAlgorithm.KeyType.RSA ? jdkRsaKey(key) : key;
        this.spkiSha256 = IdentityRule.spkiSha256(certificate);
        this.subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.issuer = X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded());
        this.serialNumber = certificate.getSerialNumber();
        this.subjectKeyId = subjectKeyId(certificate);
        this.authorityKeyId = authorityKeyId(certificate);
        this.issuerAndSerialEncoded = issuerAndSerial(issuer, serialNumber);
    }

    X509Certificate certificate() {
        return certificate;
    }

    CertificateDetails details() {
        return details;
    }

    SignatureAlgorithm.KeyType keyType() {
        return keyType;
    }

    PublicKey verificationKey() {
        return verificationKey;
    }

    String spkiSha256() {
        return spkiSha256;
    }

    X500Name subject() {
        return subject;
    }

    X500Name issuer() {
        return issuer;
    }

    /** DER IssuerAndSerialNumber, as a CMS signer id names this certificate. */
    byte[] issuerAndSerialEncoded() {
        return issuerAndSerialEncoded;
    }

    BigInteger serialNumber() {
        return serialNumber;
    }

    byte[] subjectKeyId() {
        return subjectKeyId;
    }

    /** The keyIdentifier of the AuthorityKeyIdentifier extension; null when absent or unreadable. */
    byte[] authorityKeyId() {
        return authorityKeyId;
    }

    static SignatureAlgorithm.KeyType keyType(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return SignatureAlgorithm.KeyType.RSA;
        }
        if (key instanceof ECPublicKey) {
            AlgorithmIdentifier algorithm =
                    SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
            boolean sm2 = SM2_PUBLIC_KEY.equals(algorithm.getAlgorithm())
                    || GMObjectIdentifiers.sm2p256v1.equals(algorithm.getParameters());
            return sm2 ? SignatureAlgorithm.KeyType.SM2 : SignatureAlgorithm.KeyType.EC;
        }
        return SignatureAlgorithm.KeyType.OTHER;
    }

    /** The JDK's RSA verifier translates foreign keys on every init; translating once saves that. */
    private static PublicKey jdkRsaKey(PublicKey key) {
        try {
            return (PublicKey) KeyFactory.getInstance("RSA").translateKey(key);
        } catch (GeneralSecurityException e) {
            return key;
        }
    }

    private static byte[] issuerAndSerial(X500Name issuer, BigInteger serial) {
        try {
            return new org.bouncycastle.asn1.cms.IssuerAndSerialNumber(issuer, serial).getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] subjectKeyId(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (value == null) {
            return null;
        }
        try {
            return SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(value).getOctets())
                    .getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] authorityKeyId(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (value == null) {
            return null;
        }
        try {
            return AuthorityKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(value).getOctets())
                    .getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
