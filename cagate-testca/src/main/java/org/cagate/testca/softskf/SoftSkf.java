package org.cagate.testca.softskf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The soft SKF token (GM/T 0016), a TEST stand-in for a 国密 USB key's vendor driver, as SoftHSM2 is for
 * PKCS#11: a C library on OpenSSL 3 (cagate-testca/src/main/c/softskf.c) over a folder of "devices".
 * It keeps keys in plain files and protects nothing.
 *
 * <pre>{@code
 * assumeTrue(SoftSkf.isAvailable(), SoftSkf.unavailableReason());
 * SoftSkf skf = SoftSkf.create(tempDir);          // tempDir/libcagate-softskf.so, tempDir/devices/
 * SoftSkfDevice key = skf.device("SCCA-KEY", "510100000000001S");
 * key.application("SCCA_APP", "123456", 6).container("SM2_SIGN", credential);
 * // the agent: provider.SCCA.skf.library=<skf.library()>
 * key.unplug(); key.plugIn();
 * }</pre>
 *
 * <p>Each installation gets its own copy of the library, which finds its devices in the folder
 * "devices" beside it (or in $CAGATE_SOFTSKF_ROOT), so one JVM can hold several installations without
 * them seeing each other's keys. The folder layout is in docs/testca.md, so a token can be provisioned
 * from a key and a certificate made by any tool (openssl, a CA's own software).
 */
public final class SoftSkf {
    static final String LIBRARY_NAME = "libcagate-softskf.so";
    private static final String RESOURCE = "/softskf/linux-x86-64/" + LIBRARY_NAME;

    private final Path folder;
    private final Path library;

    private SoftSkf(Path folder, Path library) {
        this.folder = folder;
        this.library = library;
    }

    public static boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why soft SKF tests are skipped, or "" when they can run; meant for {@code assumeTrue(..., reason)}. */
    public static String unavailableReason() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "soft SKF tests skipped: the soft token is built for Linux x86-64 only, this is " + os + " " + arch;
        }
        if (SoftSkf.class.getResource(RESOURCE) == null) {
            return "soft SKF tests skipped: " + LIBRARY_NAME + " was not built (the cagate-testca build needs gcc"
                    + " and libssl-dev: apt-get install gcc libssl-dev)";
        }
        return "";
    }

    /** A fresh installation in {@code folder} (e.g. a JUnit @TempDir): the library and an empty devices folder. */
    public static SoftSkf create(Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!isAvailable()) {
            throw new IllegalStateException(unavailableReason());
        }
        Path absolute = folder.toAbsolutePath();
        try (InputStream in = SoftSkf.class.getResourceAsStream(RESOURCE)) {
            Files.createDirectories(absolute.resolve("devices"));
            Files.createDirectories(absolute.resolve("unplugged"));
            Path library = absolute.resolve(LIBRARY_NAME);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            return new SoftSkf(absolute, library);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the soft SKF token in " + folder, e);
        }
    }

    /**
     * A copy, in {@code folder}, of a library that needs another one (libcagate-gone.so) that is not
     * installed: the loader refuses it as it refuses a vendor driver installed without its dependencies.
     */
    public static Path libraryWithMissingDependency(Path folder) {
        try (InputStream in =
                SoftSkf.class.getResourceAsStream("/softskf/linux-x86-64/fixtures/libcagate-skf-needs-gone.so")) {
            Files.createDirectories(folder);
            Path copy = folder.toAbsolutePath().resolve("libvendor-skf.so");
            Files.copy(Objects.requireNonNull(in, "fixture not built"), copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library to configure as the provider's SKF library (provider.X.skf.library). */
    public Path library() {
        return library;
    }

    /** Where the plugged-in devices are: one folder each. */
    public Path devices() {
        return folder.resolve("devices");
    }

    /** The environment that points a library loaded elsewhere at these devices. */
    public Map<String, String> environment() {
        return Map.of("CAGATE_SOFTSKF_ROOT", devices().toString());
    }

    /**
     * A new device ("USB key") with its serial number (what SKF_GetDevInfo reports, the CA锁ID printed on
     * the key), plugged in.
     */
    public SoftSkfDevice device(String name, String serial) {
        return SoftSkfDevice.create(this, name, serial);
    }

    Path unplugged() {
        return folder.resolve("unplugged");
    }
}
