package org.cagate.testca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** The key types a provider's test CA and its users can have, with the signature algorithm each signs with. */
public enum KeyAlgorithm {
    RSA_2048("SHA256withRSA"),
    EC_P256("SHA256withECDSA"),
    EC_P384("SHA384withECDSA"),
    SM2("SM3withSM2");

    private final String signatureAlgorithm;

    KeyAlgorithm(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The algorithm a CA of this type signs certificates and CRLs with, and a user signs challenges with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The type of an existing key: RSA, or EC on P-256, P-384 or sm2p256v1. */
    public static KeyAlgorithm of(PublicKey key) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        if (oid.equals("1.2.840.113549.1.1.1")) {
            return RSA_2048;
        }
        Object curve = spki.getAlgorithm().getParameters();
        String name = curve == null ? "" : curve.toString();
        return switch (name) {
            case "1.2.840.10045.3.1.7" -> EC_P256;
            case "1.3.132.0.34" -> EC_P384;
            case "1.2.156.10197.1.301" -> SM2;
            default -> throw new IllegalArgumentException("not a key type of the test CA: " + oid + " " + name);
        };
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator;
            switch (this) {
                case RSA_2048 -> {
                    generator = KeyPairGenerator.getInstance("RSA", BouncyCastle.PROVIDER);
                    generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
                }
                case EC_P256 -> {
                    generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                }
                case EC_P384 -> {
                    generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                    generator.initialize(new ECGenParameterSpec("secp384r1"), random);
                }
                case SM2 -> {
                    generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                    generator.initialize(new ECGenParameterSpec("sm2p256v1"), random);
                }
                default -> throw new IllegalStateException(name());
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }
}
