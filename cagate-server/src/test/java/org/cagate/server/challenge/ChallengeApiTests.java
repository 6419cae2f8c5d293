package org.cagate.server.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.cagate.pki.Challenge;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/ca/challenges}, single use, expiry, cleanup and the per-IP limit. */
@CagateServerTest
class ChallengeApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ChallengeService challenges;

    private String provider() {
        return new CaTestKit(port, clock, fixtures)
                .provider(new CaTestKit(port, clock, fixtures).ca(), fixtures.region(true));
    }

    @Test
    void issueWhenLoginThenChallengeBytesNameOriginProviderAndFreshNonce() throws Exception {
        String provider = provider();
        ApiClient anonymous = ApiClient.on(port);

        ApiClient.Response first = CaTestKit.challenge(anonymous, "LOGIN", provider);
        ApiClient.Response second = CaTestKit.challenge(anonymous, "LOGIN", provider);

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        JsonNode json = first.json();
        assertThat(json.path("id").asString()).matches("[A-Za-z0-9_-]{102,154}");
        byte[] bytes = Base64.getDecoder().decode(json.path("toBeSigned").asString());
        Challenge challenge = Challenge.parse(bytes);
        assertThat(challenge.purpose()).isEqualTo(Challenge.Purpose.LOGIN);
        assertThat(challenge.origin()).isEqualTo("https://platform.example.gov.cn");
        assertThat(challenge.provider()).isEqualTo(provider);
        assertThat(challenge.nonce()).hasSize(32);
        assertThat(Instant.parse(json.path("expiresAt").asString()))
                .isEqualTo(challenge.issuedAt().plus(Duration.ofSeconds(120)));
        Challenge other = Challenge.parse(
                Base64.getDecoder().decode(second.json().path("toBeSigned").asString()));
        assertThat(other.nonce()).isNotEqualTo(challenge.nonce());
        // Nothing stored: the id alone gives back exactly the bytes handed out, and its expiry.
        SealedChallenge opened = challenges.open(json.path("id").asString()).orElseThrow();
        assertThat(opened.bytes()).isEqualTo(bytes);
        assertThat(opened.expiresAt())
                .isEqualTo(Instant.parse(json.path("expiresAt").asString()));
        assertThat(opened.accountId()).isNull();
    }

    @Test
    void consumeWhenRacedThenExactlyOneRequestGetsTheChallenge() throws Exception {
        String id = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider())
                .json()
                .path("id")
                .asString();
        SealedChallenge sealed = challenges.open(id).orElseThrow();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return challenges.spend(sealed);
            }));
        }
        start.countDown();

        assertThat(racers.stream().map(CompletableFuture::join).filter(won -> won))
                .hasSize(1);
        assertThatThrownBy(() -> challenges.consume(id))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.CHALLENGE_USED));
    }

    @Test
    void removeExpiredWhenRetentionPassedThenSpentNonceGoneAndReplayUnknown() {
        String id = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider())
                .json()
                .path("id")
                .asString();
        SealedChallenge spent = challenges.consume(id);
        long before = spentRows(spent);
        clock.advance(Duration.ofMinutes(8));

        challenges.removeExpired();

        assertThat(before).isEqualTo(1);
        assertThat(spentRows(spent)).isZero();
        assertThatThrownBy(() -> challenges.consume(id))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.CHALLENGE_UNKNOWN));
        assertThat(spentRows(spent)).isZero();
    }

    private long spentRows(SealedChallenge challenge) {
        return jdbc.sql("SELECT COUNT(*) FROM ca_challenge_spent WHERE nonce = :nonce")
                .param("nonce", challenge.nonce())
                .query(Long.class)
                .single();
    }

    @Test
    void issueWhenTooManyFromOneAddressThenRateLimited() {
        String provider = provider();
        ApiClient client = ApiClient.on(port);
        int created = 0;
        ApiClient.Response last = null;
        for (int i = 0; i < 130; i++) {
            last = CaTestKit.challenge(client, "LOGIN", provider);
            if (last.status() != 201) {
                break;
            }
            created++;
        }

        assertThat(created).isEqualTo(120);
        assertThat(last.code()).isEqualTo("RATE_LIMITED");
        assertThat(last.header("Retry-After")).isNotNull();
        assertThat(CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider).status())
                .isEqualTo(201);
    }

    @Test
    void issueWhenRequestMalformedThenValidation() {
        String provider = provider();
        ApiClient client = ApiClient.on(port);

        assertThat(CaTestKit.challenge(client, "LOGIN", "zjhx").code()).isEqualTo("VALIDATION");
        assertThat(client.send("POST", "/api/ca/challenges", "{\"purpose\":\"LOGIN\"}", "application/json")
                        .code())
                .isEqualTo("VALIDATION");
        assertThat(client.withoutCsrf()
                        .post("/api/ca/challenges", Map.of("purpose", "LOGIN", "provider", provider))
                        .code())
                .isEqualTo("FORBIDDEN");
    }
}
