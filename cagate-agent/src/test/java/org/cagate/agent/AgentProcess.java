package org.cagate.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as users run it: its own JVM, started with {@code AgentMain --config}, with the environment
 * a PKCS#11 module reads once per process (SOFTHSM2_CONF). Its output is kept, so tests can check what
 * the help desk would read.
 */
final class AgentProcess implements AutoCloseable {
    /** What the jar's manifest grants (Add-Exports, Add-Opens) when the agent runs from a class path. */
    static final String JVM_ACCESS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED"
            + " --add-opens jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final int port;

    private AgentProcess(Path config, Map<String, String> environment, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String access = System.getProperty("cagate.agent.jvmAccess", JVM_ACCESS);
        command.addAll(
                Arrays.stream(access.split("\\s+")).filter(s -> !s.isBlank()).toList());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName(),
                "--config",
                config.toString(),
                "--port",
                "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> drain(listening), "agent-output");
        reader.setDaemon(true);
        reader.start();
        try {
            port = listening.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("agent did not start:\n" + output, e);
        }
    }

    static AgentProcess start(Path config, Map<String, String> environment) throws IOException {
        return new AgentProcess(config, environment, List.of());
    }

    /** With these JVM options too, e.g. the installed agent's ({@link #packagedJvmOptions}). */
    static AgentProcess start(Path config, Map<String, String> environment, List<String> jvmOptions)
            throws IOException {
        return new AgentProcess(config, environment, jvmOptions);
    }

    /**
     * The JVM options the installed agent starts with: the {@code -X} options of the launcher the
     * Debian package installs ({@code src/deb/files/cagate-agent}, read from the module's folder), so a
     * benchmark measures the JVM users run (serial GC, a 64 MiB heap, C1 only) and not a test default.
     */
    static List<String> packagedJvmOptions() throws IOException {
        Path launcher = Path.of("src", "deb", "files", "cagate-agent");
        return java.nio.file.Files.readAllLines(launcher, StandardCharsets.UTF_8).stream()
                .map(String::trim)
                .filter(line -> !line.startsWith("#"))
                .flatMap(line -> Arrays.stream(line.split("\\s+")))
                .filter(word -> word.startsWith("-X") && !word.contains("$"))
                .toList();
    }

    private void drain(CompletableFuture<Integer> listening) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        listening.completeExceptionally(new IOException("agent exited"));
    }

    int port() {
        return port;
    }

    /** Everything the agent printed: the help-desk log. */
    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
