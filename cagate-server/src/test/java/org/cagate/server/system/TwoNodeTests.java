package org.cagate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaProviderProperties;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.ServerNode;
import org.cagate.server.testing.TestClock;
import org.cagate.server.testing.TestDatabase;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 9, scale-out: two nodes (two application contexts on two ports) on one PostgreSQL schema, requests
 * alternating between them as a load balancer without sticky sessions sends them. A challenge issued by one
 * node is consumed by the other, a session made on one works on the other, and a provider change made on one
 * is enforced by the other within {@code cagate.ca.provider-refresh} (5 s), measured and printed.
 *
 * <p>PostgreSQL only (the PostgreSQL run of the build, {@code CAGATE_TEST_PG_URL}); skipped with a message
 * otherwise. Each test prints its figures as {@code [two nodes] ...} lines for docs/operations.md.
 */
@Tag("db")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeTests {

    /** On top of the refresh interval: the polling request, the refresh query and a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private String schema;
    private ServerNode one;
    private ServerNode two;
    private int portOne;
    private int portTwo;
    private Duration refresh;
    private Fixtures fixtures;
    private CaTestKit kit;
    private Fixtures.Org org;
    private TestCa ca;
    private TestCa oldCa;
    private String forLogins;
    private String forRaces;
    private String toDisable;
    private String toReanchor;
    private long created;
    private final Map<Integer, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();

    @BeforeAll
    void twoNodesOnOneSchema() {
        boolean postgres = TestDatabase.postgres() && System.getenv(TestDatabase.PG_URL_ENV) != null;
        assumeTrue(postgres, () -> {
            String reason = TestDatabase.postgres()
                    ? "TwoNodeTests SKIPPED: " + TestDatabase.PG_URL_ENV + " is not set"
                    : "TwoNodeTests run in the PostgreSQL run only (" + TestDatabase.PG_URL_ENV + ")";
            System.out.println("[WARNING] " + reason);
            return reason;
        });
        schema = TestDatabase.createSchema();
        one = ServerNode.start("node-1", TestDatabase.url(schema));
        two = ServerNode.start("node-2", TestDatabase.url(schema));
        portOne = one.port();
        portTwo = two.port();
        refresh = one.bean(CaProviderProperties.class).providerRefresh();
        fixtures = one.fixtures();
        kit = new CaTestKit(one.port(), one.bean(TestClock.class), fixtures);
        org = fixtures.organization();
        ca = kit.ca();
        oldCa = kit.ca();
        // Node 2 reads the providers now (none yet), so the ones below reach it by its refresh, as in production.
        CaTestKit.challenge(ApiClient.on(portTwo), "LOGIN", "NOSUCHCA");
        forLogins = kit.provider(ca, org.regionCode());
        forRaces = kit.provider(ca, org.regionCode());
        toDisable = kit.provider(ca, org.regionCode());
        toReanchor = kit.provider(oldCa, org.regionCode());
        created = System.nanoTime();
    }

    /** Node 2 learns of providers made on node 1 within the refresh interval. First: the others need that. */
    @Test
    @Order(1)
    void providerWhenCreatedOnOneNodeThenOtherNodeIssuesChallengesForItWithinRefreshInterval() throws Exception {
        ApiClient browser = browser().via(two.port());

        double seconds = secondsUntil(
                created,
                () -> Stream.of(forLogins, forRaces, toDisable, toReanchor)
                        .allMatch(code ->
                                CaTestKit.challenge(browser, "LOGIN", code).status() == 201));

        System.out.printf(
                "[two nodes] providers created on node 1: node 2 issued challenges for them after %.2f s (refresh %d"
                        + " s)%n",
                seconds, refresh.toSeconds());
        assertThat(seconds).isLessThan(refresh.plus(SLACK).toMillis() / 1000.0);
    }

    @AfterAll
    void stopNodes() {
        if (two != null) {
            two.close();
        }
        if (one != null) {
            one.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
        if (!requests.isEmpty()) {
            System.out.printf(
                    "[two nodes] requests: node 1 %d, node 2 %d; unexpected answers: %d %s%n",
                    requests.getOrDefault(portOne, new AtomicInteger()).get(),
                    requests.getOrDefault(portTwo, new AtomicInteger()).get(),
                    errors.size(),
                    errors);
        }
    }

    /** A browser behind the balancer: starts on node 1; every answer is counted for its node. */
    private ApiClient browser() {
        return ApiClient.on(one.port()).observe(response -> {
            requests.computeIfAbsent(response.port(), port -> new AtomicInteger())
                    .incrementAndGet();
            if (response.status() >= 500) {
                synchronized (errors) {
                    errors.add(response.toString());
                }
            }
        });
    }

    @Test
    @Order(2)
    void loginWhenChallengeIssuedByOneNodeThenOtherNodeConsumesItAndBothKnowTheSession() {
        String provider = forLogins;
        int logins = 0;
        for (int u = 0; u < 4; u++) {
            TestAccount user = fixtures.user(org);
            Credential key = ca.user("投标人" + u).issue();
            // Bind: the challenge from node 2, the bind on node 1.
            ApiClient binder =
                    browser().login(user.loginName(), user.password()).via(two.port());
            Map<String, Object> bind = CaTestKit.assertion(binder, "BIND", provider, key, SignatureFormat.RAW);
            ApiClient.Response bound =
                    binder.via(one.port()).post("/api/ca/bindings", CaTestKit.forAccount(bind, user.id()));
            assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
            for (int i = 0; i < 5; i++, logins++) {
                ServerNode issuer = logins % 2 == 0 ? one : two;
                ServerNode verifier = issuer == one ? two : one;
                ApiClient browser = browser().via(issuer.port());
                Map<String, Object> signed = CaTestKit.assertion(browser, "LOGIN", provider, key, SignatureFormat.RAW);

                ApiClient.Response login = browser.via(verifier.port()).post("/api/ca/login", signed);
                ApiClient.Response meOnIssuer = browser.via(issuer.port()).get("/api/me");

                assertThat(login.status()).as(login.toString()).isEqualTo(200);
                assertThat(meOnIssuer.json().path("id").asLong()).isEqualTo(user.id());
            }
        }
        assertThat(one.jdbc()
                        .sql("SELECT COUNT(*) FROM audit_event WHERE provider_code = :p AND action = 'CA_LOGIN'"
                                + " AND outcome = 'SUCCESS'")
                        .param("p", provider)
                        .query(Long.class)
                        .single())
                .isEqualTo(logins);
        assertThat(errors).isEmpty();
    }

    /**
     * Issue 19: a sealed challenge is single-use across nodes. One assertion posted to both nodes at once signs
     * in exactly once; a replay on either node is CHALLENGE_USED; and a node configured with another public
     * origin (sharing the keys through the database) answers ORIGIN_MISMATCH for the others' challenges, and
     * they for its.
     */
    @Test
    @Order(2)
    void loginWhenOneAssertionRacesOnBothNodesThenExactlyOneAndAnotherOriginsNodeSaysOriginMismatch() throws Exception {
        String provider = forRaces;
        TestAccount user = fixtures.user(org);
        Credential key = ca.user("竞速").issue();
        ApiClient binder = browser().login(user.loginName(), user.password()).via(two.port());
        Map<String, Object> bind = CaTestKit.assertion(binder, "BIND", provider, key, SignatureFormat.RAW);
        assertThat(binder.via(one.port())
                        .post("/api/ca/bindings", CaTestKit.forAccount(bind, user.id()))
                        .status())
                .isEqualTo(201);
        Map<String, Object> signed =
                CaTestKit.assertion(browser().via(two.port()), "LOGIN", provider, key, SignatureFormat.RAW);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.CompletableFuture<String>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int port = i % 2 == 0 ? portOne : portTwo;
            racers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                ApiClient racer = browser().via(port);
                racer.get("/api/auth/csrf");
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ApiClient.Response response = racer.post("/api/ca/login", signed);
                return response.status() == 200 ? "OK" : response.code();
            }));
        }
        start.countDown();
        List<String> answers = racers.stream()
                .map(java.util.concurrent.CompletableFuture::join)
                .toList();

        assertThat(answers).filteredOn("OK"::equals).hasSize(1);
        assertThat(answers).filteredOn(a -> !a.equals("OK")).containsOnly("CHALLENGE_USED");
        assertThat(browser().via(portOne).post("/api/ca/login", signed).code()).isEqualTo("CHALLENGE_USED");
        assertThat(browser().via(portTwo).post("/api/ca/login", signed).code()).isEqualTo("CHALLENGE_USED");

        try (ServerNode elsewhere = ServerNode.start(
                "node-3", TestDatabase.url(schema), "cagate.public-origin=https://other.example.gov.cn")) {
            int portThree = elsewhere.port();
            Map<String, Object> fromOne =
                    CaTestKit.assertion(browser().via(portOne), "LOGIN", provider, key, SignatureFormat.RAW);
            ApiClient.Response onThree = browser().via(portThree).post("/api/ca/login", fromOne);
            ApiClient.Response fromThree = CaTestKit.challenge(browser().via(portThree), "LOGIN", provider);
            ApiClient.Response onOne = browser()
                    .via(portOne)
                    .post(
                            "/api/ca/login",
                            CaTestKit.sign(
                                    fromThree.json().path("id").asString(),
                                    java.util.Base64.getDecoder()
                                            .decode(fromThree
                                                    .json()
                                                    .path("toBeSigned")
                                                    .asString()),
                                    key,
                                    SignatureFormat.RAW));

            assertThat(onThree.code()).isEqualTo("ORIGIN_MISMATCH");
            assertThat(fromThree.status()).as(fromThree.toString()).isEqualTo(201);
            assertThat(onOne.code()).isEqualTo("ORIGIN_MISMATCH");
        }
        assertThat(errors).isEmpty();
    }

    /** Wrong passwords counted on either node hold the address back on both; the owner's usual address is not. */
    @Test
    @Order(2)
    void passwordGuessesWhenSpreadOverBothNodesThenCountedTogether() {
        TestAccount user = fixtures.user(org);
        ApiClient owner = ApiClient.on(portTwo);
        owner.login(user.loginName(), user.password());
        ApiClient attacker = ApiClient.on(portOne);
        Map<String, String> wrong = Map.of("loginName", user.loginName(), "password", "Wrong-Pass-1");

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            answers.add(attacker.via(i % 2 == 0 ? portOne : portTwo)
                    .post("/api/auth/password", wrong)
                    .code());
        }

        // The default policy: 5 wrong passwords from one address, then it waits.
        assertThat(answers.subList(0, 5)).containsOnly("BAD_CREDENTIALS");
        assertThat(answers.subList(5, 7)).containsOnly("ACCOUNT_LOCKED");
        assertThat(owner.via(portOne)
                        .post("/api/auth/password", Map.of("loginName", user.loginName(), "password", user.password()))
                        .status())
                .isEqualTo(200);
    }

    @Test
    @Order(2)
    void sessionWhenMadeOnOneNodeThenUsedChangedAndEndedOnTheOther() {
        TestAccount user = fixtures.user(fixtures.organization());
        ApiClient browser = browser().login(user.loginName(), user.password());

        ApiClient.Response meOnTwo = browser.via(two.port()).get("/api/me");
        // The CSRF token (a cookie) from node 1 is accepted by node 2 for a change; node 1 sees the result.
        ApiClient.Response logoutOnTwo = browser.post("/api/auth/logout", null);
        ApiClient.Response meOnOne = browser.via(one.port()).get("/api/me");

        assertThat(meOnTwo.status()).as(meOnTwo.toString()).isEqualTo(200);
        assertThat(meOnTwo.json().path("loginName").asString()).isEqualTo(user.loginName());
        assertThat(logoutOnTwo.status()).as(logoutOnTwo.toString()).isLessThan(300);
        assertThat(meOnOne.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(errors).isEmpty();
    }

    @Test
    @Order(2)
    void providerWhenDisabledOnOneNodeThenOtherNodeRefusesWithinRefreshInterval() throws Exception {
        String provider = toDisable;
        ApiClient browser = browser().via(two.port());
        assertThat(CaTestKit.challenge(browser, "LOGIN", provider).status()).isEqualTo(201);
        Map<String, Object> disabled = CaTestKit.providerBody(ca, org.regionCode());
        disabled.put("enabled", false);

        ApiClient.Response change = kit.putProvider(provider, disabled);
        long changed = System.nanoTime();
        ApiClient.Response onOne = CaTestKit.challenge(browser().via(one.port()), "LOGIN", provider);
        double seconds = secondsUntil(
                changed, () -> refused(CaTestKit.challenge(browser, "LOGIN", provider), "PROVIDER_DISABLED"));

        System.out.printf(
                "[two nodes] provider disabled on node 1: node 1 refused at once, node 2 after %.2f s (refresh %d s)%n",
                seconds, refresh.toSeconds());
        assertThat(change.status()).isEqualTo(200);
        assertThat(onOne.code()).isEqualTo("PROVIDER_DISABLED");
        assertThat(seconds).isLessThan(refresh.plus(SLACK).toMillis() / 1000.0);
    }

    @Test
    @Order(2)
    void providerWhenTrustAnchorsChangedOnOneNodeThenOtherNodeStopsTrustingWithinRefreshInterval() throws Exception {
        String provider = toReanchor;
        TestCa newCa = kit.ca();
        // A fresh key of the old CA each time (no per-key limit): trusted but not bound (CA_NOT_BOUND) until
        // the change reaches the node, then CERT_UNTRUSTED.
        ApiClient browser = browser();
        Supplier<ApiClient.Response> login = () -> {
            Map<String, Object> signed = CaTestKit.assertion(
                    browser.via(one.port()), "LOGIN", provider, oldCa.user("西子").issue(), SignatureFormat.RAW);
            return browser.via(two.port()).post("/api/ca/login", signed);
        };
        assertThat(login.get().code()).isEqualTo("CA_NOT_BOUND");

        ApiClient.Response change = kit.putProvider(provider, CaTestKit.providerBody(newCa, org.regionCode()));
        long changed = System.nanoTime();
        ApiClient.Response onOne = browser.via(one.port())
                .post(
                        "/api/ca/login",
                        CaTestKit.assertion(
                                browser, "LOGIN", provider, oldCa.user("西子").issue(), SignatureFormat.RAW));
        double seconds = secondsUntil(changed, () -> refused(login.get(), "CERT_UNTRUSTED"));

        System.out.printf(
                "[two nodes] trust anchors changed on node 1: node 1 refused the old CA at once, node 2 after %.2f s"
                        + " (refresh %d s)%n",
                seconds, refresh.toSeconds());
        assertThat(change.status()).isEqualTo(200);
        assertThat(onOne.code()).isEqualTo("CERT_UNTRUSTED");
        assertThat(seconds).isLessThan(refresh.plus(SLACK).toMillis() / 1000.0);
    }

    /** Seconds from {@code since} until {@code taken} is true, asked every 100 ms for three refresh intervals. */
    private double secondsUntil(long since, BooleanSupplier taken) throws InterruptedException {
        long deadline = since + refresh.plus(SLACK).multipliedBy(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (taken.getAsBoolean()) {
                return (System.nanoTime() - since) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the other node never took the change");
    }

    private static boolean refused(ApiClient.Response response, String code) {
        return response.status() >= 400 && code.equals(response.code());
    }
}
