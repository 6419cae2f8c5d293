package org.cagate.testca;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text for certificates, CRLs and PKCS#8 keys, read and written with Bouncy Castle (so SM2 works). */
public final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private Pem() {}

    public static String of(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return of("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String crl(X509CRL crl) {
        try {
            return of("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unencrypted PKCS#8 ("PRIVATE KEY"). */
    public static String privateKey(PrivateKey key) {
        return of("PRIVATE KEY", key.getEncoded());
    }

    /** The DER contents of every block of the given type, in order. */
    public static List<byte[]> blocks(String text, String type) {
        List<byte[]> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                found.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return found;
    }

    public static List<X509Certificate> certificates(String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks(text, "CERTIFICATE")) {
            certificates.add(certificate(der));
        }
        return certificates;
    }

    public static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 certificate", e);
        }
    }

    /** Reads a PKCS#8 key of the given algorithm (RSA or EC, SM2 included). */
    public static PrivateKey privateKey(String text, KeyAlgorithm algorithm) {
        List<byte[]> keys = blocks(text, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw new IllegalArgumentException("expected one PRIVATE KEY block, found " + keys.size());
        }
        try {
            return KeyFactory.getInstance(algorithm == KeyAlgorithm.RSA_2048 ? "RSA" : "EC", BouncyCastle.PROVIDER)
                    .generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a " + algorithm + " PKCS#8 key", e);
        }
    }
}
