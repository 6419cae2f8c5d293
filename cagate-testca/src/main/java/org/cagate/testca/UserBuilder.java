package org.cagate.testca;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A user certificate of a test CA. Defaults: a fresh key of the CA's algorithm, valid from a day ago for
 * a year, key usage digitalSignature + nonRepudiation.
 */
public final class UserBuilder {
    /** GM/T 0015 identity code extension, as Chinese CA companies put the holder's id in certificates. */
    public static final String GMT_0015_IDENTITY_CODE = "1.2.156.10260.4.1.1";

    private final TestCa ca;
    private final String commonName;
    private String organization;
    private String serialNumberAttribute;
    private KeyAlgorithm keyAlgorithm;
    private KeyPair keyPair;
    private Instant notBefore;
    private Instant notAfter;
    private Integer keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    private String crlUrl;
    private String ocspUrl;
    private boolean defaultUrls = true;
    private final List<Object[]> extensions = new ArrayList<>();

    UserBuilder(TestCa ca, String commonName) {
        this.ca = ca;
        this.commonName = Objects.requireNonNull(commonName, "commonName");
    }

    /** Subject O=, e.g. "培训省西子贸易集团". */
    public UserBuilder organization(String organization) {
        this.organization = organization;
        return this;
    }

    /** Subject serialNumber (2.5.4.5), where some CA companies put the holder's id. */
    public UserBuilder subjectSerialNumber(String value) {
        this.serialNumberAttribute = value;
        return this;
    }

    /** The user's key type; by default the CA's own. */
    public UserBuilder keyAlgorithm(KeyAlgorithm algorithm) {
        this.keyAlgorithm = algorithm;
        return this;
    }

    /** Certify an existing key, e.g. to renew the certificate of a key that is already bound. */
    public UserBuilder keyPair(KeyPair keyPair) {
        this.keyPair = keyPair;
        return this;
    }

    public UserBuilder notBefore(Instant notBefore) {
        this.notBefore = notBefore;
        return this;
    }

    public UserBuilder notAfter(Instant notAfter) {
        this.notAfter = notAfter;
        return this;
    }

    /** Valid from now minus a minute for the given time; use a negative duration for an expired certificate. */
    public UserBuilder validFor(Duration duration) {
        Instant now = ca.clock().instant();
        if (duration.isNegative()) {
            this.notBefore = now.plus(duration).minus(Duration.ofDays(365));
            this.notAfter = now.plus(duration);
        } else {
            this.notBefore = now.minus(Duration.ofMinutes(1));
            this.notAfter = now.plus(duration);
        }
        return this;
    }

    /** Key usage bits of {@link KeyUsage}, e.g. {@code KeyUsage.keyEncipherment} for an unfit certificate. */
    public UserBuilder keyUsage(int bits) {
        this.keyUsage = bits;
        return this;
    }

    /** Leaves the key usage extension out; such a certificate may sign. */
    public UserBuilder noKeyUsage() {
        this.keyUsage = null;
        return this;
    }

    public UserBuilder crlDistributionPoint(String url) {
        this.crlUrl = url;
        return this;
    }

    public UserBuilder ocspResponder(String url) {
        this.ocspUrl = url;
        return this;
    }

    /** Leaves out the CA's default CRL and OCSP URLs (see {@link TestCa#defaultCrlUrl(String)}). */
    public UserBuilder noDefaultUrls() {
        this.defaultUrls = false;
        return this;
    }

    /** A non-critical extension holding a UTF8String, e.g. the GM/T 0015 identity code. */
    public UserBuilder utf8Extension(String oid, String value) {
        return extension(oid, new DERUTF8String(value));
    }

    /** A non-critical extension holding a PrintableString. */
    public UserBuilder printableExtension(String oid, String value) {
        return extension(oid, new DERPrintableString(value));
    }

    /** Extended key usage purposes, e.g. {@code KeyPurposeId.id_kp_OCSPSigning} for a delegated OCSP responder. */
    public UserBuilder extendedKeyUsage(KeyPurposeId... purposes) {
        return extension(Extension.extendedKeyUsage.getId(), new ExtendedKeyUsage(purposes));
    }

    public UserBuilder extension(String oid, ASN1Encodable value) {
        extensions.add(new Object[] {new ASN1ObjectIdentifier(oid), value, false});
        return this;
    }

    /** An extension marked critical (a time-stamping unit's extendedKeyUsage must be, RFC 3161 2.3). */
    public UserBuilder criticalExtension(String oid, ASN1Encodable value) {
        extensions.add(new Object[] {new ASN1ObjectIdentifier(oid), value, true});
        return this;
    }

    public Credential issue() {
        Instant now = ca.clock().instant();
        KeyPair key = keyPair != null
                ? keyPair
                : (keyAlgorithm != null ? keyAlgorithm : ca.algorithm()).generate(ca.random());
        Instant from = notBefore != null ? notBefore : now.minus(Duration.ofDays(1));
        Instant to = notAfter != null ? notAfter : now.plus(Duration.ofDays(365));
        TestCa.Issuer issuer = ca.issuer();
        CertificateMaker maker = new CertificateMaker(ca.algorithm(), ca.random())
                .subject(Names.user(commonName, organization, serialNumberAttribute))
                .issuer(
                        X500Name.getInstance(
                                issuer.certificate().getSubjectX500Principal().getEncoded()),
                        issuer.key())
                .issuerCertificate(issuer.certificate())
                .publicKey(key.getPublic())
                .validity(from, to)
                .keyUsage(keyUsage)
                .crlUrl(
                        crlUrl != null || !defaultUrls
                                ? crlUrl
                                : ca.defaultCrlUrl().orElse(null))
                .ocspUrl(
                        ocspUrl != null || !defaultUrls
                                ? ocspUrl
                                : ca.defaultOcspUrl().orElse(null));
        for (Object[] e : extensions) {
            maker.extension((ASN1ObjectIdentifier) e[0], (Boolean) e[2], (ASN1Encodable) e[1]);
        }
        X509Certificate certificate = maker.make();
        ca.recordIssued(certificate);
        return new Credential(key, certificate, ca.caCertificates());
    }
}
