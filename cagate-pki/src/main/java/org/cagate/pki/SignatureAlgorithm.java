package org.cagate.pki;

import java.security.Provider;

/**
 * The signature algorithms of the wire contract, by their wire names. ECDSA and SM2 verify with Bouncy
 * Castle (the JDK's EC verification is about 14x slower here); RSA with the JDK, which is as fast.
 */
public enum SignatureAlgorithm {
    SHA256_WITH_RSA("SHA256withRSA", KeyType.RSA, "SHA-256"),
    SHA256_WITH_ECDSA("SHA256withECDSA", KeyType.EC, "SHA-256"),
    /** SM2 with SM3 and the default user id 1234567812345678 (GM/T 0009). */
    SM3_WITH_SM2("SM3withSM2", KeyType.SM2, "SM3");

    /** The key types a certificate can hold, as far as verification cares. */
    public enum KeyType {
        RSA,
        /** ECDSA on a NIST curve (P-256, P-384). */
        EC,
        /** EC key on the sm2p256v1 curve. */
        SM2,
        OTHER
    }

    private final String wireName;
    private final KeyType keyType;
    private final String digest;

    SignatureAlgorithm(String wireName, KeyType keyType, String digest) {
        this.wireName = wireName;
        this.keyType = keyType;
        this.digest = digest;
    }

    public String wireName() {
        return wireName;
    }

    /** The key type a certificate must hold to sign with this algorithm. */
    public KeyType keyType() {
        return keyType;
    }

    /** The digest algorithm name, also what a CMS signer must use. */
    public String digest() {
        return digest;
    }

    /**
     * @throws PkiException {@link Reason#SIGNATURE_INVALID} for a name the wire contract does not have
     */
    public static SignatureAlgorithm fromWire(String name) throws PkiException {
        for (SignatureAlgorithm algorithm : values()) {
            if (algorithm.wireName.equals(name)) {
                return algorithm;
            }
        }
        throw new PkiException(Reason.SIGNATURE_INVALID, "unknown algorithm " + abbreviate(name));
    }

    /** The JCA name and provider this algorithm verifies with. */
    String jcaName() {
        return wireName;
    }

    Provider provider() {
        return this == SHA256_WITH_RSA ? null : BouncyCastle.provider();
    }

    static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    @Override
    public String toString() {
        return wireName;
    }
}
