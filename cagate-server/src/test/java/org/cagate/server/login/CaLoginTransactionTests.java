package org.cagate.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cagate.server.caprovider.CaTestKit.assertion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.cagate.pki.Certificates;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.challenge.SignedAssertion;
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

/**
 * Issue 19: a CA login's database steps in one transaction. Of concurrent uses of one assertion exactly one
 * signs in; the caller's work inside the transaction ({@code inTransaction}) rolls all of it back when it
 * fails, a renewed certificate's refresh included; a refusal keeps its audit row and its spent nonce; an
 * address the database refused is refused by the node before any verification, and nothing is spent.
 */
@CagateServerTest
class CaLoginTransactionTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CaLogin login;

    CaTestKit kit;
    TestAccount user;
    TestCa ca;
    String provider;
    Credential key;

    @BeforeEach
    void boundKey() {
        kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        user = fixtures.user(org);
        ca = kit.ca();
        provider = kit.provider(ca, org.regionCode());
        key = ca.user("西子").issue();
        CaTestKit.bind(ApiClient.on(port).login(user.loginName(), user.password()), provider, key, user.id());
    }

    @Test
    void loginWhenOneAssertionPostedConcurrentlyThenExactlyOneSignsInOthersChallengeUsed() {
        ApiClient issuer = ApiClient.on(port);
        Map<String, Object> signed = assertion(issuer, "LOGIN", provider, key, SignatureFormat.RAW);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<String>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                ApiClient browser = ApiClient.on(port);
                browser.get("/api/auth/csrf");
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ApiClient.Response response = browser.post("/api/ca/login", signed);
                return response.status() == 200 ? "OK" : response.code();
            }));
        }
        start.countDown();

        List<String> answers = racers.stream().map(CompletableFuture::join).toList();
        assertThat(answers).filteredOn("OK"::equals).hasSize(1);
        assertThat(answers).filteredOn(a -> !a.equals("OK")).hasSize(5).containsOnly("CHALLENGE_USED");
        assertThat(audits())
                .containsExactly(
                        "BIND/SUCCESS/null",
                        "CA_LOGIN/SUCCESS/null",
                        "CA_LOGIN/FAILURE/CHALLENGE_USED",
                        "CA_LOGIN/FAILURE/CHALLENGE_USED",
                        "CA_LOGIN/FAILURE/CHALLENGE_USED",
                        "CA_LOGIN/FAILURE/CHALLENGE_USED",
                        "CA_LOGIN/FAILURE/CHALLENGE_USED");
    }

    @Test
    void loginWhenInTransactionFailsThenNothingOfTheLoginStaysAndTheAssertionStillSignsIn() {
        Credential renewed = ca.user("西子")
                .keyPair(key.keyPair())
                .validFor(Duration.ofDays(730))
                .issue();
        SignedAssertion signed =
                signedAssertion(assertion(ApiClient.on(port), "LOGIN", provider, renewed, SignatureFormat.CMS));
        String ip = "198.51.100." + (1 + Math.floorMod(provider.hashCode(), 200));

        assertThatThrownBy(() -> login.login(signed, ip, null, success -> {
                    assertThat(success.user().accountId()).isEqualTo(user.id());
                    throw new IllegalStateException("the session could not be written");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the session could not be written");

        // Rolled back: no audit row, no renewal, the nonce unspent.
        assertThat(audits()).containsExactly("BIND/SUCCESS/null");
        assertThat(certificateSha256()).isEqualTo(Certificates.sha256Hex(key.certificate()));
        CaLogin.Success success = login.login(signed, ip, null, s -> {});
        assertThat(success.user().accountId()).isEqualTo(user.id());
        assertThat(audits()).containsExactly("BIND/SUCCESS/null", "CERT_RENEWED/SUCCESS/null", "CA_LOGIN/SUCCESS/null");
        assertThat(certificateSha256()).isEqualTo(Certificates.sha256Hex(renewed.certificate()));
    }

    @Test
    void loginWhenRefusedThenItsAuditRowAndSpentNonceStay() {
        Credential stranger = ca.user("路人").issue(); // same CA, not bound
        ApiClient browser = ApiClient.on(port);
        Map<String, Object> signed = assertion(browser, "LOGIN", provider, stranger, SignatureFormat.RAW);

        ApiClient.Response first = browser.post("/api/ca/login", signed);
        ApiClient.Response again = ApiClient.on(port).post("/api/ca/login", signed);

        assertThat(first.code()).isEqualTo("CA_NOT_BOUND");
        assertThat(again.code()).isEqualTo("CHALLENGE_USED");
        assertThat(audits())
                .containsExactly(
                        "BIND/SUCCESS/null", "CA_LOGIN/FAILURE/CA_NOT_BOUND", "CA_LOGIN/FAILURE/CHALLENGE_USED");
    }

    @Test
    void loginWhenDatabaseRefusedTheAddressThenNodeRefusesBeforeVerifyingAndSpendsNothing() {
        ApiClient one = ApiClient.on(port);
        Map<String, Object> bogus =
                new java.util.HashMap<>(assertion(one, "LOGIN", provider, key, SignatureFormat.RAW));
        bogus.put("challengeId", "AAAAAAAAAAAAAAAAAAAAAA");
        for (int i = 0; i < 120; i++) {
            assertThat(one.post("/api/ca/login", bogus).code()).isEqualTo("CHALLENGE_UNKNOWN");
        }
        Map<String, Object> first = assertion(ApiClient.on(port), "LOGIN", provider, key, SignatureFormat.RAW);
        Map<String, Object> second = assertion(ApiClient.on(port), "LOGIN", provider, key, SignatureFormat.RAW);

        // The database refuses the first (verified before, so its audit row names the key); the node remembers
        // and refuses the second without looking at it.
        ApiClient.Response byDatabase = one.post("/api/ca/login", first);
        ApiClient.Response byNode = one.post("/api/ca/login", second);

        assertThat(byDatabase.code()).isEqualTo("RATE_LIMITED");
        assertThat(byNode.code()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(byNode.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(jdbc.sql("SELECT provider_code, key_id FROM audit_event WHERE action = 'CA_LOGIN'"
                                + " AND reason_code = 'RATE_LIMITED' AND client_ip = :ip ORDER BY id")
                        .param("ip", one.ip())
                        .query((rs, n) -> rs.getString(1) + "/" + (rs.getString(2) != null))
                        .list())
                .containsExactly(provider + "/true", "null/false");
        // Neither challenge was spent: both still sign in from another address.
        assertThat(ApiClient.on(port).post("/api/ca/login", first).status()).isEqualTo(200);
        assertThat(ApiClient.on(port).post("/api/ca/login", second).status()).isEqualTo(200);
    }

    private static SignedAssertion signedAssertion(Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        List<String> chain = (List<String>) body.get("chain");
        return new SignedAssertion(
                (String) body.get("challengeId"),
                (String) body.get("format"),
                (String) body.get("algorithm"),
                (String) body.get("certificate"),
                chain,
                (String) body.get("signature"),
                (String) body.get("tokenSerial"));
    }

    private String certificateSha256() {
        return jdbc.sql("SELECT cert_sha256 FROM ca_binding WHERE provider_code = :p AND active")
                .param("p", provider)
                .query(String.class)
                .single();
    }

    /** action/outcome/reason of the provider's audit records (not PROVIDER_CHANGED), oldest first. */
    private List<String> audits() {
        return jdbc.sql("SELECT action, outcome, reason_code FROM audit_event"
                        + " WHERE provider_code = :p AND action <> 'PROVIDER_CHANGED' ORDER BY id")
                .param("p", provider)
                .query((rs, n) -> rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3))
                .list();
    }
}
