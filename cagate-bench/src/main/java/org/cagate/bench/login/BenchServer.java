package org.cagate.bench.login;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server under load: the exec jar in a JVM of its own (as production runs it), on a free port of
 * 127.0.0.1, against the benchmark's own PostgreSQL schema, with the shipped settings except those a
 * node behind a load balancer sets anyway (forwarded client addresses) and what {@code extraArgs} adds.
 */
final class BenchServer implements AutoCloseable {

    /** The origin challenges name; the generator posts from it as a browser on the platform would. */
    static final String PUBLIC_ORIGIN = "https://platform.example.gov.cn";

    private final Process process;
    private final int port;
    private final Path log;

    private BenchServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param jdbcUrl the PostgreSQL URL with the schema ({@code currentSchema=}) and the application name
     *     by which the generator finds the server's connections
     */
    static BenchServer start(
            Path jar,
            String jdbcUrl,
            String operatorLogin,
            String operatorPassword,
            List<String> jvmOptions,
            List<String> extraArgs,
            Path workDir)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no server jar at " + jar + " (mvn -pl cagate-server -am package)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--spring.datasource.url=" + jdbcUrl);
        command.add("--cagate.public-origin=" + PUBLIC_ORIGIN);
        // Behind a load balancer every node takes the client address from X-Forwarded-For; the generator
        // gives each simulated user an address of its own that way, so per-IP limits apply as in production.
        command.add("--server.forward-headers-strategy=native");
        command.add("--cagate.bootstrap.admin.login-name=" + operatorLogin);
        command.add("--cagate.bootstrap.admin.password=" + operatorPassword);
        command.add("--spring.main.banner-mode=off");
        command.addAll(extraArgs);
        Path log = workDir.resolve("server.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        BenchServer server = new BenchServer(process, port, log);
        try {
            server.awaitHealthy(Duration.ofMinutes(3));
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server stopped during start-up; see " + log);
            }
            try {
                HttpResponse<String> health = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the server did not become healthy within " + timeout + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@link #close()} for a shutdown hook (Ctrl-C): the server must not outlive the benchmark. */
    void stopQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** Stops the server as an operator would (SIGTERM: graceful shutdown), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
