package org.cagate.bench.login;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.cagate.testca.KeyAlgorithm;

/**
 * The login signature as the generator makes it: one ECDSA P-256 signature with SHA-256 over the exact
 * challenge bytes, by the user's private key, per login, DER-encoded as JCA's {@code SHA256withECDSA}
 * writes it (the agent's RAW format). It is the signature the agent's {@link org.cagate.pki.sign.Signer}
 * makes, without what costs the generator and proves nothing to the server: the JCA provider look-up and
 * key translation per signature, the check of each signature against the certificate (the agent's guard
 * against a key that is not the certificate's; the benchmark's keys are made for their certificates and a
 * wrong one would be refused by the server), and a new precomputation of the curve's generator for every
 * new key (every key here shares one P-256 domain, so the fixed-base table is made once).
 *
 * <p>k follows RFC 6979 (HMAC-SHA256), so signing takes no SecureRandom: a deterministic ECDSA signature is
 * an ordinary one to any verifier, its k is secret and unique per key and message, and every challenge is
 * new (its nonce), so every login's signature is too. A real agent signs with the token and its generator;
 * a shared SecureRandom here would put one lock (NativePRNG's) between all the generator's threads.
 * Not thread-safe: one per load-generating thread.
 */
final class ChallengeSigner {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    private final ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    private final SHA256Digest sha256 = new SHA256Digest();
    private final byte[] digest = new byte[32];

    /**
     * The signing key of a user whose certificate has an EC P-256 key.
     *
     * @throws IllegalArgumentException for any other key
     */
    static ECPrivateKeyParameters key(PrivateKey key, X509Certificate certificate) {
        if (KeyAlgorithm.of(certificate.getPublicKey()) != KeyAlgorithm.EC_P256 || !(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("the load generator signs with EC P-256 keys only");
        }
        BigInteger order = ec.getParams().getOrder();
        if (!order.equals(DOMAIN.getN())) {
            throw new IllegalArgumentException("the private key is not on P-256");
        }
        return new ECPrivateKeyParameters(ec.getS(), DOMAIN);
    }

    /** The DER-encoded signature of {@code message}. */
    byte[] sign(ECPrivateKeyParameters key, byte[] message) {
        sha256.update(message, 0, message.length);
        sha256.doFinal(digest, 0);
        ecdsa.init(true, key);
        BigInteger[] rs = ecdsa.generateSignature(digest);
        try {
            return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
        }
    }
}
