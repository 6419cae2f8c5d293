package org.cagate.pki;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * Verifies a CMS signer's signature with exactly the assertion's algorithm and the provider cagate-pki
 * uses for it. Bouncy Castle's own JCA verifier provider also prepares a raw-signature path on every
 * call, which here doubled the cost of an ECDSA check; and it would accept any algorithm the signer
 * names, where this one accepts only the one the assertion declared.
 */
final class CmsContentVerifiers implements ContentVerifierProvider {
    private final SignatureAlgorithm algorithm;
    private final PublicKey key;

    CmsContentVerifiers(SignatureAlgorithm algorithm, PublicKey key) {
        this.algorithm = algorithm;
        this.key = key;
    }

    @Override
    public boolean hasAssociatedCertificate() {
        return false;
    }

    @Override
    public X509CertificateHolder getAssociatedCertificate() {
        return null;
    }

    @Override
    public ContentVerifier get(AlgorithmIdentifier identifier) throws OperatorCreationException {
        if (!expectedOid().equals(identifier.getAlgorithm())) {
            throw new OperatorCreationException(
                    "CMS signer uses " + identifier.getAlgorithm() + ", the assertion says " + algorithm);
        }
        Signature signature;
        try {
            signature = algorithm.provider() == null
                    ? Signature.getInstance(algorithm.jcaName())
                    : Signature.getInstance(algorithm.jcaName(), algorithm.provider());
            signature.initVerify(key);
        } catch (GeneralSecurityException e) {
            throw new OperatorCreationException("cannot verify " + algorithm + ": " + e.getMessage(), e);
        }
        return new ContentVerifier() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return identifier;
            }

            @Override
            public OutputStream getOutputStream() {
                return new OutputStream() {
                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        try {
                            signature.update(bytes, offset, length);
                        } catch (SignatureException e) {
                            throw new RuntimeOperatorException("signature update failed", e);
                        }
                    }
                };
            }

            @Override
            public boolean verify(byte[] expected) {
                try {
                    return signature.verify(expected);
                } catch (SignatureException e) {
                    return false;
                }
            }
        };
    }

    private ASN1ObjectIdentifier expectedOid() {
        return switch (algorithm) {
            case SHA256_WITH_RSA -> PKCSObjectIdentifiers.sha256WithRSAEncryption;
            case SHA256_WITH_ECDSA -> X9ObjectIdentifiers.ecdsa_with_SHA256;
            case SM3_WITH_SM2 -> GMObjectIdentifiers.sm2sign_with_sm3;
        };
    }
}
