package org.cagate.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A JCA face for a key that lives in an SKF container, so that {@link org.cagate.pki.sign.Signer} makes
 * RAW and CMS signatures with it exactly as with a PKCS#11 or PKCS#12 key. The agent hashes; the key
 * only signs the hash: for SM2 the 32-byte e = SM3(Z || M) with Z from the default user id
 * 1234567812345678 and the certificate's public key (GM/T 0009), for RSA the SHA-256 DigestInfo.
 */
final class SkfSigning {
    static final byte[] DEFAULT_USER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    private static final X9ECParameters SM2 = GMNamedCurves.getByName("sm2p256v1");

    private SkfSigning() {}

    /** What the container does with the hash (SKF_ECCSignData → r, s; SKF_RSASignData → the signature). */
    interface Operation {
        byte[] sign(byte[] hash) throws SkfException;
    }

    /** A private key that is only a way to reach a container; nothing of the key leaves the USB key. */
    static final class Key implements PrivateKey {
        private static final long serialVersionUID = 1L;

        private final String algorithm;
        private final transient X509Certificate certificate;
        private final transient Operation operation;

        Key(String algorithm, X509Certificate certificate, Operation operation) {
            this.algorithm = algorithm;
            this.certificate = certificate;
            this.operation = operation;
        }

        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    /** The provider to hand to {@code Signer.provider(...)}: SM3withSM2 and SHA256withRSA over an SKF key. */
    static final class Provider extends java.security.Provider {
        private static final long serialVersionUID = 1L;
        static final Provider INSTANCE = new Provider();

        private Provider() {
            super("CagateSKF", "1.0", "cagate agent: signatures by an SKF (GM/T 0016) container");
            putService(
                    new Service(
                            this,
                            "Signature",
                            "SM3withSM2",
                            Sm2Signature.class.getName(),
                            List.of("SM3WITHSM2", "1.2.156.10197.1.501"),
                            Map.of()) {
                        @Override
                        public Object newInstance(Object parameter) {
                            return new Sm2Signature();
                        }
                    });
            putService(
                    new Service(
                            this,
                            "Signature",
                            "SHA256withRSA",
                            RsaSignature.class.getName(),
                            List.of("SHA256WITHRSA", "1.2.840.113549.1.1.11"),
                            Map.of()) {
                        @Override
                        public Object newInstance(Object parameter) {
                            return new RsaSignature();
                        }
                    });
        }
    }

    private abstract static class HashThenSign extends SignatureSpi {
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private Key key;

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof Key skfKey) || !skfKey.algorithm.equals(algorithm())) {
                throw new InvalidKeyException("not an SKF " + algorithm() + " key");
            }
            key = skfKey;
            message.reset();
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("SKF keys only sign; verify with Bouncy Castle");
        }

        @Override
        protected void engineUpdate(byte b) {
            message.write(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            message.write(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            if (key == null) {
                throw new SignatureException("not initialised");
            }
            byte[] content = message.toByteArray();
            message.reset();
            try {
                return finish(key.operation.sign(hash(key.certificate, content)));
            } catch (SkfException e) {
                throw new SignatureException(e.getMessage(), e);
            }
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            throw new SignatureException("SKF keys only sign");
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            // Bouncy Castle's SM2ParameterSpec: only the default user id, which is what the key signs with.
            if (params != null && params.getClass().getSimpleName().equals("SM2ParameterSpec")) {
                try {
                    byte[] id = (byte[]) params.getClass().getMethod("getID").invoke(params);
                    if (Arrays.equals(id, DEFAULT_USER_ID)) {
                        return;
                    }
                } catch (ReflectiveOperationException e) {
                    // fall through
                }
            }
            throw new InvalidAlgorithmParameterException("SKF signatures use the default SM2 user id only");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("no parameters");
        }

        abstract String algorithm();

        abstract byte[] hash(X509Certificate certificate, byte[] content) throws SignatureException;

        abstract byte[] finish(byte[] signed) throws SignatureException;
    }

    static final class Sm2Signature extends HashThenSign {
        @Override
        String algorithm() {
            return "SM2";
        }

        @Override
        byte[] hash(X509Certificate certificate, byte[] content) {
            return e(certificate.getPublicKey(), content);
        }

        /** r and s from the ECCSIGNATUREBLOB as DER SEQUENCE{r, s}. */
        @Override
        byte[] finish(byte[] rs) throws SignatureException {
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 0, 64))));
            v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 64, 128))));
            try {
                return new DERSequence(v).getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new SignatureException(e);
            }
        }
    }

    static final class RsaSignature extends HashThenSign {
        @Override
        String algorithm() {
            return "RSA";
        }

        @Override
        byte[] hash(X509Certificate certificate, byte[] content) throws SignatureException {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
                return new DigestInfo(
                                new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE), digest)
                        .getEncoded(ASN1Encoding.DER);
            } catch (NoSuchAlgorithmException | IOException e) {
                throw new SignatureException(e);
            }
        }

        @Override
        byte[] finish(byte[] signed) {
            return signed;
        }
    }

    /** e = SM3(Z || M), Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GM/T 0009, default ID). */
    static byte[] e(PublicKey publicKey, byte[] message) {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        ECPoint q =
                SM2.getCurve().decodePoint(info.getPublicKeyData().getBytes()).normalize();
        ECPoint g = SM2.getG().normalize();
        SM3Digest z = new SM3Digest();
        int bits = DEFAULT_USER_ID.length * 8;
        z.update((byte) (bits >> 8));
        z.update((byte) bits);
        z.update(DEFAULT_USER_ID, 0, DEFAULT_USER_ID.length);
        for (byte[] part : new byte[][] {
            SM2.getCurve().getA().getEncoded(),
            SM2.getCurve().getB().getEncoded(),
            g.getAffineXCoord().getEncoded(),
            g.getAffineYCoord().getEncoded(),
            q.getAffineXCoord().getEncoded(),
            q.getAffineYCoord().getEncoded()
        }) {
            z.update(part, 0, part.length);
        }
        byte[] zBytes = new byte[32];
        z.doFinal(zBytes, 0);
        SM3Digest e = new SM3Digest();
        e.update(zBytes, 0, zBytes.length);
        e.update(message, 0, message.length);
        byte[] out = new byte[32];
        e.doFinal(out, 0);
        return out;
    }
}
