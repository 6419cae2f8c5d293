package org.cagate.testca.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cagate.testca.Pem;

/** The OpenSSL command line, an implementation independent of Bouncy Castle, run in a test's folder. */
final class OpenSsl {
    /** The GM/T 0009 default SM2 user id that Bouncy Castle signs with. */
    static final String SM2_DISTID = "distid:1234567812345678";

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path dir;

    OpenSsl(Path dir) {
        this.dir = dir;
    }

    static boolean isAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    static String unavailableReason() {
        return "OpenSSL interop tests skipped: no openssl on PATH (apt-get install openssl)";
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "openssl", ".out");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl timed out: " + command);
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Writes the certificates, PEM, into one file of the folder; returns its name. */
    String pem(String name, X509Certificate... certificates) throws IOException {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            text.append(Pem.certificate(certificate));
        }
        Files.writeString(dir.resolve(name), text);
        return name;
    }

    String file(String name, byte[] content) throws IOException {
        Files.write(dir.resolve(name), content);
        return name;
    }
}
