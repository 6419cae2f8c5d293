package org.cagate.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.server.caprovider.CaTestKit.assertion;

import java.util.List;
import java.util.Map;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.ProblemCode;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * {@link CaLoginFastPath}: which requests it answers itself, that its answers are those of the generic path
 * (headers, cookies, the session that follows), and that everything else still reaches the generic path.
 */
@CagateServerTest
class CaLoginFastPathTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    @Qualifier("caLoginFastPath")
    FilterRegistrationBean<CaLoginFastPath> registration;

    CaTestKit kit;
    TestAccount user;
    String provider;
    Credential key;

    @BeforeEach
    void boundKey() {
        kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        user = fixtures.user(org);
        TestCa ca = kit.ca();
        provider = kit.provider(ca, org.regionCode());
        key = ca.user("西子").issue();
        CaTestKit.bind(ApiClient.on(port).login(user.loginName(), user.password()), provider, key, user.id());
    }

    long answered() {
        return registration.getFilter().answered();
    }

    @Test
    void loginWhenNoSessionThenAnsweredHereWithSessionCookieNewCsrfTokenAndHeaders() {
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> body = assertion(browser, "LOGIN", provider, key, SignatureFormat.RAW);
        String csrfBefore = browser.cookie("XSRF-TOKEN").orElseThrow();
        long before = answered();

        ApiClient.Response response = browser.post("/api/ca/login", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(answered()).isEqualTo(before + 1);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        List<String> cookies = response.raw().headers().allValues("Set-Cookie");
        assertThat(cookies)
                .anySatisfy(c -> assertThat(c)
                        .startsWith("SESSION=")
                        .contains("HttpOnly")
                        .contains("SameSite=Lax"));
        assertThat(response.json().path("account").path("loginName").asString()).isEqualTo(user.loginName());
        assertThat(browser.get("/api/me").json().path("loginName").asString()).isEqualTo(user.loginName());
        String csrfAfter = browser.cookie("XSRF-TOKEN").orElseThrow();
        // A new CSRF token replaces the one the page had before the login, as the generic login does.
        assertThat(csrfAfter).isNotEqualTo(csrfBefore);
        assertThat(browser.post("/api/auth/logout", null).status()).isEqualTo(204);
    }

    @Test
    void challengeWhenLoginThenAnsweredHereAndWhenBindThenByTheGenericPath() {
        long before = answered();

        ApiClient.Response login = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider);
        ApiClient.Response bind = CaTestKit.challenge(ApiClient.on(port), "BIND", provider);

        assertThat(login.status()).as(login.toString()).isEqualTo(201);
        assertThat(login.header("Content-Type")).isEqualTo("application/json");
        assertThat(login.json().path("id").asString()).isNotBlank();
        assertThat(login.json().path("toBeSigned").asString()).isNotBlank();
        assertThat(login.json().path("expiresAt").asString()).isNotBlank();
        assertThat(bind.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(answered()).isEqualTo(before + 1);
    }

    @Test
    void loginWhenSessionCookieThenGenericPathRenewsTheSession() {
        TestAccount other = fixtures.user(fixtures.organization());
        ApiClient browser = ApiClient.on(port).login(other.loginName(), other.password());
        String sessionBefore = browser.cookie("SESSION").orElseThrow();
        Map<String, Object> body = assertion(browser, "LOGIN", provider, key, SignatureFormat.RAW);
        long before = answered();

        ApiClient.Response response = browser.post("/api/ca/login", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(answered()).isEqualTo(before);
        assertThat(browser.cookie("SESSION").orElseThrow()).isNotEqualTo(sessionBefore);
        assertThat(browser.get("/api/me").json().path("loginName").asString()).isEqualTo(user.loginName());
    }

    @Test
    void loginWhenBodyInvalidOrCsrfMissingThenGenericPathRefusesAsBefore() {
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> body = assertion(browser, "LOGIN", provider, key, SignatureFormat.RAW);
        long before = answered();

        ApiClient.Response noId = browser.post("/api/ca/login", Map.of("format", "RAW", "signature", "AAAA"));
        ApiClient.Response notJson = browser.send("POST", "/api/ca/login", "{\"challengeId\":", "application/json");
        ApiClient.Response noCsrf = ApiClient.on(port).withoutCsrf().post("/api/ca/login", body);

        assertThat(noId.code()).isEqualTo("VALIDATION");
        assertThat(noId.json().path("errors").toString()).contains("challengeId");
        assertThat(notJson.code()).isEqualTo("VALIDATION");
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.code()).isEqualTo("FORBIDDEN");
        assertThat(answered()).isEqualTo(before);
        // None of them spent the challenge: the real login still goes through.
        assertThat(browser.post("/api/ca/login", body).status()).isEqualTo(200);
    }

    @Test
    void loginWhenRefusedThenProblemJsonInTheRequestLocale() {
        ApiClient browser = ApiClient.on(port).header("Accept-Language", "en");
        Map<String, Object> body = assertion(browser, "LOGIN", provider, key, SignatureFormat.RAW);
        browser.post("/api/ca/login", body);
        long before = answered();

        ApiClient.Response replay = ApiClient.on(port).post("/api/ca/login", body);
        ApiClient.Response english =
                ApiClient.on(port).header("Accept-Language", "en").post("/api/ca/login", body);

        assertThat(replay.status())
                .isEqualTo(ProblemCode.CHALLENGE_USED.status().value());
        assertThat(replay.code()).isEqualTo("CHALLENGE_USED");
        assertThat(replay.header("Content-Type")).startsWith("application/problem+json");
        assertThat(replay.detail()).isNotEqualTo(english.detail());
        assertThat(answered()).isEqualTo(before + 2);
    }
}
