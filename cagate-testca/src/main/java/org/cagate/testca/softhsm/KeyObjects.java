package org.cagate.testca.softhsm;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.cagate.testca.Credential;

/** What goes into a token: which keys SoftHSM2 takes, the CKA_ID and CKA_LABEL of each object. */
final class KeyObjects {
    private KeyObjects() {}

    static byte[] supportedKey(Credential credential) {
        byte[] encoded = credential.keyPair().getPrivate().getEncoded();
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (algorithm.equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption)) {
            return encoded;
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Object curve = info.getPrivateKeyAlgorithm().getParameters();
            if (curve instanceof ASN1ObjectIdentifier oid && NISTNamedCurves.getName(oid) != null) {
                return encoded;
            }
            throw new IllegalArgumentException("SoftHSM2 2.6.1 takes EC keys on NIST curves only (no SM2): " + curve);
        }
        throw new IllegalArgumentException("SoftHSM2 tokens here take RSA and EC keys, not " + algorithm);
    }

    static byte[] keyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(extension).getOctets())
                    .getKeyIdentifier();
        }
        try {
            return java.security.MessageDigest.getInstance("SHA-1")
                    .digest(certificate.getPublicKey().getEncoded());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String commonName(X509Certificate certificate) {
        org.bouncycastle.asn1.x500.X500Name name = org.bouncycastle.asn1.x500.X500Name.getInstance(
                certificate.getSubjectX500Principal().getEncoded());
        var rdns = name.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        return rdns.length > 0
                ? org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(
                        rdns[0].getFirst().getValue())
                : "CA";
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
