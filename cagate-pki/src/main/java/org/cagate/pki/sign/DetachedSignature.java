package org.cagate.pki.sign;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.cagate.pki.SignatureAlgorithm;

/**
 * A signature over content that travels separately: the fields the agent returns from /v1/sign and a
 * client puts in a signed assertion.
 *
 * @param chain the CA certificates above {@code certificate}, issuer first; may be empty
 */
public record DetachedSignature(
        SignatureFormat format,
        SignatureAlgorithm algorithm,
        byte[] signature,
        X509Certificate certificate,
        List<X509Certificate> chain) {

    public DetachedSignature {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(certificate, "certificate");
        signature = signature.clone();
        chain = List.copyOf(chain);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
