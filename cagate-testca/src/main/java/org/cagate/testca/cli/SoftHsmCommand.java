package org.cagate.testca.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.softhsm.SoftHsm2;
import org.cagate.testca.softhsm.SoftHsmToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "softhsm",
        description = "Write a user key and its certificates into a new SoftHSM2 token (a test \"USB key\"): "
                + "a new user of a CA folder (--dir --cn ...) or the key of a PKCS#12 file (--p12).")
final class SoftHsmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--hsm-dir", required = true, description = "SoftHSM2 folder (softhsm2.conf and tokens).")
    Path hsmDir;

    @Option(names = "--label", required = true, description = "Token label, e.g. ZJHX-KEY.")
    String label;

    @Option(names = "--pin", required = true, description = "User PIN (4 to 255 characters).")
    String pin;

    @Option(names = "--so-pin", required = true, description = "Security officer PIN.")
    String soPin;

    @Option(names = "--token-serial", description = "Serial number the token reports (up to 16 ASCII).")
    String tokenSerial;

    @Option(names = "--key-label", description = "CKA_LABEL of key and certificate (default: the CN).")
    String keyLabel;

    @Option(names = "--dir", description = "CA folder to issue a new user from (with --cn ...).")
    Path caDir;

    @Mixin
    IssueCommand.UserOptions user;

    @Option(names = "--p12", description = "Or: a PKCS#12 file holding the key to write.")
    Path p12;

    @Option(names = "--p12-pin", description = "The PKCS#12 file's password.")
    String p12Pin;

    @Override
    public Integer call() throws Exception {
        if (!SoftHsm2.isAvailable()) {
            throw new IllegalStateException(SoftHsm2.unavailableReason());
        }
        if ((caDir == null) == (p12 == null)) {
            throw new IllegalArgumentException("give either --dir (and --cn) for a new user or --p12 for a key");
        }
        Credential credential;
        if (caDir != null) {
            TestCa ca = TestCa.load(caDir);
            credential = user.issue(ca);
            ca.save(caDir);
        } else {
            if (p12Pin == null) {
                throw new IllegalArgumentException("--p12 needs --p12-pin");
            }
            credential = readPkcs12(p12, p12Pin.toCharArray());
        }
        SoftHsm2 hsm = SoftHsm2.create(hsmDir);
        SoftHsmToken token = hsm.initToken(label, soPin, pin);
        if (tokenSerial != null) {
            token.setSerial(tokenSerial);
        }
        String id = token.write(credential, keyLabel != null ? keyLabel : commonName(credential));
        var out = spec.commandLine().getOut();
        out.println("SOFTHSM2_CONF=" + hsm.conf());
        out.println("library: " + SoftHsm2.library());
        out.println("token: " + token.label() + " serial " + token.serial() + " slot " + token.slotId());
        out.println("CKA_ID: " + id);
        out.println("certificate serial: "
                + credential.certificate().getSerialNumber().toString(16));
        out.flush();
        return 0;
    }

    static Credential readPkcs12(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12", TestPki.bouncyCastle());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Certificate[] chain = store.getCertificateChain(alias);
                X509Certificate leaf = (X509Certificate) chain[0];
                List<X509Certificate> cas = new ArrayList<>();
                for (int i = 1; i < chain.length; i++) {
                    cas.add((X509Certificate) chain[i]);
                }
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                return new Credential(new KeyPair(leaf.getPublicKey(), key), leaf, cas);
            }
        }
        throw new IllegalArgumentException(file + " holds no key");
    }

    private static String commonName(Credential credential) {
        String name = credential.certificate().getSubjectX500Principal().getName();
        for (String part : name.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return "key";
    }
}
