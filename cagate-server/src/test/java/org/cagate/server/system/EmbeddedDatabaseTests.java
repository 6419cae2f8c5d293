package org.cagate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.ServerNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on its embedded default, an H2 file database (the README's way, the demo's): it keeps
 * working when the database is closed under it and when the pool retires every connection, without a
 * restart. Issue 16: both used to end in a 503 for every request while health said UP.
 */
class EmbeddedDatabaseTests {

    @TempDir
    Path dir;

    /** The JDBC URL of application.properties, on a file of the test's own. */
    private String url() {
        return "jdbc:h2:file:" + dir.resolve("cagate")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    @Test
    void requestsWhenEmbeddedDatabaseShutDownUnderTheServerThenAnsweredNormallyWithinFiveSeconds() throws Exception {
        try (ServerNode node = ServerNode.start("h2-shutdown", url())) {
            Fixtures.TestAccount user = node.fixtures().user(node.fixtures().organization());
            ApiClient session = ApiClient.on(node.port()).login(user.loginName(), user.password());

            try (Connection connection = DriverManager.getConnection(url());
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline
                    && (status = session.get("/api/me").status()) != 200) {
                Thread.sleep(100);
            }
            assertThat(status).as("GET /api/me within 5 s of the SHUTDOWN").isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                assertThat(session.get("/api/me").status()).isEqualTo(200);
            }
            assertThat(login(node, user).status()).isEqualTo(200);
            assertThat(ApiClient.on(node.port()).get("/actuator/health").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void requestsWhenServerRanPastThePoolsConnectionLifetimeWithoutTrafficThenAnsweredNormally() throws Exception {
        try (ServerNode node = ServerNode.start(
                "h2-lifetime",
                url(),
                "spring.datasource.hikari.max-lifetime=30000",
                "spring.datasource.hikari.minimum-idle=4")) {
            Fixtures.TestAccount user = node.fixtures().user(node.fixtures().organization());
            ApiClient session = ApiClient.on(node.port()).login(user.loginName(), user.password());

            Thread.sleep(45_000); // every connection retired at least once (HikariCP: 30 s less up to 2.5 %)

            for (int i = 0; i < 20; i++) {
                ApiClient.Response response = session.get("/api/me");
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
            }
            assertThat(login(node, user).status()).isEqualTo(200);
            assertThat(ApiClient.on(node.port()).get("/actuator/health").status())
                    .isEqualTo(200);
        }
    }

    private static ApiClient.Response login(ServerNode node, Fixtures.TestAccount user) {
        return ApiClient.on(node.port())
                .post(
                        "/api/auth/password",
                        java.util.Map.of("loginName", user.loginName(), "password", user.password()));
    }
}
