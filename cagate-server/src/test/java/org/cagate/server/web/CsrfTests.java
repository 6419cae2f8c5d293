package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@CagateServerTest
class CsrfTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void csrfWhenAskedThenTokenEqualsCookieAndHeaderName() {
        ApiClient client = ApiClient.on(port);

        ApiClient.Response response = client.get("/api/auth/csrf");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("headerName").asString()).isEqualTo("X-XSRF-TOKEN");
        assertThat(response.json().path("token").asString())
                .isEqualTo(client.cookie("XSRF-TOKEN").orElseThrow());
        String setCookie = response.header("Set-Cookie");
        assertThat(setCookie).contains("XSRF-TOKEN=").contains("SameSite=Lax").doesNotContain("HttpOnly");
    }

    @Test
    void loginWhenCsrfHeaderMissingThenForbidden() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port);
        client.get("/api/auth/csrf");

        ApiClient.Response response = client.withoutCsrf()
                .post("/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("FORBIDDEN");
        assertThat(response.detail()).contains("安全令牌");
    }

    @Test
    void unsafeCallWhenCsrfHeaderWrongThenForbiddenEvenWhenSignedIn() {
        TestAccount admin = fixtures.orgAdmin(fixtures.organization());
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        ApiClient.Response response = client.withoutCsrf()
                .header("X-XSRF-TOKEN", "not-the-token")
                .post("/api/departments", Map.of("name", "采购部"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void loginWhenSucceededThenOldCsrfTokenNoLongerWorks() {
        TestAccount admin = fixtures.orgAdmin(fixtures.organization());
        ApiClient client = ApiClient.on(port);
        client.get("/api/auth/csrf");
        String before = client.cookie("XSRF-TOKEN").orElseThrow();

        client.login(admin.loginName(), admin.password());

        String after = client.cookie("XSRF-TOKEN").orElseThrow();
        assertThat(after).isNotEqualTo(before);
        assertThat(client.post("/api/departments", Map.of("name", "采购部" + Fixtures.unique()))
                        .status())
                .isEqualTo(201);
        ApiClient.Response stale = client.withoutCsrf()
                .header("X-XSRF-TOKEN", before)
                .post("/api/departments", Map.of("name", "采购部" + Fixtures.unique()));
        assertThat(stale.status()).isEqualTo(403);
    }
}
