package org.cagate.pki;

import java.security.GeneralSecurityException;
import java.security.Signature;

/** RAW signatures: the algorithm's own verifier over exactly the challenge bytes. */
final class Signatures {
    private Signatures() {}

    /** The algorithm must fit the key: an RSA name over an EC key is refused, not tried. */
    static void requireFit(SignatureAlgorithm algorithm, ParsedCertificate signer) throws PkiException {
        if (signer.keyType() != algorithm.keyType()) {
            throw new PkiException(
                    Reason.SIGNATURE_INVALID,
                    algorithm + " does not fit the certificate's " + signer.keyType() + " key");
        }
    }

    static void verifyRaw(SignatureAlgorithm algorithm, ParsedCertificate signer, byte[] content, byte[] signature)
            throws PkiException {
        requireFit(algorithm, signer);
        boolean valid;
        try {
            Signature verifier = algorithm.provider() == null
                    ? Signature.getInstance(algorithm.jcaName())
                    : Signature.getInstance(algorithm.jcaName(), algorithm.provider());
            verifier.initVerify(signer.verificationKey());
            verifier.update(content);
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A malformed DER signature or a wrong-length RSA one lands here: it does not verify.
            throw new PkiException(Reason.SIGNATURE_INVALID, algorithm + " signature unreadable: " + e, e);
        }
        if (!valid) {
            throw new PkiException(Reason.SIGNATURE_INVALID, algorithm + " signature does not verify");
        }
    }
}
