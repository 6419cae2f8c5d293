package org.cagate.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.cagate.testca.Credential;

/**
 * Another key in a provider's PKCS#12 folder for the length of a test, as a user who plugs in another
 * UKey (or pulls theirs out): 西子's file is moved aside and put back on close.
 *
 * <pre>{@code try (KeySwap swap = KeySwap.pullOut(demo, "CFCA")) { ... }}</pre>
 */
final class KeySwap implements AutoCloseable {

    private final Path original;
    private final Path aside;
    private final Path inserted;

    private KeySwap(Path original, Path aside, Path inserted) {
        this.original = original;
        this.aside = aside;
        this.inserted = inserted;
    }

    /** No key for the provider at all. */
    static KeySwap pullOut(Demo demo, String provider) throws IOException {
        return swap(demo, provider, null, null);
    }

    /** The credential (PIN {@link DemoData#PIN}) instead of 西子's key. */
    static KeySwap insert(Demo demo, String provider, Credential credential, String holder) throws IOException {
        return swap(demo, provider, credential, holder);
    }

    private static KeySwap swap(Demo demo, String provider, Credential credential, String holder) throws IOException {
        DemoPki.DemoKey key = demo.pki().key(provider);
        if (!key.inFile()) {
            throw new IllegalArgumentException(provider + " has a token, not a PKCS#12 folder");
        }
        Path original = key.pkcs12Folder().resolve(DemoPki.KEY_FILE);
        Path aside = demo.dataFolder().resolve(provider + "-aside.p12");
        Files.move(original, aside, StandardCopyOption.REPLACE_EXISTING);
        Path inserted = null;
        if (credential != null) {
            inserted = key.pkcs12Folder().resolve(holder + ".p12");
            credential.writePkcs12(inserted, holder, DemoData.PIN.toCharArray());
        }
        return new KeySwap(original, aside, inserted);
    }

    @Override
    public void close() throws IOException {
        if (inserted != null) {
            Files.deleteIfExists(inserted);
        }
        Files.move(aside, original, StandardCopyOption.REPLACE_EXISTING);
    }
}
