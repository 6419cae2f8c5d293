package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@CagateServerTest
class ActuatorAndOpenApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void healthWhenAnonymousThenUp() {
        ApiClient.Response health = ApiClient.on(port).get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(ApiClient.on(port).get("/actuator/health/readiness").status())
                .isEqualTo(200);
    }

    @Test
    void prometheusWhenOperatorThenMetricsIncludingHttpAndPool() {
        TestAccount operator = fixtures.platformAdmin();
        ApiClient client = ApiClient.on(port).login(operator.loginName(), operator.password());
        client.get("/api/me");

        ApiClient.Response metrics = client.get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds", "hikaricp_connections");
    }

    @Test
    void openApiWhenAskedThenDescribesTheJsonApi() {
        ApiClient.Response docs = ApiClient.on(port).get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").propertyNames())
                .contains(
                        "/api/auth/csrf",
                        "/api/auth/password",
                        "/api/auth/logout",
                        "/api/me",
                        "/api/admin/regions/{code}",
                        "/api/admin/organizations",
                        "/api/admin/accounts");
    }
}
