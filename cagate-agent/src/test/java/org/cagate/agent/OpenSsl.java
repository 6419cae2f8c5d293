package org.cagate.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The OpenSSL command line as an independent verifier of what the agent signs. */
final class OpenSsl {
    record Result(int exitCode, String output) {}

    private OpenSsl() {}

    static boolean isAvailable() {
        try {
            return run(List.of("openssl", "version")).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** RAW: {@code openssl dgst -sha256|-sm3 -verify pub.pem -signature sig data}. */
    static Result verifyRaw(Path dir, X509Certificate certificate, String algorithm, byte[] data, byte[] signature)
            throws IOException {
        Path cert = write(dir, "signer.pem", pem(certificate));
        Path pub = dir.resolve("signer.pub.pem");
        Result extract =
                run(List.of("openssl", "x509", "-in", cert.toString(), "-pubkey", "-noout", "-out", pub.toString()));
        if (extract.exitCode() != 0) {
            return extract;
        }
        Path dataFile = write(dir, "data.bin", data);
        Path sigFile = write(dir, "sig.bin", signature);
        List<String> command = new ArrayList<>(List.of("openssl", "dgst"));
        if (algorithm.equals("SM3withSM2")) {
            command.addAll(List.of("-sm3", "-sigopt", "distid:1234567812345678"));
        } else {
            command.add("-sha256");
        }
        command.addAll(List.of("-verify", pub.toString(), "-signature", sigFile.toString(), dataFile.toString()));
        return run(command);
    }

    /** CMS: {@code openssl cms -verify -binary -inform DER -in sig -content data -CAfile root.pem}. */
    static Result verifyCms(Path dir, X509Certificate root, byte[] data, byte[] cms) throws IOException {
        Path rootFile = write(dir, "root.pem", pem(root));
        Path dataFile = write(dir, "data.bin", data);
        Path cmsFile = write(dir, "sig.p7s", cms);
        return run(List.of(
                "openssl",
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                cmsFile.toString(),
                "-content",
                dataFile.toString(),
                "-CAfile",
                rootFile.toString(),
                "-purpose",
                "any",
                "-out",
                dir.resolve("out.bin").toString()));
    }

    /**
     * A CMS signer's signature over its DER signed attributes, checked with {@code openssl dgst}: the
     * independent check of SM2 CMS, which OpenSSL 3.0's {@code cms -verify} cannot do.
     */
    static Result verifySignedAttributes(Path dir, X509Certificate certificate, String algorithm, byte[] cms)
            throws IOException {
        try {
            org.bouncycastle.cms.SignerInformation signer = new org.bouncycastle.cms.CMSSignedData(cms)
                    .getSignerInfos()
                    .getSigners()
                    .iterator()
                    .next();
            return verifyRaw(dir, certificate, algorithm, signer.getEncodedSignedAttributes(), signer.getSignature());
        } catch (org.bouncycastle.cms.CMSException e) {
            throw new IOException(e);
        }
    }

    static byte[] pem(X509Certificate certificate) {
        try {
            return ("-----BEGIN CERTIFICATE-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(certificate.getEncoded())
                            + "\n-----END CERTIFICATE-----\n")
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
