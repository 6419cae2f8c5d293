package org.cagate.testca.softhsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs softhsm2-util and pkcs11-tool as child processes. SOFTHSM2_CONF is read by the process that loads
 * the library, so each call gets its own environment; PIN arguments are masked in every message.
 */
final class Tools {
    private static final Set<String> SECRET_OPTIONS = Set.of("--pin", "--so-pin", "--new-pin", "--file-pin");
    private static final long TIMEOUT_SECONDS = 60;

    private Tools() {}

    /** The executable on PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs the command with SOFTHSM2_CONF set; returns stdout+stderr, or throws with the masked command line. */
    static String run(Path conf, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(asciiSafe(command)).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SOFTHSM2_CONF", conf.toString());
        Path log = null;
        try {
            // Output goes to a file so that a tool that hangs cannot block us past the timeout.
            log = Files.createTempFile("softhsm-tool", ".log");
            builder.redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SoftHsmException("timed out: " + masked(command));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new SoftHsmException(
                        "failed (exit " + process.exitValue() + "): " + masked(command) + "\n" + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new SoftHsmException("cannot run " + masked(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SoftHsmException("interrupted: " + masked(command), e);
        } finally {
            deleteQuietly(log);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover log in the temp folder holds no secret: PINs are arguments, not output
            }
        }
    }

    /**
     * The JVM encodes arguments in sun.jnu.encoding, which is ASCII under LANG=C, and Chinese token and
     * object labels would arrive as "??". A non-ASCII argument is therefore spelled as octal UTF-8 bytes
     * for printf in an ASCII-only sh script, which hands the exact bytes to the tool.
     */
    static List<String> asciiSafe(List<String> command) {
        if (command.stream().allMatch(Tools::isAscii)) {
            return command;
        }
        StringBuilder script = new StringBuilder("exec");
        for (String arg : command) {
            script.append(' ');
            if (isAscii(arg)) {
                script.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            } else {
                script.append("\"$(printf '");
                for (byte b : arg.getBytes(StandardCharsets.UTF_8)) {
                    script.append('\\').append(String.format("%03o", b & 0xff));
                }
                script.append("')\"");
            }
        }
        return List.of("/bin/sh", "-c", script.toString());
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    static String masked(List<String> command) {
        List<String> shown = new ArrayList<>();
        boolean hideNext = false;
        for (String arg : command) {
            shown.add(hideNext ? "****" : arg);
            hideNext = SECRET_OPTIONS.contains(arg);
        }
        return String.join(" ", shown);
    }
}
