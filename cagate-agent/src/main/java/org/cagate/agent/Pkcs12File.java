package org.cagate.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.cagate.pki.BouncyCastle;

/**
 * One PKCS#12 file read bag by bag (RFC 7292) rather than through a KeyStore, so that every variant
 * other tools write can be read: certificates encrypted or not (OpenSSL {@code -certpbe NONE}), PBES2 /
 * AES-256 with a SHA-256 MAC (OpenSSL 3 defaults), 3DES and RC2-40 (Windows exports, OpenSSL
 * {@code -legacy}), no MAC at all ({@code -nomac}), any friendlyName, several certificates beside one
 * key. A KeyStore cannot list a file's plain certificates without its password, and refuses a password
 * for a file without a MAC.
 */
final class Pkcs12File {
    /** The certificates readable without the password, and whether more are encrypted with it. */
    record Public(List<X509Certificate> certificates, boolean encryptedCertificates) {}

    /** A private key with its localKeyId (null when the file gives none). */
    record Key(PrivateKey key, byte[] localKeyId) {}

    /** Everything in the file once the password opened it; {@code certificateKeyIds} parallel {@code certificates}. */
    record Opened(List<Key> keys, List<X509Certificate> certificates, List<byte[]> certificateKeyIds) {}

    /** The password does not open the file: the MAC does not verify, or (no MAC) a key does not decrypt. */
    static final class WrongPassword extends Exception {
        WrongPassword(String message) {
            super(message);
        }
    }

    private final PKCS12PfxPdu pfx;

    private Pkcs12File(PKCS12PfxPdu pfx) {
        this.pfx = pfx;
    }

    /** @throws IOException when the bytes are not a PKCS#12 PFX */
    static Pkcs12File parse(byte[] der) throws IOException {
        try {
            return new Pkcs12File(new PKCS12PfxPdu(der));
        } catch (RuntimeException e) {
            throw new IOException("not a PKCS#12 file: " + e.getMessage(), e);
        }
    }

    /** The certificates in plain (id-data) safe contents; encrypted ones are only counted. */
    Public withoutPassword() throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        List<byte[]> keyIds = new ArrayList<>();
        boolean encrypted = false;
        for (ContentInfo info : pfx.getContentInfos()) {
            if (info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)) {
                encrypted = true;
                continue;
            }
            for (PKCS12SafeBag bag : new PKCS12SafeBagFactory(info).getSafeBags()) {
                collectCertificate(bag, certificates, keyIds);
            }
        }
        return new Public(userCertificates(certificates, keyIds), encrypted);
    }

    /** Checks the MAC when there is one, then decrypts everything. */
    Opened open(char[] password) throws WrongPassword, IOException {
        try {
            if (pfx.hasMac()
                    && !pfx.isMacValid(
                            new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), password)) {
                throw new WrongPassword("MAC does not verify");
            }
        } catch (PKCSException e) {
            throw new IOException("cannot check the MAC: " + e.getMessage(), e);
        }
        InputDecryptorProvider decryptor;
        try {
            decryptor = new JcePKCSPBEInputDecryptorProviderBuilder()
                    .setProvider(BouncyCastle.provider())
                    .build(password);
        } catch (RuntimeException e) {
            throw new IOException(e);
        }
        List<Key> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        List<byte[]> keyIds = new ArrayList<>();
        for (ContentInfo info : pfx.getContentInfos()) {
            PKCS12SafeBag[] bags;
            try {
                bags = info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)
                        ? new PKCS12SafeBagFactory(info, decryptor).getSafeBags()
                        : new PKCS12SafeBagFactory(info).getSafeBags();
            } catch (PKCSException | RuntimeException e) {
                // Without a MAC a wrong password shows only here: the padding or the content is garbage.
                throw new WrongPassword("certificates do not decrypt: " + e.getMessage());
            }
            for (PKCS12SafeBag bag : bags) {
                if (bag.getType().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)) {
                    keys.add(new Key(decryptKey(bag, decryptor), localKeyId(bag)));
                } else if (bag.getType().equals(PKCSObjectIdentifiers.keyBag)) {
                    keys.add(new Key(
                            key((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) bag.getBagValue()), localKeyId(bag)));
                } else {
                    collectCertificate(bag, certificates, keyIds);
                }
            }
        }
        return new Opened(keys, certificates, keyIds);
    }

    /** The certificates that go with the key: the same localKeyId, else (no ids) every user certificate. */
    static List<X509Certificate> certificatesOf(Key key, Opened opened) {
        List<X509Certificate> matching = new ArrayList<>();
        for (int i = 0; i < opened.certificates().size(); i++) {
            byte[] id = opened.certificateKeyIds().get(i);
            if (key.localKeyId() != null && id != null && Arrays.equals(id, key.localKeyId())) {
                matching.add(opened.certificates().get(i));
            }
        }
        if (matching.isEmpty()) {
            opened.certificates().stream().filter(c -> !Certificates.isCa(c)).forEach(matching::add);
        }
        return matching;
    }

    private static PrivateKey decryptKey(PKCS12SafeBag bag, InputDecryptorProvider decryptor)
            throws WrongPassword, IOException {
        try {
            PKCS8EncryptedPrivateKeyInfo encrypted = (PKCS8EncryptedPrivateKeyInfo) bag.getBagValue();
            return key(encrypted.decryptPrivateKeyInfo(decryptor));
        } catch (PKCSException | RuntimeException e) {
            throw new WrongPassword("key does not decrypt: " + e.getMessage());
        }
    }

    private static PrivateKey key(org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) throws IOException {
        return new JcaPEMKeyConverter().setProvider(BouncyCastle.provider()).getPrivateKey(info);
    }

    private static void collectCertificate(PKCS12SafeBag bag, List<X509Certificate> certificates, List<byte[]> keyIds)
            throws IOException {
        if (!bag.getType().equals(PKCSObjectIdentifiers.certBag)) {
            return; // CRL bags, secret bags, nested safe contents: nothing a signature needs
        }
        // Bouncy Castle hands X.509 certificate bags out as holders; SDSI certificates are no use here.
        if (!(bag.getBagValue() instanceof X509CertificateHolder holder)) {
            return;
        }
        try {
            byte[] der = holder.getEncoded();
            certificates.add((X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                    .generateCertificate(new ByteArrayInputStream(der)));
            keyIds.add(localKeyId(bag));
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable certificate: " + e.getMessage(), e);
        }
    }

    /** The user certificates that name a key (localKeyId), else every user certificate; CA ones are left out. */
    private static List<X509Certificate> userCertificates(List<X509Certificate> certificates, List<byte[]> keyIds) {
        List<X509Certificate> withKey = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            if (keyIds.get(i) != null && !Certificates.isCa(certificates.get(i))) {
                withKey.add(certificates.get(i));
            }
        }
        if (!withKey.isEmpty()) {
            return withKey;
        }
        return certificates.stream().filter(c -> !Certificates.isCa(c)).toList();
    }

    private static byte[] localKeyId(PKCS12SafeBag bag) {
        Attribute[] attributes = bag.getAttributes();
        if (attributes == null) {
            return null;
        }
        for (Attribute attribute : attributes) {
            if (attribute.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_localKeyId)) {
                ASN1Encodable[] values = attribute.getAttributeValues();
                return values.length == 0
                        ? null
                        : ASN1OctetString.getInstance(values[0]).getOctets();
            }
        }
        return null;
    }
}
