package org.cagate.pki.sign;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.SignatureAlgorithm;

/**
 * Makes RAW or CMS detached signatures with a private key from any JCA provider: a SunPKCS11 token, a
 * PKCS#12 file loaded with Bouncy Castle, a key held in memory by a test.
 *
 * <pre>{@code
 * DetachedSignature s = Signer.of(key, certificate)
 *         .provider(sunPkcs11)          // the provider that holds the key; Bouncy Castle by default
 *         .chain(caCertificates)        // issuer first; carried in CMS and returned as the chain
 *         .sign(challenge.toBytes(), SignatureFormat.CMS);
 * }</pre>
 *
 * <p>The algorithm follows the certificate's key ({@link #algorithmFor(PublicKey)}). Every
 * signature is checked against the certificate before it is returned, so a key that does not belong
 * to the certificate fails here rather than at the server. Instances are immutable.
 */
public final class Signer {
    /** Digests and the check of each signature run in Bouncy Castle, whoever holds the key. */
    private static final Provider BC = BouncyCastle.provider();

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Provider provider;
    private final List<X509Certificate> chain;
    private final Clock clock;
    /** Null: the provider's own (a token uses its generator; software keys the JDK's default). */
    private final SecureRandom random;

    private Signer(
            PrivateKey key,
            X509Certificate certificate,
            Provider provider,
            List<X509Certificate> chain,
            Clock clock,
            SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.chain = List.copyOf(chain);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = random;
    }

    /** A signer for the key that belongs to {@code certificate}, signing in Bouncy Castle. */
    public static Signer of(PrivateKey key, X509Certificate certificate) {
        return new Signer(key, certificate, BC, List.of(), Clock.systemUTC(), null);
    }

    /** The provider that holds the key, e.g. the SunPKCS11 instance of a token. */
    public Signer provider(Provider provider) {
        return new Signer(key, certificate, provider, chain, clock, random);
    }

    /** The CA certificates above the signer's, issuer first. */
    public Signer chain(List<X509Certificate> caCertificates) {
        return new Signer(key, certificate, provider, caCertificates, clock, random);
    }

    /** The clock that dates CMS signatures (signingTime). */
    public Signer clock(Clock clock) {
        return new Signer(key, certificate, provider, chain, clock, random);
    }

    /** The randomness of ECDSA and SM2 signatures made in software. */
    public Signer random(SecureRandom random) {
        return new Signer(key, certificate, provider, chain, clock, Objects.requireNonNull(random, "random"));
    }

    public SignatureAlgorithm algorithm() {
        return algorithmFor(certificate.getPublicKey());
    }

    /**
     * The algorithm a key signs with: RSA with SHA-256, an EC key on the SM2 curve with SM3 (default
     * user id 1234567812345678), any other EC key with SHA-256. The curve is read from the encoded key,
     * not from provider classes, so SunPKCS11, JDK and Bouncy Castle keys give the same answer.
     *
     * @throws IllegalArgumentException for a key type cagate does not sign with (DSA, Ed25519, ...)
     */
    public static SignatureAlgorithm algorithmFor(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return SignatureAlgorithm.SHA256_WITH_RSA;
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("cagate signs with RSA, EC or SM2 keys, not " + key.getAlgorithm());
        }
        return GMObjectIdentifiers.sm2p256v1.equals(info.getAlgorithm().getParameters())
                ? SignatureAlgorithm.SM3_WITH_SM2
                : SignatureAlgorithm.SHA256_WITH_ECDSA;
    }

    public DetachedSignature sign(byte[] content, SignatureFormat format) throws SigningException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(format, "format");
        SignatureAlgorithm algorithm = algorithm();
        byte[] signature = format == SignatureFormat.RAW ? raw(algorithm, content) : cms(algorithm, content);
        return new DetachedSignature(format, algorithm, signature, certificate, chain);
    }

    /**
     * A detached CMS SignedData over a document the caller has already digested (a PDF's byte range):
     * the signed attributes are built here (contentType id-data, messageDigest, signingTime, ESS
     * signing-certificate-v2) and signed with the key, so a signature is never made over bytes this
     * signer did not put together. {@code digest} is SHA-256 for RSA and EC keys, SM3 for SM2 keys
     * ({@code algorithm().digest()}).
     */
    public DetachedSignature signDigest(byte[] digest) throws SigningException {
        Objects.requireNonNull(digest, "digest");
        SignatureAlgorithm algorithm = algorithm();
        byte[] cms = DigestCms.sign(this, algorithm, digest);
        return new DetachedSignature(SignatureFormat.CMS, algorithm, cms, certificate, chain);
    }

    PrivateKey key() {
        return key;
    }

    X509Certificate certificate() {
        return certificate;
    }

    Provider keyProvider() {
        return provider;
    }

    List<X509Certificate> chainCertificates() {
        return chain;
    }

    Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    private byte[] raw(SignatureAlgorithm algorithm, byte[] content) throws SigningException {
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(algorithm.wireName(), provider);
            if (random != null) {
                signer.initSign(key, random);
            } else {
                signer.initSign(key);
            }
            signer.update(content);
            signature = signer.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            // SunPKCS11 reports a removed token or a closed session as a ProviderException.
            throw new SigningException("the key did not sign (" + algorithm.wireName() + ")", e);
        }
        try {
            Signature verifier = Signature.getInstance(algorithm.wireName(), BC);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(content);
            if (!verifier.verify(signature)) {
                throw new SigningException("the key does not belong to the certificate", null);
            }
        } catch (GeneralSecurityException e) {
            throw new SigningException("cannot check the signature against the certificate", e);
        }
        return signature;
    }

    private byte[] cms(SignatureAlgorithm algorithm, byte[] content) throws SigningException {
        CMSSignedData signed;
        try {
            JcaContentSignerBuilder builder = new JcaContentSignerBuilder(algorithm.wireName()).setProvider(provider);
            if (random != null) {
                builder.setSecureRandom(random);
            }
            ContentSigner contentSigner = builder.build(key);
            JcaSignerInfoGeneratorBuilder signerInfo = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build());
            signerInfo.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signingTime()));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo.build(contentSigner, certificate));
            List<X509Certificate> certificates = new ArrayList<>();
            certificates.add(certificate);
            certificates.addAll(chain);
            generator.addCertificates(new JcaCertStore(certificates));
            signed = generator.generate(new CMSProcessableByteArray(content), false);
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | RuntimeException e) {
            throw new SigningException("the key did not sign (CMS " + algorithm.wireName() + ")", e);
        }
        check(signed, content);
        try {
            return signed.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new SigningException("cannot encode the CMS signature", e);
        }
    }

    private void check(CMSSignedData signed, byte[] content) throws SigningException {
        try {
            CMSSignedData attached = new CMSSignedData(new CMSProcessableByteArray(content), signed.getEncoded());
            SignerInformation signer =
                    attached.getSignerInfos().getSigners().iterator().next();
            if (!signer.verify(
                    new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(certificate))) {
                throw new SigningException("the key does not belong to the certificate", null);
            }
        } catch (CMSException | OperatorCreationException | IOException e) {
            throw new SigningException("cannot check the CMS signature against the certificate", e);
        }
    }

    private AttributeTable signingTime() {
        Hashtable<Object, Attribute> attributes = new Hashtable<>();
        Attribute time = new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant()))));
        attributes.put(CMSAttributes.signingTime, time);
        return new AttributeTable(attributes);
    }
}
