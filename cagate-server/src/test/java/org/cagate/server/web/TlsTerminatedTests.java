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
import org.springframework.test.context.TestPropertySource;

/**
 * {@code cagate.web.tls-terminated=true}: TLS ends at a proxy that sends no X-Forwarded-Proto, so every
 * request counts as https: HSTS (with the configured max-age) and Secure session and XSRF-TOKEN cookies.
 */
@CagateServerTest
@TestPropertySource(properties = {"cagate.web.tls-terminated=true", "cagate.web.hsts-max-age=2d"})
class TlsTerminatedTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void answerWhenTlsTerminatedWithoutForwardedProtoThenHstsAndSecureCookies() {
        ApiClient client = ApiClient.on(port);
        TestAccount account = fixtures.user(fixtures.organization());

        ApiClient.Response csrf = client.get("/api/auth/csrf");
        // Java's cookie store keeps Secure cookies from plain-http requests but sends them only over https.
        client.header("Cookie", "XSRF-TOKEN=" + client.cookie("XSRF-TOKEN").orElseThrow());
        ApiClient.Response login = client.post(
                "/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password()));
        ApiClient.Response page = client.get("/login");

        assertThat(csrf.raw().headers().allValues("Strict-Transport-Security"))
                .containsExactly("max-age=172800; includeSubDomains");
        assertThat(page.header("Strict-Transport-Security")).isEqualTo("max-age=172800; includeSubDomains");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(SecurityHeadersTests.CSP);
        assertThat(SecurityHeadersTests.setCookie(csrf, "XSRF-TOKEN")).contains("; Secure", "; SameSite=Lax");
        assertThat(SecurityHeadersTests.setCookie(login, "SESSION"))
                .contains("; Secure", "; HttpOnly", "; SameSite=Lax");
    }
}
