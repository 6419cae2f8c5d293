package org.cagate.testca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A user's key pair and certificate as a CA company hands them out: the leaf, the CA certificates
 * above it (issuer first, root last) and the key.
 */
public record Credential(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> caCertificates) {

    public Credential {
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(certificate, "certificate");
        caCertificates = List.copyOf(caCertificates);
    }

    /** Leaf first, then the CA certificates, root last. */
    public List<X509Certificate> fullChain() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(caCertificates);
        return chain;
    }

    /** Leaf and intermediates, without the root: what a client typically sends. */
    public List<X509Certificate> chainWithoutRoot() {
        List<X509Certificate> chain = fullChain();
        return chain.subList(0, chain.size() - 1);
    }

    /** The same key with another certificate, e.g. after renewal. */
    public Credential withCertificate(X509Certificate renewed, List<X509Certificate> caCertificates) {
        return new Credential(keyPair, renewed, caCertificates);
    }

    /**
     * A PKCS#12 file holding the key and chain under the given alias, written by Bouncy Castle's keystore
     * (so SM2 keys work) with PBES2: AES-256 for the key, AES-128 for the certificates. BC's plain "PKCS12"
     * would encrypt the certificates with 40-bit RC2, which OpenSSL 3 only opens with -legacy.
     */
    public byte[] toPkcs12(String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12-AES256-AES128", BouncyCastle.PROVIDER);
            store.load(null, null);
            store.setKeyEntry(alias, keyPair.getPrivate(), password, fullChain().toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write PKCS#12", e);
        }
    }

    public Path writePkcs12(Path file, String alias, char[] password) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, toPkcs12(alias, password));
    }
}
