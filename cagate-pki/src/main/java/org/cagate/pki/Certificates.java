package org.cagate.pki;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * Reads X.509 certificates with the Bouncy Castle provider (the JDK cannot parse SM2 certificates).
 * Anything that is not exactly one certificate, including truncated, trailing or oversized input, is a
 * {@link Reason#CERT_MALFORMED}.
 */
public final class Certificates {
    /** Real user and CA certificates are 1-4 KiB; anything near this is not a certificate. */
    public static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    /** A trust-anchor bundle of an operator's provider: a handful of roots and intermediates. */
    public static final int MAX_BUNDLE_CHARS = 1024 * 1024;

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

    /**
     * Fingerprints by certificate object (weak keys compare by identity): the verifier asks for the same
     * issuer's fingerprint on every login, and hashing its DER each time would cost more than the lookup.
     */
    private static final Cache<X509Certificate, String> FINGERPRINTS = Caffeine.newBuilder()
            .executor(Runnable::run)
            .weakKeys()
            .maximumSize(10_000)
            .build();

    private Certificates() {}

    /** One certificate, DER or one PEM block. */
    public static X509Certificate parse(byte[] derOrPem) throws PkiException {
        if (derOrPem == null || derOrPem.length == 0) {
            throw malformed("empty");
        }
        if (isPem(derOrPem)) {
            List<X509Certificate> all = parsePemBundle(new String(derOrPem, StandardCharsets.US_ASCII));
            if (all.size() != 1) {
                throw malformed("expected one PEM certificate, found " + all.size());
            }
            return all.get(0);
        }
        return parseDer(derOrPem);
    }

    /** One certificate as standard base64 of its DER (the wire contract's "certificate" field). */
    public static X509Certificate parseBase64(String base64) throws PkiException {
        return parseDer(decodeBase64(base64));
    }

    /** Every CERTIFICATE block of a PEM text, in order; text between blocks is ignored. */
    public static List<X509Certificate> parsePemBundle(String pem) throws PkiException {
        if (pem == null || pem.isBlank()) {
            throw malformed("empty PEM");
        }
        if (pem.length() > MAX_BUNDLE_CHARS) {
            throw malformed("PEM text of " + pem.length() + " characters");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher matcher = PEM_BLOCK.matcher(pem);
        while (matcher.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(matcher.group(1));
            } catch (IllegalArgumentException e) {
                throw malformed("PEM block " + (certificates.size() + 1) + " is not base64");
            }
            certificates.add(parseDer(der));
        }
        if (certificates.isEmpty()) {
            throw malformed("no " + BEGIN + " block");
        }
        return certificates;
    }

    /** Lower-case hex SHA-256 of the DER encoding: the fingerprint operators compare. */
    public static String sha256Hex(X509Certificate certificate) {
        return FINGERPRINTS.get(certificate, c -> HexFormat.of().formatHex(sha256(der(c))));
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate cannot be encoded", e);
        }
    }

    public static String toPem(X509Certificate certificate) {
        return BEGIN + "\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(certificate))
                + "\n-----END CERTIFICATE-----\n";
    }

    static X509Certificate parseDer(byte[] der) throws PkiException {
        if (der == null || der.length == 0) {
            throw malformed("empty");
        }
        if (der.length > MAX_CERTIFICATE_BYTES) {
            throw malformed(der.length + " bytes");
        }
        try {
            // fromByteArray refuses trailing data and lengths that run past the input.
            ASN1Primitive asn1 = ASN1Primitive.fromByteArray(der);
            X509CertificateHolder holder =
                    new X509CertificateHolder(org.bouncycastle.asn1.x509.Certificate.getInstance(asn1));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.provider())
                    .getCertificate(holder);
            // BC reads the key and some extension values only when asked, and then answers null or throws
            // (a path length beyond int); such a certificate, or one whose validity ends before it starts,
            // would fail every later use (key id, CertificateDetails, trust anchors), so it is refused here.
            if (certificate.getPublicKey() == null) {
                throw malformed("public key unreadable");
            }
            if (certificate.getNotAfter().before(certificate.getNotBefore())) {
                throw malformed("validity ends before it starts");
            }
            certificate.getBasicConstraints();
            certificate.getKeyUsage();
            return certificate;
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PkiException(Reason.CERT_MALFORMED, "not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    static byte[] decodeBase64(String base64) throws PkiException {
        if (base64 == null || base64.isEmpty()) {
            throw malformed("empty base64");
        }
        if (base64.length() > MAX_CERTIFICATE_BYTES * 4 / 3 + 4) {
            throw malformed("base64 of " + base64.length() + " characters");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw malformed("not base64");
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** DER starts with a SEQUENCE tag (0x30); PEM with "-----BEGIN", maybe after white space. */
    private static boolean isPem(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 128), StandardCharsets.US_ASCII);
        return head.strip().startsWith("-----BEGIN");
    }

    private static PkiException malformed(String detail) {
        return new PkiException(Reason.CERT_MALFORMED, detail);
    }
}
