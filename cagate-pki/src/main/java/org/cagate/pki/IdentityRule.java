package org.cagate.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * How a provider turns a certificate into the key id ("CA锁ID"). SPKI_SHA256 (the default) survives
 * certificate renewal on the same key; ISSUER_SERIAL changes with every certificate; SUBJECT_ATTRIBUTE
 * and EXTENSION read the holder's id that the CA company wrote into the certificate.
 *
 * <p>A certificate without the configured attribute or extension is {@link Reason#CERT_MALFORMED}: it
 * is not a certificate this provider issues for login, and the wire contract has no better code.
 */
public record IdentityRule(Source source, String oid) {

    public enum Source {
        /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo. */
        SPKI_SHA256,
        /** Upper-case hex serial number, "@", the issuer name as RFC 2253. */
        ISSUER_SERIAL,
        /** The value of one subject attribute, e.g. 2.5.4.5 (serialNumber). */
        SUBJECT_ATTRIBUTE,
        /** The string in one extension, e.g. the GM/T 0015 identity code 1.2.156.10260.4.1.1. */
        EXTENSION
    }

    public static final IdentityRule SPKI_SHA256 = new IdentityRule(Source.SPKI_SHA256, null);
    public static final IdentityRule ISSUER_SERIAL = new IdentityRule(Source.ISSUER_SERIAL, null);

    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

    public IdentityRule {
        Objects.requireNonNull(source, "source");
        boolean needsOid = source == Source.SUBJECT_ATTRIBUTE || source == Source.EXTENSION;
        if (needsOid && (oid == null || !OID.matcher(oid).matches() || oid.length() > 128)) {
            throw new IllegalArgumentException(source + " needs a dotted OID, got " + oid);
        }
        if (!needsOid && oid != null) {
            throw new IllegalArgumentException(source + " takes no OID");
        }
    }

    public static IdentityRule subjectAttribute(String oid) {
        return new IdentityRule(Source.SUBJECT_ATTRIBUTE, oid);
    }

    public static IdentityRule extension(String oid) {
        return new IdentityRule(Source.EXTENSION, oid);
    }

    public KeyId keyId(X509Certificate certificate) throws PkiException {
        String value = switch (source) {
            case SPKI_SHA256 -> spkiSha256(certificate);
            case ISSUER_SERIAL ->
                certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT) + "@"
                        + certificate.getIssuerX500Principal().getName();
            case SUBJECT_ATTRIBUTE -> subjectAttribute(certificate);
            case EXTENSION -> extension(certificate);
        };
        String trimmed = value.strip();
        if (trimmed.isEmpty() || trimmed.length() > KeyId.MAX_LENGTH || hasControlCharacter(trimmed)) {
            throw missing("an unusable " + this + " value");
        }
        return new KeyId(trimmed);
    }

    static String spkiSha256(X509Certificate certificate) {
        return HexFormat.of()
                .formatHex(Certificates.sha256(certificate.getPublicKey().getEncoded()));
    }

    private String subjectAttribute(X509Certificate certificate) throws PkiException {
        X500Name subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        ASN1ObjectIdentifier type = new ASN1ObjectIdentifier(oid);
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type)) {
                    values.add(string(atv.getValue()));
                }
            }
        }
        if (values.size() != 1) {
            // Two values would make the key id depend on which one we picked.
            throw missing(values.isEmpty() ? "no subject attribute " + oid : values.size() + " values of " + oid);
        }
        return values.get(0);
    }

    private String extension(X509Certificate certificate) throws PkiException {
        byte[] extnValue = certificate.getExtensionValue(oid);
        if (extnValue == null) {
            throw missing("no extension " + oid);
        }
        try {
            byte[] inner = ASN1OctetString.getInstance(extnValue).getOctets();
            return decodeExtension(ASN1Primitive.fromByteArray(inner));
        } catch (IOException | RuntimeException e) {
            throw new PkiException(Reason.CERT_MALFORMED, "extension " + oid + " is not a string", e);
        }
    }

    /**
     * UTF8String, PrintableString, IA5String, BMPString; an OCTET STRING holding one of those; or a
     * context-tagged choice of them, as GM/T 0015 IdentifyCode ([0] PrintableString, [1] UTF8String, [2]
     * PrintableString), tagged explicitly or implicitly.
     */
    static String decodeExtension(ASN1Primitive value) throws IOException {
        if (value instanceof DERUTF8String
                || value instanceof DERPrintableString
                || value instanceof DERIA5String
                || value instanceof DERBMPString) {
            return ((ASN1String) value).getString();
        }
        if (value instanceof ASN1OctetString octets) {
            ASN1Primitive wrapped = ASN1Primitive.fromByteArray(octets.getOctets());
            if (wrapped instanceof ASN1OctetString || wrapped instanceof ASN1TaggedObject) {
                throw new IOException("nested wrapper");
            }
            return decodeExtension(wrapped);
        }
        if (value instanceof ASN1TaggedObject tagged) {
            if (tagged.isExplicit()) {
                ASN1Primitive base = tagged.getExplicitBaseObject().toASN1Primitive();
                if (base instanceof ASN1TaggedObject || base instanceof ASN1OctetString) {
                    throw new IOException("nested wrapper");
                }
                return decodeExtension(base);
            }
            byte[] content = ASN1OctetString.getInstance(tagged, false).getOctets();
            return new String(content, StandardCharsets.UTF_8);
        }
        throw new IOException("unsupported type " + value.getClass().getSimpleName());
    }

    private static String string(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : value.toString();
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    private static PkiException missing(String detail) {
        return new PkiException(Reason.CERT_MALFORMED, detail);
    }

    @Override
    public String toString() {
        return oid == null ? source.name() : source + "(" + oid + ")";
    }
}
