package org.cagate.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cagate.server.caprovider.CaTestKit.assertion;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.pki.Certificates;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import tools.jackson.databind.JsonNode;

/**
 * cagate as OpenID Provider, driven by Spring Security's OAuth2 client ({@link RelyingParty}): the code
 * flow with PKCE after a password login and after a CA login, with the claims of each (the ID token's
 * signature checked against the JWKS), the step-up from a password to a CA login, and the refusals: a
 * redirect URI not registered, an unknown client, a code used twice. Audited by application and account.
 */
@CagateServerTest
class OidcProviderTests {

    static final String ISSUER = "https://platform.example.gov.cn";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OidcHousekeeping housekeeping;

    CaTestKit kit;
    Fixtures.Org org;
    TestAccount user;

    @BeforeEach
    void organisationAndUser() {
        kit = new CaTestKit(port, clock, fixtures);
        org = fixtures.organization();
        user = fixtures.user(org);
    }

    /** Registers an application through the admin API; answers its id, client id and secret. */
    static JsonNode register(ApiClient operator, boolean caLoginRequired, List<String> regions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "电子卖场" + Fixtures.unique().substring(0, 4));
        body.put("description", "网上超市与协议供货");
        body.put("homeUrl", "https://rp.example.test/");
        body.put("redirectUris", List.of(RelyingParty.REDIRECT_URI));
        body.put("caLoginRequired", caLoginRequired);
        body.put("regions", regions);
        ApiClient.Response created = operator.post("/api/admin/applications", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    RelyingParty relyingParty(boolean caLoginRequired) {
        JsonNode app = register(kit.operator(), caLoginRequired, List.of());
        return new RelyingParty(
                port,
                ISSUER,
                app.path("clientId").asString(),
                app.path("clientSecret").asString(),
                clock);
    }

    ApiClient passwordLogin() {
        return ApiClient.on(port).login(user.loginName(), user.password());
    }

    /** A CA login of the user's bound key, in the browser given (a new one when null). */
    ApiClient caLogin(ApiClient browser, TestCa ca, String provider, Credential key) {
        ApiClient client = browser == null ? ApiClient.on(port) : browser;
        ApiClient.Response response =
                client.post("/api/ca/login", assertion(client, "LOGIN", provider, key, SignatureFormat.RAW));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return client;
    }

    @Test
    void codeFlowAfterPasswordLoginThenClaimsSayPassword() {
        RelyingParty rp = relyingParty(false);

        OidcUser signedIn = rp.signIn(passwordLogin(), RelyingParty.none());

        assertThat(signedIn.getIdToken().getIssuer().toString()).isEqualTo(ISSUER);
        assertThat(signedIn.getSubject()).isEqualTo(String.valueOf(user.id()));
        assertThat(signedIn.getIdToken().getAudience()).containsExactly(rp.registration.getClientId());
        assertThat(signedIn.getFullName()).isEqualTo(user.displayName());
        assertThat(signedIn.getPreferredUsername()).isEqualTo(user.loginName());
        assertThat(signedIn.getIdToken().getClaimAsString("organization")).isEqualTo(org.name());
        assertThat(signedIn.getIdToken().getClaimAsString("region")).isEqualTo(org.regionCode());
        assertThat(signedIn.getIdToken().getClaimAsStringList("roles")).containsExactly("USER");
        assertThat(signedIn.getIdToken().getClaimAsStringList("amr")).containsExactly("pwd");
        assertThat(signedIn.getIdToken().getClaimAsString("acr")).isEqualTo(OidcClaims.ACR_PASSWORD);
        assertThat(signedIn.getIdToken().getClaims()).doesNotContainKeys("ca_provider", "ca_key_id", "ca_cert_sha256");
        // userinfo says the same
        assertThat(signedIn.getUserInfo().getClaimAsStringList("amr")).containsExactly("pwd");
        assertThat(signedIn.getUserInfo().getPreferredUsername()).isEqualTo(user.loginName());
        assertThat(signedIn.getUserInfo().getClaimAsString("organization")).isEqualTo(org.name());
        assertThat(audits(rp))
                .containsExactly("OIDC_AUTHORIZE/SUCCESS/" + user.id(), "OIDC_TOKEN/SUCCESS/" + user.id());
    }

    @Test
    void codeFlowAfterCaLoginThenClaimsSayHardwareKeyWithPinAndWhichKey() {
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        CaTestKit.bind(passwordLogin(), provider, key, user.id());
        RelyingParty rp = relyingParty(true);

        OidcUser signedIn = rp.signIn(caLogin(null, ca, provider, key), RelyingParty.none());

        assertThat(signedIn.getSubject()).isEqualTo(String.valueOf(user.id()));
        assertThat(signedIn.getIdToken().getClaimAsStringList("amr")).containsExactly("hwk", "pin");
        assertThat(signedIn.getIdToken().getClaimAsString("acr")).isEqualTo(OidcClaims.ACR_CA);
        assertThat(signedIn.getIdToken().getClaimAsString("ca_provider")).isEqualTo(provider);
        String keyId = jdbc.sql("SELECT key_id FROM ca_binding WHERE account_id = :a")
                .param("a", user.id())
                .query(String.class)
                .single();
        assertThat(signedIn.getIdToken().getClaimAsString("ca_key_id")).isEqualTo(keyId);
        assertThat(signedIn.getIdToken().getClaimAsString("ca_cert_sha256"))
                .isEqualTo(Certificates.sha256Hex(key.certificate()));
        assertThat(signedIn.getUserInfo().getClaimAsString("ca_key_id")).isEqualTo(keyId);
        assertThat(signedIn.getUserInfo().getClaimAsString("acr")).isEqualTo(OidcClaims.ACR_CA);
    }

    @Test
    void caRequiredWhenSignedInWithPasswordThenCaLoginFirstAndBackToTheRequest() {
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        CaTestKit.bind(passwordLogin(), provider, key, user.id());
        RelyingParty rp = relyingParty(true);
        ApiClient browser = passwordLogin();
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());

        ApiClient.Response stepUp = RelyingParty.authorize(browser, request);

        assertThat(stepUp.status()).isEqualTo(302);
        String location = local(stepUp.header("Location"));
        assertThat(location).startsWith("/login?tab=ca&continue=");
        String back = URLDecoder.decode(location.substring(location.indexOf("continue=") + 9), StandardCharsets.UTF_8);
        assertThat(back).isEqualTo(RelyingParty.path(request));
        ApiClient.Response page = browser.get(location);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-testid=\"login-step-up\"").contains("data-continue=\"");
        caLogin(browser, ca, provider, key);
        OidcUser signedIn = rp.login(request, RelyingParty.code(browser.get(back), request));
        assertThat(signedIn.getIdToken().getClaimAsString("acr")).isEqualTo(OidcClaims.ACR_CA);
        assertThat(signedIn.getIdToken().getClaimAsStringList("amr")).containsExactly("hwk", "pin");
    }

    @Test
    void acrValuesAskingForCaWhenSignedInWithPasswordThenStepUp() {
        RelyingParty rp = relyingParty(false);
        OAuth2AuthorizationRequest request = rp.request(Map.of("acr_values", OidcClaims.ACR_CA));

        ApiClient.Response answer = RelyingParty.authorize(passwordLogin(), request);

        assertThat(answer.status()).isEqualTo(302);
        assertThat(local(answer.header("Location"))).startsWith("/login?tab=ca&continue=");
    }

    @Test
    void notSignedInThenLoginPageThatReturnsToTheRequest() {
        RelyingParty rp = relyingParty(false);
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());
        ApiClient browser = ApiClient.on(port);

        ApiClient.Response answer = RelyingParty.authorize(browser, request);

        assertThat(answer.status()).isEqualTo(302);
        assertThat(local(answer.header("Location"))).startsWith("/login?continue=");
        browser.login(user.loginName(), user.password());
        String back = URLDecoder.decode(
                local(answer.header("Location")).substring("/login?continue=".length()), StandardCharsets.UTF_8);
        OidcUser signedIn = rp.login(request, RelyingParty.code(browser.get(back), request));
        assertThat(signedIn.getPreferredUsername()).isEqualTo(user.loginName());
    }

    @Test
    void redirectUriNotRegisteredThenRefusedWithoutRedirect() {
        RelyingParty rp = relyingParty(false);
        OAuth2AuthorizationRequest good = rp.request(RelyingParty.none());
        OAuth2AuthorizationRequest evil = OAuth2AuthorizationRequest.from(good)
                .redirectUri("https://rp.example.test/login/oauth2/code/cagate/../evil")
                .build();

        ApiClient.Response answer = RelyingParty.authorize(passwordLogin(), evil);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Location")).isNull();
        assertThat(audits(rp)).containsExactly("OIDC_AUTHORIZE/FAILURE/" + user.id());
    }

    @Test
    void unknownClientThenRefused() {
        RelyingParty stranger = new RelyingParty(port, ISSUER, "app-unknown", "secret", clock);

        ApiClient.Response answer = RelyingParty.authorize(passwordLogin(), stranger.request(RelyingParty.none()));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Location")).isNull();
    }

    @Test
    void tokenRequestWithWrongSecretThenInvalidClientAndAudited() {
        JsonNode app = register(kit.operator(), false, List.of());
        String clientId = app.path("clientId").asString();
        RelyingParty rp = new RelyingParty(
                port, ISSUER, clientId, app.path("clientSecret").asString(), clock);
        RelyingParty impostor = new RelyingParty(port, ISSUER, clientId, "not-the-secret", clock);
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());
        String code = RelyingParty.code(RelyingParty.authorize(passwordLogin(), request), request);

        assertThatThrownBy(() -> impostor.loginToken(request, code)).hasMessageContaining("invalid_client");

        assertThat(audits(rp)).containsExactly("OIDC_AUTHORIZE/SUCCESS/" + user.id(), "OIDC_TOKEN/FAILURE/null");
        assertThat(jdbc.sql("SELECT detail FROM audit_event WHERE action = 'OIDC_TOKEN' AND detail LIKE :app")
                        .param("app", "application=" + clientId + " %")
                        .query(String.class)
                        .single())
                .contains("error=invalid_client")
                .contains("endpoint=/oauth2/token");
        // The code was not spent by the impostor: the application itself still redeems it.
        assertThat(rp.loginToken(request, code).getAccessToken()).isNotNull();
    }

    @Test
    void codeUsedTwiceThenSecondRefused() {
        RelyingParty rp = relyingParty(false);
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());
        String code = RelyingParty.code(RelyingParty.authorize(passwordLogin(), request), request);
        rp.login(request, code);

        assertThatThrownBy(() -> rp.login(request, code))
                .isInstanceOf(OAuth2AuthenticationException.class)
                .hasMessageContaining("invalid_grant");
        assertThat(audits(rp)).contains("OIDC_TOKEN/FAILURE/null");
    }

    @Test
    void withoutPkceThenRefused() {
        RelyingParty rp = relyingParty(false);
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());
        Map<String, Object> parameters = new LinkedHashMap<>(request.getAdditionalParameters());
        parameters.remove("code_challenge");
        parameters.remove("code_challenge_method");
        OAuth2AuthorizationRequest plain = OAuth2AuthorizationRequest.from(request)
                .additionalParameters(p -> {
                    p.clear();
                    p.putAll(parameters);
                })
                .build();

        ApiClient.Response answer = RelyingParty.authorize(passwordLogin(), plain);

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location"))
                .startsWith(RelyingParty.REDIRECT_URI)
                .contains("error=invalid_request");
    }

    @Test
    void applicationOfAnotherRegionThenNoTileAndNoLogin() {
        ApiClient operator = kit.operator();
        String otherRegion = fixtures.region(true);
        JsonNode app = register(operator, false, List.of(otherRegion));
        RelyingParty rp = new RelyingParty(
                port,
                ISSUER,
                app.path("clientId").asString(),
                app.path("clientSecret").asString(),
                clock);
        ApiClient browser = passwordLogin();

        assertThat(browser.get("/apps").body()).doesNotContain(app.path("name").asString());
        assertThat(RelyingParty.authorize(browser, rp.request(RelyingParty.none()))
                        .status())
                .isEqualTo(403);
        JsonNode everywhere = register(operator, false, List.of());
        assertThat(browser.get("/apps").body()).contains(everywhere.path("name").asString());
    }

    @Test
    void refreshTokenThenNewTokensWithTheSameClaimsAndTheOldRefreshTokenRefused() {
        RelyingParty rp = relyingParty(false);
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());
        OAuth2LoginAuthenticationToken login =
                rp.loginToken(request, RelyingParty.code(RelyingParty.authorize(passwordLogin(), request), request));
        assertThat(login.getRefreshToken()).isNotNull();

        OAuth2AccessTokenResponse refreshed = rp.refresh(login);

        assertThat(refreshed.getAccessToken().getTokenValue())
                .isNotEqualTo(login.getAccessToken().getTokenValue());
        assertThat(refreshed.getRefreshToken().getTokenValue())
                .isNotEqualTo(login.getRefreshToken().getTokenValue());
        JsonNode userInfo = ApiClient.on(port)
                .header("Authorization", "Bearer " + refreshed.getAccessToken().getTokenValue())
                .get("/userinfo")
                .json();
        assertThat(userInfo.path("preferred_username").asString()).isEqualTo(user.loginName());
        assertThat(userInfo.path("amr").toString()).isEqualTo("[\"pwd\"]");
        assertThatThrownBy(() -> rp.refresh(login)).hasMessageContaining("invalid_grant");
        assertThat(audits(rp))
                .containsExactly(
                        "OIDC_AUTHORIZE/SUCCESS/" + user.id(),
                        "OIDC_TOKEN/SUCCESS/" + user.id(),
                        "OIDC_TOKEN/SUCCESS/" + user.id(),
                        "OIDC_TOKEN/FAILURE/null");
    }

    @Test
    void applicationDisabledThenItsRefreshAndAccessTokensNoLongerWork() {
        ApiClient operator = kit.operator();
        JsonNode app = register(operator, false, List.of());
        RelyingParty rp = new RelyingParty(
                port,
                ISSUER,
                app.path("clientId").asString(),
                app.path("clientSecret").asString(),
                clock);
        OAuth2AuthorizationRequest request = rp.request(RelyingParty.none());
        OAuth2LoginAuthenticationToken login =
                rp.loginToken(request, RelyingParty.code(RelyingParty.authorize(passwordLogin(), request), request));
        Map<String, Object> disabled = new LinkedHashMap<>();
        disabled.put("name", app.path("name").asString());
        disabled.put("homeUrl", "https://rp.example.test/");
        disabled.put("redirectUris", List.of(RelyingParty.REDIRECT_URI));
        disabled.put("caLoginRequired", false);
        disabled.put("enabled", false);

        ApiClient.Response changed =
                operator.put("/api/admin/applications/" + app.path("id").asLong(), disabled);

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThatThrownBy(() -> rp.refresh(login)).hasMessageContaining("invalid_grant");
        assertThat(ApiClient.on(port)
                        .header(
                                "Authorization",
                                "Bearer " + login.getAccessToken().getTokenValue())
                        .get("/userinfo")
                        .status())
                .isEqualTo(401);
        assertThat(RelyingParty.authorize(passwordLogin(), rp.request(RelyingParty.none()))
                        .status())
                .isEqualTo(403);
        assertThat(jdbc.sql("SELECT detail FROM audit_event WHERE action = 'APPLICATION_UPDATED' AND detail LIKE :app")
                        .param("app", "application=" + app.path("clientId").asString() + " %")
                        .query(String.class)
                        .single())
                .contains("enabled=false authorizationsRevoked=1");
    }

    @Test
    void loginPageWhenContinueIsNotAnAuthorizationRequestThenIgnored() {
        for (String next : List.of("https://evil.example/oauth2/authorize?x=1", "//evil.example/", "/apps?x=1")) {
            String page = ApiClient.on(port)
                    .get("/login?continue=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8))
                    .body();
            assertThat(page).as(next).doesNotContain("data-continue");
            ApiClient.Response signedIn =
                    passwordLogin().get("/login?continue=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
            assertThat(local(signedIn.header("Location"))).as(next).isEqualTo("/apps");
        }
    }

    @Test
    void userinfoWithoutTokenThenUnauthorized() {
        assertThat(ApiClient.on(port).get("/userinfo").status()).isEqualTo(401);
        assertThat(ApiClient.on(port)
                        .header("Authorization", "Bearer not-a-token")
                        .get("/userinfo")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void rpInitiatedLogoutThenPlatformSessionEndsAndBackToTheApplication() {
        RelyingParty rp = relyingParty(false);
        ApiClient browser = passwordLogin();
        OidcUser signedIn = rp.signIn(browser, RelyingParty.none());

        ApiClient.Response logout = browser.get("/connect/logout?id_token_hint="
                + signedIn.getIdToken().getTokenValue() + "&client_id=" + rp.registration.getClientId()
                + "&post_logout_redirect_uri=https://rp.example.test/&state=bye");

        assertThat(logout.status()).as(logout.toString()).isEqualTo(302);
        assertThat(logout.header("Location")).isEqualTo("https://rp.example.test/?state=bye");
        assertThat(browser.get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void housekeepingDeletesAuthorizationsADayAfterTheirLastTokenExpired() {
        java.time.OffsetDateTime now = clock.instant().atOffset(java.time.ZoneOffset.UTC);
        for (String id : List.of("old-" + Fixtures.unique(), "live-" + Fixtures.unique())) {
            jdbc.sql("""
                            INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type,
                                authorization_code_value, authorization_code_issued_at, authorization_code_expires_at)
                            VALUES (:id, 'x', 'x', 'authorization_code', :id, :issued, :expires)""")
                    .param("id", id)
                    .param("issued", now.minusDays(3))
                    .param("expires", id.startsWith("old") ? now.minusHours(25) : now.minusHours(23))
                    .update();
        }

        housekeeping.deleteExpired();

        List<String> left = jdbc.sql("SELECT id FROM oauth2_authorization WHERE registered_client_id = 'x'")
                .query(String.class)
                .list();
        assertThat(left).anyMatch(id -> id.startsWith("live-")).noneMatch(id -> id.startsWith("old-"));
    }

    @Test
    void discoveryAndJwksPublishTheIssuerAndKeys() {
        ApiClient anyone = ApiClient.on(port);
        JsonNode discovery = anyone.get("/.well-known/openid-configuration").json();
        assertThat(discovery.path("issuer").asString()).isEqualTo(ISSUER);
        assertThat(discovery.path("code_challenge_methods_supported").toString())
                .contains("S256");
        JsonNode jwks = anyone.get("/oauth2/jwks").json();
        assertThat(jwks.path("keys").size()).isGreaterThanOrEqualTo(1);
        assertThat(jwks.toString()).doesNotContain("\"d\"");
    }

    @Test
    void keyRotatedThenNewKeySignsAndOldStaysPublished() {
        RelyingParty rp = relyingParty(false);
        OidcUser before = rp.signIn(passwordLogin(), RelyingParty.none());
        String oldKid = kid(before);

        ApiClient.Response rotated = kit.operator().post("/api/admin/oidc/keys/rotate", null);

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newKid = rotated.json().path("kid").asString();
        JsonNode jwks = ApiClient.on(port).get("/oauth2/jwks").json();
        assertThat(jwks.toString()).contains(oldKid).contains(newKid);
        OidcUser after = rp.signIn(passwordLogin(), RelyingParty.none());
        assertThat(kid(after)).isEqualTo(newKid).isNotEqualTo(oldKid);
    }

    @Test
    void secretShownOnceAndStoredHashed() {
        JsonNode app = register(kit.operator(), false, List.of());
        String secret = app.path("clientSecret").asString();
        assertThat(secret).hasSizeGreaterThan(30);
        String stored = jdbc.sql("SELECT client_secret FROM oauth2_registered_client WHERE client_id = :c")
                .param("c", app.path("clientId").asString())
                .query(String.class)
                .single();
        assertThat(stored).startsWith("{bcrypt}").doesNotContain(secret);
        JsonNode again = kit.operator()
                .get("/api/admin/applications/" + app.path("id").asLong())
                .json();
        assertThat(again.path("clientSecret").isNull()).isTrue();
        assertThat(kit.operator().get("/system/platform/applications").body())
                .contains(app.path("clientId").asString());
    }

    @Test
    void registrationWithBadRedirectUriThenValidationProblem() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "坏应用");
        body.put("homeUrl", "https://rp.example.test/");
        body.put("redirectUris", List.of("http://rp.example.test/cb#x"));
        body.put("caLoginRequired", false);

        ApiClient.Response answer = kit.operator().post("/api/admin/applications", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("VALIDATION");
        assertThat(passwordLogin().post("/api/admin/applications", body).status())
                .isEqualTo(403);
    }

    /** A redirect's path and query on this node (Tomcat makes Location absolute). */
    private String local(String location) {
        String origin = "http://127.0.0.1:" + port;
        assertThat(location).startsWith(origin + "/");
        return location.substring(origin.length());
    }

    private static String kid(OidcUser user) {
        String header = user.getIdToken().getTokenValue().split("\\.")[0];
        return ApiClient.JSON
                .readTree(java.util.Base64.getUrlDecoder().decode(header))
                .path("kid")
                .asString();
    }

    private List<String> audits(RelyingParty rp) {
        return jdbc.sql("""
                        SELECT action, outcome, subject_account_id FROM audit_event
                         WHERE action IN ('OIDC_AUTHORIZE', 'OIDC_TOKEN') AND detail LIKE :app ORDER BY id""")
                .param("app", "application=" + rp.registration.getClientId() + " %")
                .query((rs, row) -> rs.getString("action") + "/" + rs.getString("outcome") + "/"
                        + rs.getObject("subject_account_id"))
                .list();
    }
}
