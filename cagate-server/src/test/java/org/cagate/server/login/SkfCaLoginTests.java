package org.cagate.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.agent.Agent;
import org.cagate.agent.AgentConfig;
import org.cagate.agent.ProviderConfig;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.softskf.SoftSkf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A 国密 USB key through the SKF API, end to end: the real agent (JNA → the soft SKF token on OpenSSL 3)
 * signs the server's BIND and LOGIN challenges with SM2, and the server binds the key and signs the
 * user in. The key holds the user certificate only, as SKF keys do; the provider trusts the issuing CA.
 */
@CagateServerTest
class SkfCaLoginTests {
    static final String ORIGIN = "https://platform.example.gov.cn";
    static final String PIN = "246810";
    static final String SERIAL = "510100000000007S";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    Path dir;
    Agent agent;
    String provider;
    Credential key;
    TestAccount user;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void keyAndAgent() throws IOException {
        assumeTrue(SoftSkf.isAvailable(), SoftSkf.unavailableReason());
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        user = fixtures.user(org);
        TestCa ca = kit.ca(TestPki.provider("SCCA").sm2().withIntermediate());
        provider = kit.provider(ca, org.regionCode());
        key = ca.user("西子").organization(org.name()).issue();
        dir = Files.createTempDirectory("cagate-skf-login-");
        SoftSkf skf = SoftSkf.create(dir);
        skf.device("SCCA-KEY", SERIAL).application("SCCA_APP", PIN, 6).container("SM2_SIGN", key);
        agent = Agent.start(
                AgentConfig.of(List.of(ORIGIN), List.of(ProviderConfig.skf(provider, "四川CA", skf.library())))
                        .withPort(0)
                        .withWrongPinDelay(Duration.ofMillis(200)),
                clock);
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RAW", "CMS"})
    void loginWhenSkfKeyBoundThenTheServerAcceptsTheAgentsSm2Assertion(String format) throws Exception {
        ApiClient owner = ApiClient.on(port).login(user.loginName(), user.password());
        Map<String, Object> bind = agentAssertion(owner, "BIND", format);
        bind.put("accountId", user.id());
        ApiClient.Response bound = owner.post("/api/ca/bindings", bind);
        ApiClient browser = ApiClient.on(port);

        ApiClient.Response login = browser.post("/api/ca/login", agentAssertion(browser, "LOGIN", format));

        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        assertThat(bound.json().path("tokenSerial").asString()).isEqualTo(SERIAL);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().path("account").path("id").asLong()).isEqualTo(user.id());
        assertThat(browser.get("/api/me").json().path("loginName").asString()).isEqualTo(user.loginName());
    }

    /** What the page does: a challenge from the server, the agent's signature with the key's PIN. */
    private Map<String, Object> agentAssertion(ApiClient page, String purpose, String format) throws Exception {
        ApiClient.Response challenge = CaTestKit.challenge(page, purpose, provider);
        assertThat(challenge.status()).as(challenge.toString()).isEqualTo(201);
        String body = ApiClient.JSON.writeValueAsString(Map.of(
                "provider", provider,
                "pin", PIN,
                "toBeSigned", challenge.json().path("toBeSigned").asString(),
                "format", format));
        HttpResponse<String> signed = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/v1/sign"))
                        .header("Origin", ORIGIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode answer = ApiClient.JSON.readTree(signed.body());
        assertThat(answer.path("algorithm").asString()).isEqualTo("SM3withSM2");
        Map<String, Object> assertion = new LinkedHashMap<>();
        assertion.put("challengeId", challenge.json().path("id").asString());
        for (String field : List.of("format", "algorithm", "certificate", "signature", "tokenSerial")) {
            assertion.put(field, answer.path(field).asString());
        }
        assertion.put("chain", ApiClient.JSON.convertValue(answer.path("chain"), List.class));
        return assertion;
    }
}
