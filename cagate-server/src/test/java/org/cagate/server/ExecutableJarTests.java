package org.cagate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's command on the built exec jar (failsafe, after packaging): {@code java -jar
 * cagate-server-<v>-exec.jar --server.port --cagate.public-origin --spring.datasource.url} with the
 * bootstrap admin from the environment variables, then signs in and uses the API and a page.
 */
class ExecutableJarTests {

    @TempDir
    Path dir;

    @Test
    void javaJarWhenStartedWithReadmeFlagsThenWorkingServer() throws Exception {
        Path jar = Path.of(System.getProperty("cagate.exec.jar", "target/cagate-server-exec.jar"));
        assertThat(jar).exists();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--cagate.public-origin=https://platform.example.gov.cn",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/cagate")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("CAGATE_BOOTSTRAP_ADMIN_LOGIN_NAME", "operator");
        env.put("CAGATE_BOOTSTRAP_ADMIN_PASSWORD", "Platform-Pass-2026!");
        Process process = builder.start();
        try {
            waitForHealth(port, process);
            ApiClient client = ApiClient.on(port).login("operator", "Platform-Pass-2026!");

            ApiClient.Response me = client.get("/api/me");
            ApiClient.Response region =
                    client.put("/api/admin/regions/339900", Map.of("name", "培训省本级", "caEnabled", true));
            ApiClient.Response page = client.get("/system/platform/regions");

            assertThat(me.json().path("loginName").asString()).isEqualTo("operator");
            assertThat(region.status()).isEqualTo(201);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("培训省本级", "已开通");
            assertThat(Files.exists(dir.resolve("data/cagate.mv.db"))).isTrue();
        } finally {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private void waitForHealth(int port, Process process) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(dir.resolve("server.log")));
            }
            try {
                if (ApiClient.on(port).get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("server not healthy in time: " + Files.readString(dir.resolve("server.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
