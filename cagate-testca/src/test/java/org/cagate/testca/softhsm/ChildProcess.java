package org.cagate.testca.softhsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command or a class of the test classpath in a child process with a token folder's environment. */
final class ChildProcess {
    private ChildProcess() {}

    static String run(Map<String, String> env, String stdin, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("child process timed out: " + command);
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /** Runs SunPkcs11Probe; returns its key=value lines. */
    static Map<String, String> probe(SoftHsm2 hsm, Path config, String pin, byte[] data) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SunPkcs11Probe.class.getName(),
                config.toString(),
                java.util.Base64.getEncoder().encodeToString(data)));
        String output = run(hsm.environment(), pin, command);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            } else if (line.equals("done")) {
                values.put("done", "true");
            }
        }
        values.putIfAbsent("output", output);
        return values;
    }

    static String pkcs11Tool(SoftHsm2 hsm, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("pkcs11-tool", "--module", SoftHsm2.library().toString()));
        command.addAll(List.of(args));
        return run(hsm.environment(), null, command);
    }
}
