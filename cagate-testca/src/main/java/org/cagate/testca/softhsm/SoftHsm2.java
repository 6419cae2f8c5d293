package org.cagate.testca.softhsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private SoftHSM2 installation in one folder: its own softhsm2.conf and token directory, so tests never
 * touch /etc/softhsm or /var/lib/softhsm and never see each other's tokens.
 *
 * <pre>{@code
 * assumeTrue(SoftHsm2.isAvailable(), SoftHsm2.unavailableReason());
 * SoftHsm2 hsm = SoftHsm2.create(tempDir);
 * SoftHsmToken token = hsm.initToken("ZJHX-KEY", "12345678", "123456");
 * token.write(credential, "西子");
 * // child process: env SOFTHSM2_CONF=hsm.conf(), SunPKCS11 with token.sunPkcs11Config("ukey")
 * }</pre>
 *
 * <p>SOFTHSM2_CONF is read by the process that loads libsofthsm2.so, once, so a JVM cannot switch it for
 * itself: every token operation here runs softhsm2-util or pkcs11-tool as a child process, and code under
 * test that loads the library must run in a child process started with {@link #environment()}.
 */
public final class SoftHsm2 {
    /** Debian's softhsm2 package; override with the environment variable CAGATE_SOFTHSM2_LIBRARY. */
    public static final Path DEFAULT_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    private final Path folder;
    private final Path conf;
    private final Path tokens;

    private SoftHsm2(Path folder) {
        this.folder = folder;
        this.conf = folder.resolve("softhsm2.conf");
        this.tokens = folder.resolve("tokens");
    }

    /** The PKCS#11 module to load. */
    public static Path library() {
        String configured = System.getenv("CAGATE_SOFTHSM2_LIBRARY");
        return configured != null && !configured.isBlank() ? Path.of(configured) : DEFAULT_LIBRARY;
    }

    /** True when the library, softhsm2-util and pkcs11-tool (opensc) are installed. */
    public static boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why SoftHSM2 tests are skipped, or "" when they can run; meant for {@code assumeTrue(..., reason)}. */
    public static String unavailableReason() {
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(library())) {
            missing.add(library() + " (apt-get install softhsm2)");
        }
        if (Tools.onPath("softhsm2-util") == null) {
            missing.add("softhsm2-util (apt-get install softhsm2)");
        }
        if (Tools.onPath("pkcs11-tool") == null) {
            missing.add("pkcs11-tool (apt-get install opensc)");
        }
        return missing.isEmpty() ? "" : "SoftHSM2 tests skipped, missing: " + String.join(", ", missing);
    }

    /** Creates (or reopens) the installation in the given folder, e.g. a JUnit @TempDir. */
    public static SoftHsm2 create(Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!isAvailable()) {
            throw new SoftHsmException(unavailableReason());
        }
        SoftHsm2 hsm = new SoftHsm2(folder.toAbsolutePath());
        try {
            Files.createDirectories(hsm.tokens);
            Files.createDirectories(hsm.unpluggedFolder());
            // Removable slots, so PKCS#11 clients treat the token like a USB key (CKF_REMOVABLE_DEVICE).
            Files.writeString(
                    hsm.conf,
                    "directories.tokendir = " + hsm.tokens + "\n"
                            + "objectstore.backend = file\n"
                            + "log.level = ERROR\n"
                            + "slots.removable = true\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SoftHsmException("cannot create SoftHSM2 folder " + folder, e);
        }
        return hsm;
    }

    public Path folder() {
        return folder;
    }

    /** The softhsm2.conf to put in SOFTHSM2_CONF. */
    public Path conf() {
        return conf;
    }

    public Path tokenDirectory() {
        return tokens;
    }

    /** The environment a child process that loads the library needs: SOFTHSM2_CONF. */
    public Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", conf.toString());
    }

    /**
     * Initialises a fresh token with the given label, SO PIN and user PIN (4 to 255 characters each), the
     * way a CA company hands out a USB key.
     */
    public SoftHsmToken initToken(String label, String soPin, String userPin) {
        requireLabel(label);
        requirePin(soPin, "SO PIN");
        requirePin(userPin, "user PIN");
        if (token(label).isPresent()) {
            throw new SoftHsmException("a token labelled " + label + " already exists in " + tokens);
        }
        Tools.run(
                conf,
                List.of(
                        "softhsm2-util",
                        "--init-token",
                        "--free",
                        "--label",
                        label,
                        "--so-pin",
                        soPin,
                        "--pin",
                        userPin));
        SoftHsmToken token = token(label).orElseThrow(() -> new SoftHsmException("token " + label + " not found"));
        return token.withUserPin(userPin);
    }

    /** The plugged-in token with this label, if any (its user PIN is not known to a token found this way). */
    public Optional<SoftHsmToken> token(String label) {
        return tokens().stream().filter(t -> t.label().equals(label)).findFirst();
    }

    /** The tokens currently plugged in. */
    public List<SoftHsmToken> tokens() {
        try (Stream<Path> dirs = Files.list(tokens)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("token.object")))
                    .sorted()
                    .map(d -> new SoftHsmToken(this, d.getFileName().toString(), null))
                    .toList();
        } catch (IOException e) {
            throw new SoftHsmException("cannot list " + tokens, e);
        }
    }

    Path unpluggedFolder() {
        return folder.resolve("unplugged");
    }

    static void requirePin(String pin, String what) {
        Objects.requireNonNull(pin, what);
        if (pin.length() < 4 || pin.length() > 255) {
            throw new IllegalArgumentException(what + " must have 4 to 255 characters");
        }
    }

    private static void requireLabel(String label) {
        Objects.requireNonNull(label, "label");
        if (label.isBlank() || label.getBytes(StandardCharsets.UTF_8).length > 32) {
            throw new IllegalArgumentException("a token label has 1 to 32 bytes (UTF-8): " + label);
        }
    }
}
