package org.cagate.pki.testing;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.Assertion;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.Certificates;
import org.cagate.pki.Challenge;
import org.cagate.pki.SignatureAlgorithm;
import org.cagate.testca.Credential;

/**
 * What an agent does, for tests: sign challenge bytes RAW or as CMS with a test credential, with Bouncy
 * Castle. (The agent's own signer lives in org.cagate.pki.sign; these tests do not depend on it.)
 */
public final class Sign {
    private Sign() {}

    public static byte[] challenge(String provider) {
        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        Arrays.fill(nonce, (byte) 7);
        return new Challenge(
                        Challenge.Purpose.LOGIN,
                        "https://platform.example.gov.cn",
                        provider,
                        nonce,
                        Instant.parse("2026-11-28T10:00:00Z"))
                .toBytes();
    }

    public static SignatureAlgorithm algorithmOf(Credential credential) {
        String key = credential.keyPair().getPublic().getAlgorithm();
        if (key.equals("RSA")) {
            return SignatureAlgorithm.SHA256_WITH_RSA;
        }
        String encoded = java.util.HexFormat.of()
                .formatHex(credential.keyPair().getPublic().getEncoded());
        // sm2p256v1 = 1.2.156.10197.1.301, DER 06 08 2a 81 1c cf 55 01 82 2d
        return encoded.contains("2a811ccf5501822d")
                ? SignatureAlgorithm.SM3_WITH_SM2
                : SignatureAlgorithm.SHA256_WITH_ECDSA;
    }

    public static byte[] raw(Credential credential, SignatureAlgorithm algorithm, byte[] content) {
        try {
            Signature signer = Signature.getInstance(algorithm.wireName(), BouncyCastle.provider());
            signer.initSign(credential.keyPair().getPrivate());
            signer.update(content);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DER ContentInfo with SignedData over {@code content}, carrying {@code certificates}. */
    public static byte[] cms(
            Credential credential,
            SignatureAlgorithm algorithm,
            byte[] content,
            List<X509Certificate> certificates,
            boolean detached) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                            .setProvider(BouncyCastle.provider())
                            .build())
                    .build(
                            new JcaContentSignerBuilder(algorithm.wireName())
                                    .setProvider(BouncyCastle.provider())
                                    .build(credential.keyPair().getPrivate()),
                            credential.certificate()));
            if (!certificates.isEmpty()) {
                generator.addCertificates(new JcaCertStore(certificates));
            }
            // DER, as the wire contract and the agent have it (BC's getEncoded() would give BER).
            return generator
                    .generate(new CMSProcessableByteArray(content), !detached)
                    .toASN1Structure()
                    .getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A RAW assertion over {@code challenge} with the leaf and the given chain. */
    public static Assertion rawAssertion(Credential credential, byte[] challenge, List<X509Certificate> chain) {
        SignatureAlgorithm algorithm = algorithmOf(credential);
        return new Assertion(
                Assertion.Format.RAW,
                algorithm,
                Certificates.der(credential.certificate()),
                der(chain),
                raw(credential, algorithm, challenge),
                "330400007180230SE");
    }

    /** A CMS assertion; the CMS carries the leaf and the chain, the assertion's certificate is left out. */
    public static Assertion cmsAssertion(Credential credential, byte[] challenge, List<X509Certificate> chain) {
        SignatureAlgorithm algorithm = algorithmOf(credential);
        List<X509Certificate> carried = new ArrayList<>();
        carried.add(credential.certificate());
        carried.addAll(chain);
        return new Assertion(
                Assertion.Format.CMS,
                algorithm,
                null,
                List.of(),
                cms(credential, algorithm, challenge, carried, true),
                null);
    }

    public static List<byte[]> der(List<X509Certificate> certificates) {
        return certificates.stream().map(Certificates::der).toList();
    }
}
