package org.cagate.pki.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;

/**
 * A CA below a test CA's issuer, for the hierarchies cagate-testca does not make: a second level of CAs, a
 * CA with name constraints or policies, a key that claims another CA's name. Its certificates are made with
 * Bouncy Castle from the test CA's clock: valid from a day before it, CAs for ten years, users for one.
 */
public final class SubCa {
    /** An extension to add, e.g. {@code new Ext(Extension.nameConstraints, true, constraints)}. */
    public record Ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

    private final X509Certificate certificate;
    private final KeyPair key;
    private final KeyAlgorithm algorithm;
    private final List<X509Certificate> above;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private SubCa(
            X509Certificate certificate,
            KeyPair key,
            KeyAlgorithm algorithm,
            List<X509Certificate> above,
            Clock clock) {
        this.certificate = certificate;
        this.key = key;
        this.algorithm = algorithm;
        this.above = List.copyOf(above);
        this.clock = clock;
    }

    /** A CA issued by the test CA's issuer (its root when it has no intermediate). */
    public static SubCa under(TestCa ca, String commonName, int pathLength, Ext... extensions) {
        KeyPair issuerKey = new KeyPair(ca.issuerCertificate().getPublicKey(), ca.issuerPrivateKey());
        SubCa issuer = new SubCa(
                ca.issuerCertificate(),
                issuerKey,
                ca.algorithm(),
                ca.caCertificates().subList(1, ca.caCertificates().size()),
                ca.clock());
        return issuer.subCa(commonName, pathLength, extensions);
    }

    /**
     * The real CA's name and key identifier with a key of its own: what it issues claims the real CA as
     * issuer (name and authority key id) but is signed by another key.
     */
    public static SubCa pretending(X509Certificate real, KeyAlgorithm algorithm, Clock clock) {
        return new SubCa(real, algorithm.generate(new SecureRandom()), algorithm, List.of(), clock);
    }

    public SubCa subCa(String commonName, int pathLength, Ext... extensions) {
        KeyPair subKey = algorithm.generate(random);
        List<Ext> all = new ArrayList<>(List.of(
                new Ext(Extension.basicConstraints, true, new BasicConstraints(pathLength)),
                new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
        all.addAll(List.of(extensions));
        X509Certificate sub = issue(name(null, commonName), subKey.getPublic(), Duration.ofDays(3650), all);
        return new SubCa(sub, subKey, algorithm, caCertificates(), clock);
    }

    /** A user certificate: digitalSignature and nonRepudiation, O= the organisation when not null. */
    public Credential user(String organization, String commonName, Ext... extensions) {
        KeyPair userKey = algorithm.generate(random);
        List<Ext> all = new ArrayList<>(List.of(
                new Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
                new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation))));
        all.addAll(List.of(extensions));
        X509Certificate leaf = issue(name(organization, commonName), userKey.getPublic(), Duration.ofDays(365), all);
        return new Credential(userKey, leaf, caCertificates());
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** This CA first, the CAs above it, the root last. */
    public List<X509Certificate> caCertificates() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(above);
        return chain;
    }

    private X509Certificate issue(X500Name subject, PublicKey publicKey, Duration validity, List<Ext> extensions) {
        Instant now = clock.instant();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    new BigInteger(64, random).setBit(63),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(validity)),
                    subject,
                    publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            for (Ext e : extensions) {
                builder.addExtension(e.oid(), e.critical(), e.value());
            }
            return new JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.provider())
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm.signatureAlgorithm())
                            .setProvider(BouncyCastle.provider())
                            .build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        }
    }

    private static X500Name name(String organization, String commonName) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "CN");
        name.addRDN(BCStyle.O, organization != null ? organization : "cagate test CA");
        return name.addRDN(BCStyle.CN, commonName).build();
    }
}
