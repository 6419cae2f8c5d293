package org.cagate.testca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * One provider's test CA: a root, maybe an intermediate, the users it issued and the ones it revoked.
 * Thread-safe: tests may issue and revoke while a CRL or OCSP server answers from it.
 */
public final class TestCa {

    /** The CA that signs users, CRLs and (by delegation or directly) OCSP answers. */
    record Issuer(X509Certificate certificate, KeyPair key) {}

    /** A revoked serial number, with when and why (RFC 5280 CRLReason code). */
    public record Revocation(BigInteger serialNumber, Instant revokedAt, int reason) {}

    private final String providerCode;
    private final KeyAlgorithm algorithm;
    private final X509Certificate root;
    private final KeyPair rootKey;
    private final Issuer intermediate;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<BigInteger, Revocation> revoked = new ConcurrentHashMap<>();
    private final Map<BigInteger, X509Certificate> issued = new ConcurrentHashMap<>();
    private volatile String defaultCrlUrl;
    private volatile String defaultOcspUrl;
    private final AtomicLong crlNumber = new AtomicLong();

    TestCa(
            String providerCode,
            KeyAlgorithm algorithm,
            X509Certificate root,
            KeyPair rootKey,
            Issuer intermediate,
            Clock clock,
            SecureRandom random) {
        this.providerCode = providerCode;
        this.algorithm = algorithm;
        this.root = root;
        this.rootKey = rootKey;
        this.intermediate = intermediate;
        this.clock = clock;
        this.random = random;
    }

    public String providerCode() {
        return providerCode;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public X509Certificate root() {
        return root;
    }

    public Optional<X509Certificate> intermediate() {
        return Optional.ofNullable(intermediate).map(Issuer::certificate);
    }

    /** The certificate that signs users and CRLs: the intermediate if there is one, else the root. */
    public X509Certificate issuerCertificate() {
        return issuer().certificate();
    }

    public PrivateKey issuerPrivateKey() {
        return issuer().key().getPrivate();
    }

    /** CA certificates above a user: issuer first, root last. */
    public List<X509Certificate> caCertificates() {
        List<X509Certificate> chain = new ArrayList<>();
        if (intermediate != null) {
            chain.add(intermediate.certificate());
        }
        chain.add(root);
        return chain;
    }

    public Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    KeyPair rootKey() {
        return rootKey;
    }

    Optional<Issuer> intermediateIssuer() {
        return Optional.ofNullable(intermediate);
    }

    long lastCrlNumber() {
        return crlNumber.get();
    }

    void lastCrlNumber(long value) {
        crlNumber.accumulateAndGet(value, Math::max);
    }

    /**
     * Writes this CA into a folder (PEM certificates, PKCS#8 keys, issued and revoked lists) so that
     * {@link #load(Path)} gives back the same CA, e.g. for the demo's provider roots across restarts.
     * The folder holds private keys in the clear: it is for tests and demos only.
     */
    public void save(Path folder) throws IOException {
        CaFolder.save(this, folder);
    }

    /** Loads a CA saved by {@link #save(Path)}, with the system clock and a fresh SecureRandom. */
    public static TestCa load(Path folder) throws IOException {
        return load(folder, Clock.systemUTC(), new SecureRandom());
    }

    public static TestCa load(Path folder, Clock clock, SecureRandom random) throws IOException {
        return CaFolder.load(folder, clock, random);
    }

    /** True when the folder holds a saved CA. */
    public static boolean isSaved(Path folder) {
        return CaFolder.isSaved(folder);
    }

    /** Re-reads issued and revoked serials saved in the folder by another process (e.g. the CLI's revoke). */
    public void refresh(Path folder) throws IOException {
        CaFolder.refresh(this, folder);
    }

    Issuer issuer() {
        return intermediate != null ? intermediate : new Issuer(root, rootKey);
    }

    /** Starts a user certificate with the given common name, e.g. "西子". */
    public UserBuilder user(String commonName) {
        return new UserBuilder(this, commonName);
    }

    /** Every user issued so far (also the OCSP responders), by serial number: OCSP answers "unknown" for others. */
    public Optional<X509Certificate> issued(BigInteger serialNumber) {
        return Optional.ofNullable(issued.get(serialNumber));
    }

    public List<X509Certificate> issuedCertificates() {
        return List.copyOf(issued.values());
    }

    void recordIssued(X509Certificate certificate) {
        issued.put(certificate.getSerialNumber(), certificate);
    }

    /** A CRL distribution point put into every user issued from now on (unless the user sets its own). */
    public TestCa defaultCrlUrl(String url) {
        this.defaultCrlUrl = url;
        return this;
    }

    /** An OCSP responder URL (AIA) put into every user issued from now on (unless the user sets its own). */
    public TestCa defaultOcspUrl(String url) {
        this.defaultOcspUrl = url;
        return this;
    }

    public Optional<String> defaultCrlUrl() {
        return Optional.ofNullable(defaultCrlUrl);
    }

    public Optional<String> defaultOcspUrl() {
        return Optional.ofNullable(defaultOcspUrl);
    }

    /**
     * Issues a delegated OCSP responder certificate (RFC 6960 4.2.2.2): signed by this CA's issuer,
     * extended key usage id-kp-OCSPSigning, and id-pkix-ocsp-nocheck so clients need not check its status.
     */
    public Credential ocspSigner() {
        return user(providerCode + " OCSP Responder")
                .keyUsage(KeyUsage.digitalSignature)
                .extendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning)
                .extension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId(), DERNull.INSTANCE)
                .noDefaultUrls()
                .issue();
    }

    /** Marks the certificate revoked now, for the given RFC 5280 reason (e.g. {@link CRLReason#keyCompromise}). */
    public void revoke(X509Certificate certificate, int reason) {
        revoke(certificate.getSerialNumber(), clock.instant(), reason);
    }

    public void revoke(BigInteger serialNumber, Instant at, int reason) {
        revoked.put(serialNumber, new Revocation(serialNumber, at, reason));
    }

    public Optional<Revocation> revocation(BigInteger serialNumber) {
        return Optional.ofNullable(revoked.get(serialNumber));
    }

    public List<Revocation> revocations() {
        return List.copyOf(revoked.values());
    }

    /** A CRL signed by the issuer, listing every revocation so far. */
    public X509CRL crl(Instant thisUpdate, Instant nextUpdate) {
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        Issuer issuer = issuer();
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(
                            issuer.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (Revocation r : revoked.values()) {
                builder.addCRLEntry(r.serialNumber(), Date.from(r.revokedAt()), r.reason());
            }
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()));
            builder.addExtension(
                    Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber.incrementAndGet())));
            return new JcaX509CRLConverter()
                    .setProvider(BouncyCastle.PROVIDER)
                    .getCRL(builder.build(CertificateMaker.signer(algorithm, issuer.key())));
        } catch (CertIOException | CRLException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot make CRL", e);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot read issuer certificate", e);
        }
    }
}
