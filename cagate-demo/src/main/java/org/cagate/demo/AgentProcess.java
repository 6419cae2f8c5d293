package org.cagate.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cagate.demo.DemoPki.DemoKey;
import org.cagate.testca.softhsm.SoftHsm2;

/**
 * The local agent (证书驱动 + 签章服务) of the demo, run as a child JVM with the demo's class path: a
 * PKCS#11 module reads SOFTHSM2_CONF once, from the environment of the process that loads it, so the
 * SoftHSM2 token needs a process started with that variable, just as a user's PC starts the agent.
 * Its configuration file and console log live in {@code <data>/agent}.
 */
final class AgentProcess implements AutoCloseable {

    /** What SunPKCS11's wrapper needs when the agent is not started with {@code java -jar} (docs/agent.md). */
    private static final List<String> JVM_ACCESS = List.of(
            "--add-exports", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
            "--add-opens", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED");

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final long START_SECONDS = 60;

    private final Path folder;
    private final Path config;
    private final Map<String, String> environment;
    private int port;
    private Process process;

    private AgentProcess(Path folder, Path config, Map<String, String> environment, int port) {
        this.folder = folder;
        this.config = config;
        this.environment = environment;
        this.port = port;
    }

    /**
     * Writes the agent's configuration for the keys (allowing only the platform's origin) and starts it
     * on the port, 0 for any free one; a restart reuses the port it got.
     */
    static AgentProcess start(Path dataFolder, String origin, List<DemoKey> keys, SoftHsm2 hsm, int port)
            throws IOException {
        Path folder = dataFolder.resolve("agent");
        Files.createDirectories(folder);
        Path config = folder.resolve("cagate-agent.properties");
        Files.writeString(config, configuration(origin, keys), StandardCharsets.UTF_8);
        AgentProcess agent = new AgentProcess(folder, config, hsm == null ? Map.of() : hsm.environment(), port);
        agent.start();
        return agent;
    }

    private static String configuration(String origin, List<DemoKey> keys) {
        StringBuilder text = new StringBuilder()
                .append("# Written by cagate-demo at every start; see docs/agent.md.\n")
                .append("agent.allowedOrigins=")
                .append(origin)
                .append('\n');
        for (DemoKey key : keys) {
            String prefix = "provider." + key.provider().code() + ".";
            text.append(prefix).append("name=").append(key.provider().name()).append('\n');
            if (key.onToken()) {
                text.append(prefix).append("backend=pkcs11\n");
                text.append(prefix)
                        .append("pkcs11.library=")
                        .append(escape(SoftHsm2.library().toString()))
                        .append('\n');
                text.append(prefix)
                        .append("pkcs11.tokenLabel=")
                        .append(key.tokenLabel())
                        .append('\n');
                text.append(prefix)
                        .append("maxPinRetries=")
                        .append(DemoData.MAX_PIN_RETRIES)
                        .append('\n');
            } else if (key.onSkf()) {
                text.append(prefix).append("backend=skf\n");
                text.append(prefix)
                        .append("skf.library=")
                        .append(escape(key.skfLibrary().toString()))
                        .append('\n');
                text.append(prefix)
                        .append("skf.application=")
                        .append(DemoPki.SKF_APPLICATION)
                        .append('\n');
            } else {
                text.append(prefix).append("backend=pkcs12\n");
                text.append(prefix)
                        .append("pkcs12.folder=")
                        .append(escape(key.pkcs12Folder().toString()))
                        .append('\n');
            }
        }
        return text.toString();
    }

    /** A properties value: backslashes (Windows paths) doubled. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    /** Starts the agent (again) and waits for the line that names its port. */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_ACCESS);
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AgentChild.class.getName());
        command.add("--config");
        command.add(config.toString());
        command.add("--port");
        command.add(String.valueOf(port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> copyOutput(process, listening), "cagate-demo-agent-output");
        reader.setDaemon(true);
        reader.start();
        try {
            port = listening.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            stop();
            throw new IOException("the agent did not start; see " + folder.resolve("agent-console.log"), e);
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the agent", e);
        }
    }

    /** Copies the agent's console into agent-console.log and completes {@code listening} with its port. */
    private void copyOutput(Process child, CompletableFuture<Integer> listening) {
        Path log = folder.resolve("agent-console.log");
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write(System.lineSeparator());
                out.flush();
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IOException("agent exited with " + exitCode(child)));
    }

    private static String exitCode(Process child) {
        try {
            return String.valueOf(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    int port() {
        return port;
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the agent the way Ctrl-C does (its shutdown hook closes the server), forcibly after 10 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
