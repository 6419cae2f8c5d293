package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The browser hardening of every answer (pages, API, problems, static files, redirects): a strict
 * Content-Security-Policy that still lets pages reach the local agent, Referrer-Policy, nosniff, no
 * framing; cookies HttpOnly (the session) and SameSite; Secure and HSTS only over https, as a trusted
 * proxy reports it with X-Forwarded-Proto.
 */
@CagateServerTest
class SecurityHeadersTests {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self' http://127.0.0.1:21777 http://localhost:21777; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    private ApiClient signedIn() {
        TestAccount account = fixtures.orgAdmin(fixtures.organization());
        return ApiClient.on(port).login(account.loginName(), account.password());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/login",
                "/apps",
                "/system/profile",
                "/system/no-such-page",
                "/system/platform/regions",
                "/api/me",
                "/api/no-such-thing",
                "/api/admin/regions/R1",
                "/js/cagate.js",
                "/css/cagate.css",
                "/"
            })
    void answerWhenAnyPathThenHardeningHeadersOnceEach(String path) {
        ApiClient.Response response = signedIn().get(path);

        assertThat(response.raw().headers().allValues("Content-Security-Policy"))
                .containsExactly(CSP);
        assertThat(response.raw().headers().allValues("Referrer-Policy")).containsExactly("same-origin");
        assertThat(response.raw().headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(response.raw().headers().allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(response.header("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
        assertThat(response.header("Permissions-Policy")).contains("camera=()", "usb=()");
        assertThat(response.header("Strict-Transport-Security"))
                .as("plain http")
                .isNull();
    }

    @Test
    void answerWhenAnonymousOrRefusedThenHardeningHeadersToo() {
        ApiClient.Response unauthenticated = ApiClient.on(port).get("/api/me");
        ApiClient.Response redirect = ApiClient.on(port).get("/system/profile");
        ApiClient.Response tooLarge = ApiClient.on(port)
                .send("POST", "/api/auth/password", "{\"x\": \"" + "y".repeat(70_000) + "\"}", "application/json");

        for (ApiClient.Response response : List.of(unauthenticated, redirect, tooLarge)) {
            assertThat(response.header("Content-Security-Policy"))
                    .as(response.toString())
                    .isEqualTo(CSP);
            assertThat(response.header("Referrer-Policy")).isEqualTo("same-origin");
        }
        assertThat(redirect.status()).isEqualTo(302);
    }

    @Test
    void cookiesWhenPlainHttpThenHttpOnlySessionSameSiteLaxAndNotSecure() {
        ApiClient client = ApiClient.on(port);
        String csrf = setCookie(client.get("/api/auth/csrf"), "XSRF-TOKEN");
        TestAccount account = fixtures.user(fixtures.organization());

        String session = setCookie(
                client.post(
                        "/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password())),
                "SESSION");

        assertThat(session).contains("; Path=/", "; HttpOnly", "; SameSite=Lax").doesNotContain("Secure");
        // The page's script echoes this one in X-XSRF-TOKEN, so it must stay readable (DESIGN "CSRF").
        assertThat(csrf).contains("; Path=/", "; SameSite=Lax").doesNotContain("HttpOnly", "Secure");
    }

    @Test
    void answerWhenProxyReportsHttpsThenHstsAndSecureCookies() {
        ApiClient client = ApiClient.on(port).header("X-Forwarded-Proto", "https");
        TestAccount account = fixtures.user(fixtures.organization());

        ApiClient.Response csrf = client.get("/api/auth/csrf");
        // Java's cookie store keeps Secure cookies from plain-http requests but sends them only over https.
        client.header("Cookie", "XSRF-TOKEN=" + client.cookie("XSRF-TOKEN").orElseThrow());
        ApiClient.Response login = client.post(
                "/api/auth/password", Map.of("loginName", account.loginName(), "password", account.password()));

        assertThat(csrf.raw().headers().allValues("Strict-Transport-Security"))
                .containsExactly("max-age=31536000; includeSubDomains");
        assertThat(setCookie(csrf, "XSRF-TOKEN")).contains("; Secure", "; SameSite=Lax");
        assertThat(setCookie(login, "SESSION")).contains("; Secure", "; HttpOnly", "; SameSite=Lax");
    }

    @Test
    void agentOriginsWhenAgentUrlConfiguredThenBothLoopbackNamesOnThatPort() {
        assertThat(BrowserHardeningFilter.agentOrigins("http://127.0.0.1:31777"))
                .containsExactly("http://127.0.0.1:31777", "http://localhost:31777");
        assertThat(BrowserHardeningFilter.agentOrigins("http://LOCALHOST:21888/"))
                .containsExactly("http://localhost:21888", "http://127.0.0.1:21888");
        assertThat(BrowserHardeningFilter.contentSecurityPolicy("https://agent.example:8443"))
                .contains("connect-src 'self' https://agent.example:8443;");
    }

    static String setCookie(ApiClient.Response response, String name) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(name + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no " + name + " cookie in " + response.raw().headers()));
    }
}
