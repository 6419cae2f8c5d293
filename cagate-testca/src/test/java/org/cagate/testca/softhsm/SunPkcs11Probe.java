package org.cagate.testca.softhsm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;

/**
 * What a PKCS#11 client such as the agent does, run in a child JVM because SOFTHSM2_CONF is read once per
 * process: load SunPKCS11 with the given config, log in with the PIN read from stdin, find the key and its
 * certificate, and sign the given bytes. Prints key=value lines for the test to read.
 */
public final class SunPkcs11Probe {
    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        byte[] data = Base64.getDecoder().decode(args[1]);
        String pin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        Provider provider = Security.getProvider("SunPKCS11").configure(config.toString());
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                PrivateKey key = (PrivateKey) store.getKey(alias, null);
                Certificate[] chain = store.getCertificateChain(alias);
                Signature signer = Signature.getInstance(
                        key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA", provider);
                signer.initSign(key);
                signer.update(data);
                // SunPKCS11 turns each CKA_LABEL byte into one char: print the token's bytes as they were.
                byte[] label = alias.getBytes(StandardCharsets.ISO_8859_1);
                System.out.println("alias=" + Base64.getEncoder().encodeToString(label));
                System.out.println("chain=" + chain.length);
                System.out.println("cert=" + Base64.getEncoder().encodeToString(chain[0].getEncoded()));
                System.out.println("signature=" + Base64.getEncoder().encodeToString(signer.sign()));
            }
            System.out.println("done");
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("error=" + root.getMessage());
        }
    }
}
