package org.cagate.testca;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * A test CA on disk. One folder per CA:
 *
 * <pre>
 * ca.properties            provider code, algorithm, default CRL/OCSP URLs, last CRL number
 * root.crt.pem             root certificate          root.key.pem          its PKCS#8 key
 * intermediate.crt.pem     (when there is one)       intermediate.key.pem
 * issued.pem               every certificate the CA issued (for OCSP good/unknown)
 * revoked.txt              one line per revocation: serial (hex), revocation time (ISO-8601), reason code
 * </pre>
 *
 * Files are written to a temporary name and moved into place, so a reader never sees half a file.
 */
final class CaFolder {
    static final String PROPERTIES = "ca.properties";
    private static final String FORMAT = "1";

    private CaFolder() {}

    static boolean isSaved(Path folder) {
        return Files.isRegularFile(folder.resolve(PROPERTIES));
    }

    static void save(TestCa ca, Path folder) throws IOException {
        Files.createDirectories(folder);
        write(folder, "root.crt.pem", Pem.certificate(ca.root()));
        write(folder, "root.key.pem", Pem.privateKey(ca.rootKey().getPrivate()));
        if (ca.intermediateIssuer().isPresent()) {
            TestCa.Issuer sub = ca.intermediateIssuer().get();
            write(folder, "intermediate.crt.pem", Pem.certificate(sub.certificate()));
            write(folder, "intermediate.key.pem", Pem.privateKey(sub.key().getPrivate()));
        }
        saveLists(ca, folder);
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("providerCode", ca.providerCode());
        properties.setProperty("algorithm", ca.algorithm().name());
        properties.setProperty(
                "intermediate", Boolean.toString(ca.intermediate().isPresent()));
        properties.setProperty("lastCrlNumber", Long.toString(ca.lastCrlNumber()));
        ca.defaultCrlUrl().ifPresent(url -> properties.setProperty("defaultCrlUrl", url));
        ca.defaultOcspUrl().ifPresent(url -> properties.setProperty("defaultOcspUrl", url));
        StringWriter text = new StringWriter();
        properties.store(text, "cagate test CA - test and demo use only, keys are not protected");
        // Written last: a folder with ca.properties is complete.
        write(folder, PROPERTIES, text.toString());
    }

    /** Only the lists that change after creation: what the CLI's issue and revoke write. */
    static void saveLists(TestCa ca, Path folder) throws IOException {
        StringBuilder issued = new StringBuilder();
        ca.issuedCertificates().stream()
                .sorted(Comparator.comparing(X509Certificate::getSerialNumber))
                .forEach(c -> issued.append(Pem.certificate(c)));
        write(folder, "issued.pem", issued.toString());
        StringBuilder revoked = new StringBuilder();
        ca.revocations().stream()
                .sorted(Comparator.comparing(TestCa.Revocation::serialNumber))
                .forEach(r -> revoked.append(r.serialNumber().toString(16))
                        .append(' ')
                        .append(r.revokedAt())
                        .append(' ')
                        .append(r.reason())
                        .append('\n'));
        write(folder, "revoked.txt", revoked.toString());
    }

    static TestCa load(Path folder, Clock clock, SecureRandom random) throws IOException {
        if (!isSaved(folder)) {
            throw new IOException("no saved test CA in " + folder + " (missing " + PROPERTIES + ")");
        }
        Properties properties = new Properties();
        try (Reader in = new StringReader(read(folder, PROPERTIES))) {
            properties.load(in);
        }
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw new IOException("unknown test CA folder format in " + folder);
        }
        KeyAlgorithm algorithm = KeyAlgorithm.valueOf(required(properties, "algorithm"));
        X509Certificate root = single(folder, "root.crt.pem");
        KeyPair rootKey = new KeyPair(root.getPublicKey(), Pem.privateKey(read(folder, "root.key.pem"), algorithm));
        TestCa.Issuer sub = null;
        if (Boolean.parseBoolean(properties.getProperty("intermediate"))) {
            X509Certificate certificate = single(folder, "intermediate.crt.pem");
            sub = new TestCa.Issuer(
                    certificate,
                    new KeyPair(
                            certificate.getPublicKey(),
                            Pem.privateKey(read(folder, "intermediate.key.pem"), algorithm)));
        }
        TestCa ca = new TestCa(required(properties, "providerCode"), algorithm, root, rootKey, sub, clock, random);
        ca.lastCrlNumber(Long.parseLong(properties.getProperty("lastCrlNumber", "0")));
        ca.defaultCrlUrl(properties.getProperty("defaultCrlUrl"));
        ca.defaultOcspUrl(properties.getProperty("defaultOcspUrl"));
        refresh(ca, folder);
        return ca;
    }

    static void refresh(TestCa ca, Path folder) throws IOException {
        if (Files.exists(folder.resolve("issued.pem"))) {
            for (X509Certificate certificate : Pem.certificates(read(folder, "issued.pem"))) {
                ca.recordIssued(certificate);
            }
        }
        if (Files.exists(folder.resolve("revoked.txt"))) {
            for (String line : read(folder, "revoked.txt").split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                if (fields.length != 3) {
                    throw new IOException("bad line in " + folder.resolve("revoked.txt") + ": " + line);
                }
                ca.revoke(new BigInteger(fields[0], 16), Instant.parse(fields[1]), Integer.parseInt(fields[2]));
            }
        }
    }

    private static X509Certificate single(Path folder, String name) throws IOException {
        List<X509Certificate> certificates = Pem.certificates(read(folder, name));
        if (certificates.size() != 1) {
            throw new IOException("expected one certificate in " + folder.resolve(name));
        }
        return certificates.get(0);
    }

    private static String required(Properties properties, String key) throws IOException {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IOException("missing " + key + " in " + PROPERTIES);
        }
        return value;
    }

    private static String read(Path folder, String name) throws IOException {
        return Files.readString(folder.resolve(name), StandardCharsets.UTF_8);
    }

    private static void write(Path folder, String name, String text) throws IOException {
        Path temporary = Files.createTempFile(folder, name, ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(
                temporary, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
