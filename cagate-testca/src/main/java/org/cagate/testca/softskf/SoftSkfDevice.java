package org.cagate.testca.softskf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cagate.testca.Credential;
import org.cagate.testca.Pem;

/**
 * One device of a {@link SoftSkf} installation: a folder with device.conf, an application folder per SKF
 * application (its user PIN in pin.conf) and a container folder per key (sign.key.pem, sign.cert.der).
 * Unplugging moves the folder away, as pulling the key out of the USB port.
 */
public final class SoftSkfDevice {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    private final SoftSkf skf;
    private final String name;

    private SoftSkfDevice(SoftSkf skf, String name) {
        this.skf = skf;
        this.name = name;
    }

    static SoftSkfDevice create(SoftSkf skf, String name, String serial) {
        requireName(name, "device name");
        if (serial == null || !serial.matches("[\\x21-\\x7e]{1,32}")) {
            throw new IllegalArgumentException("serial must be 1-32 printable ASCII characters, got " + serial);
        }
        SoftSkfDevice device = new SoftSkfDevice(skf, name);
        try {
            Files.createDirectories(device.folder());
            Files.writeString(
                    device.folder().resolve("device.conf"),
                    "serial=" + serial + "\nlabel=" + name + "\nmanufacturer=cagate soft SKF (test only)\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return device;
    }

    public String name() {
        return name;
    }

    /** The device's folder while it is plugged in. */
    public Path folder() {
        return skf.devices().resolve(name);
    }

    /** A new application with its user PIN, which locks after {@code maxRetries} wrong PINs in a row. */
    public Application application(String appName, String userPin, int maxRetries) {
        requireName(appName, "application name");
        if (userPin == null || userPin.length() < 4 || userPin.length() > 64) {
            throw new IllegalArgumentException("the user PIN must be 4-64 characters");
        }
        if (maxRetries < 1 || maxRetries > 15) {
            throw new IllegalArgumentException("maxRetries must be 1-15");
        }
        Path dir = folder().resolve(appName);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Application application = new Application(dir);
        application.writePin(Map.of(
                "user-pin-sha256", sha256(userPin),
                "max-retries", String.valueOf(maxRetries),
                "retries-left", String.valueOf(maxRetries),
                "refused", "0"));
        return application;
    }

    public Application application(String appName) {
        return new Application(folder().resolve(appName));
    }

    /** Pulls the key out: SKF_EnumDev no longer lists it and its open handles answer SAR_DEVICE_REMOVED. */
    public void unplug() {
        move(folder(), skf.unplugged().resolve(name));
    }

    /** Puts the key back. */
    public void plugIn() {
        move(skf.unplugged().resolve(name), folder());
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SKF application: the user PIN's state and the containers (one key and certificate each). */
    public static final class Application {
        private final Path dir;

        private Application(Path dir) {
            this.dir = dir;
        }

        /** A container holding the credential's key and certificate (SM2 or RSA), written as PEM and DER. */
        public Application container(String containerName, Credential credential) {
            try {
                return container(
                        containerName,
                        Pem.privateKey(credential.keyPair().getPrivate()).getBytes(StandardCharsets.US_ASCII),
                        credential.certificate().getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        /**
         * A container from a key and a certificate made by any tool: the key as unencrypted PKCS#8 PEM
         * ({@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2}), the certificate as DER.
         */
        public Application container(String containerName, byte[] keyPem, byte[] certificateDer) {
            requireName(containerName, "container name");
            Path container = dir.resolve(containerName);
            try {
                Files.createDirectories(container);
                Files.write(container.resolve("sign.key.pem"), keyPem);
                Files.write(container.resolve("sign.cert.der"), certificateDer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** What the key's PIN counter says now. */
        public int retriesLeft() {
            return Integer.parseInt(readPin().get("retries-left"));
        }

        /**
         * How many PINs the key refused (SKF_VerifyPIN with a wrong PIN, or any PIN while locked) since the
         * application was made: a test sees whether a PIN was tried at all.
         */
        public int refusals() {
            return Integer.parseInt(readPin().getOrDefault("refused", "0"));
        }

        /** Sets the counter, e.g. to 0 to hand out a locked key. */
        public Application retriesLeft(int left) {
            Map<String, String> pin = readPin();
            pin.put("retries-left", String.valueOf(left));
            writePin(pin);
            return this;
        }

        private Map<String, String> readPin() {
            try {
                Map<String, String> values = new TreeMap<>();
                for (String line : Files.readAllLines(dir.resolve("pin.conf"), StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        values.put(line.substring(0, eq), line.substring(eq + 1).strip());
                    }
                }
                return values;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writePin(Map<String, String> values) {
            StringBuilder text = new StringBuilder();
            for (String key : new String[] {"user-pin-sha256", "max-retries", "retries-left", "refused"}) {
                text.append(key).append('=').append(values.get(key)).append('\n');
            }
            try {
                Path tmp = dir.resolve("pin.conf.tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, dir.resolve("pin.conf"), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void requireName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME + ", got " + name);
        }
    }

    static String sha256(String pin) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(pin.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
