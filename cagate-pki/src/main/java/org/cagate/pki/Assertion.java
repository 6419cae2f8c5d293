package org.cagate.pki;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The signed assertion of the wire contract, decoded: what the agent returned for one challenge. Nothing
 * here is trusted; {@link AssertionVerifier} decides.
 *
 * @param algorithm may be null for CMS, whose SignerInfo then names it (wire contract v1)
 * @param certificate DER leaf; may be null for CMS, whose signer certificate is then taken from the CMS
 * @param chain DER certificates the client sent above the leaf, in any order; may be empty
 * @param signature RAW: the signature value; CMS: a DER ContentInfo with detached SignedData
 * @param tokenSerial what the agent reports as the key's printed serial; shown, never trusted
 */
public record Assertion(
        Format format,
        SignatureAlgorithm algorithm,
        byte[] certificate,
        List<byte[]> chain,
        byte[] signature,
        String tokenSerial) {

    public enum Format {
        RAW,
        CMS
    }

    /** A client sends its issuing CAs at most; real chains have one to three. */
    public static final int MAX_CHAIN = 8;
    /** RSA-4096 signs 512 bytes; an SM2/ECDSA DER signature is under 140. */
    public static final int MAX_RAW_SIGNATURE_BYTES = 1024;
    /** A CMS SignedData with a leaf and a few CA certificates. */
    public static final int MAX_CMS_BYTES = 64 * 1024;

    public static final int MAX_TOKEN_SERIAL = 64;

    public Assertion {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(signature, "signature");
        if (format == Format.RAW && algorithm == null) {
            throw new IllegalArgumentException("a RAW assertion needs the algorithm");
        }
        chain = chain == null ? List.of() : chain.stream().map(byte[]::clone).toList();
        if (format == Format.RAW && certificate == null) {
            throw new IllegalArgumentException("a RAW assertion needs the certificate");
        }
        if (chain.size() > MAX_CHAIN) {
            throw new IllegalArgumentException("chain longer than " + MAX_CHAIN);
        }
        int maxSignature = format == Format.RAW ? MAX_RAW_SIGNATURE_BYTES : MAX_CMS_BYTES;
        if (signature.length == 0 || signature.length > maxSignature) {
            throw new IllegalArgumentException("signature of " + signature.length + " bytes");
        }
        if (tokenSerial != null && !isTokenSerial(tokenSerial)) {
            throw new IllegalArgumentException("tokenSerial must be 1-" + MAX_TOKEN_SERIAL + " printable characters");
        }
        certificate = certificate == null ? null : certificate.clone();
        signature = signature.clone();
    }

    /**
     * From the wire contract's strings. Which field is wrong decides the reason, so the server can answer
     * with the contract's codes: {@code certificate} or {@code chain} not base64, too long or too many →
     * {@link Reason#CERT_MALFORMED}; {@code format}, {@code algorithm}, {@code signature} or {@code
     * tokenSerial} unusable → {@link Reason#SIGNATURE_INVALID} (the assertion cannot be verified).
     */
    public static Assertion fromWire(
            String format,
            String algorithm,
            String certificate,
            List<String> chain,
            String signature,
            String tokenSerial)
            throws PkiException {
        Format parsedFormat = format(format);
        // CMS states its algorithm (and signer certificate) itself; only a field that is sent is checked.
        SignatureAlgorithm parsedAlgorithm = (algorithm == null || algorithm.isEmpty()) && parsedFormat == Format.CMS
                ? null
                : SignatureAlgorithm.fromWire(algorithm);
        byte[] leaf = certificate == null || certificate.isEmpty() ? null : Certificates.decodeBase64(certificate);
        if (leaf == null && parsedFormat == Format.RAW) {
            throw new PkiException(Reason.CERT_MALFORMED, "a RAW assertion needs the certificate");
        }
        List<String> chainTexts = chain == null ? List.of() : chain;
        if (chainTexts.size() > MAX_CHAIN) {
            throw new PkiException(Reason.CERT_MALFORMED, "chain of " + chainTexts.size() + " certificates");
        }
        List<byte[]> chainDer = new ArrayList<>(chainTexts.size());
        for (String text : chainTexts) {
            chainDer.add(Certificates.decodeBase64(text));
        }
        byte[] signatureBytes = decodeSignature(signature, parsedFormat);
        if (tokenSerial != null && !isTokenSerial(tokenSerial)) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "tokenSerial is not 1-64 printable characters");
        }
        return new Assertion(parsedFormat, parsedAlgorithm, leaf, chainDer, signatureBytes, tokenSerial);
    }

    @Override
    public byte[] certificate() {
        return certificate == null ? null : certificate.clone();
    }

    @Override
    public List<byte[]> chain() {
        return chain.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    // The verifier reads the arrays without copying them; it never writes to them.
    byte[] certificateBytes() {
        return certificate;
    }

    List<byte[]> chainBytes() {
        return chain;
    }

    byte[] signatureBytes() {
        return signature;
    }

    private static Format format(String format) throws PkiException {
        if ("RAW".equals(format)) {
            return Format.RAW;
        }
        if ("CMS".equals(format)) {
            return Format.CMS;
        }
        throw new PkiException(Reason.SIGNATURE_INVALID, "unknown format " + SignatureAlgorithm.abbreviate(format));
    }

    private static byte[] decodeSignature(String signature, Format format) throws PkiException {
        int max = format == Format.RAW ? MAX_RAW_SIGNATURE_BYTES : MAX_CMS_BYTES;
        if (signature == null || signature.isEmpty() || signature.length() > max * 4 / 3 + 4) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "signature missing or too long");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(signature);
            if (bytes.length == 0 || bytes.length > max) {
                throw new PkiException(Reason.SIGNATURE_INVALID, "signature of " + bytes.length + " bytes");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new PkiException(Reason.SIGNATURE_INVALID, "signature is not base64");
        }
    }

    private static boolean isTokenSerial(String value) {
        return !value.isEmpty()
                && value.length() <= MAX_TOKEN_SERIAL
                && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assertion a
                && format == a.format
                && algorithm == a.algorithm
                && java.util.Arrays.equals(certificate, a.certificate)
                && chain.size() == a.chain.size()
                && java.util.stream.IntStream.range(0, chain.size())
                        .allMatch(i -> java.util.Arrays.equals(chain.get(i), a.chain.get(i)))
                && java.util.Arrays.equals(signature, a.signature)
                && Objects.equals(tokenSerial, a.tokenSerial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, algorithm, java.util.Arrays.hashCode(signature), tokenSerial);
    }

    @Override
    public String toString() {
        return "Assertion[" + format + ", " + algorithm + ", chain " + chain.size() + ", tokenSerial " + tokenSerial
                + "]";
    }
}
