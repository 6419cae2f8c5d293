package org.cagate.server.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The challenge table cannot grow without bound (issue 9): beyond the node's limit per window a challenge is
 * refused with 503 SERVICE_UNAVAILABLE and Retry-After, nothing is stored, and the next window issues again;
 * the scheduled cleanup deletes challenges once they are {@code challenge-retention} past their expiry.
 * Here the node issues 3 challenges an hour and cleans up every 200 ms.
 */
@CagateServerTest
@TestPropertySource(
        properties = {
            "cagate.ca.challenge-node-limit=3",
            "cagate.ca.challenge-node-window=1h",
            "cagate.ca.challenge-cleanup-interval=PT0.2S"
        })
class ChallengeTableBoundTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void issueWhenNodeLimitReachedThenServiceUnavailableNothingStoredAndNextWindowIssues() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, fixtures.region(true));
        Map<String, Object> disabledBody = CaTestKit.providerBody(ca);
        disabledBody.put("enabled", false);
        String disabled = kit.provider(ca);
        kit.putProvider(disabled, disabledBody);
        clock.advance(Duration.ofHours(2)); // whatever the other test issued, a new window starts

        List<ApiClient.Response> issued = List.of(
                CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider),
                CaTestKit.challenge(ApiClient.on(port), "LOGIN", "NOSUCHCA"),
                CaTestKit.challenge(ApiClient.on(port), "LOGIN", disabled),
                CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider),
                CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider));
        ApiClient.Response refused = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider);
        ApiClient.Response stillRefusedForTheProvider = CaTestKit.challenge(ApiClient.on(port), "LOGIN", disabled);
        long stored = rows(provider);
        clock.advance(Duration.ofHours(1));
        ApiClient.Response nextWindow = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider);

        assertThat(issued).extracting(ApiClient.Response::status).containsExactly(201, 400, 403, 201, 201);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(refused.detail()).isEqualTo("服务暂时不可用，请稍后再试。");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3590L, 3600L);
        assertThat(stillRefusedForTheProvider.code()).isEqualTo("PROVIDER_DISABLED");
        assertThat(stored).isEqualTo(3);
        assertThat(nextWindow.status()).as(nextWindow.toString()).isEqualTo(201);
    }

    @Test
    void cleanupWhenChallengesPastRetentionThenScheduledCleanupDeletesThemAndKeepsLiveOnes() throws Exception {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        String provider = kit.provider(kit.ca(), fixtures.region(true));
        clock.advance(Duration.ofHours(2));
        String first = id(CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider));
        String second = id(CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider));
        // TTL 120 s and retention 5 min passed for those two; a new one is live.
        clock.advance(Duration.ofSeconds(120 + 300 + 1));
        String live = id(CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider));

        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows(provider) > 1 && System.nanoTime() < end) {
            Thread.sleep(50);
        }

        assertThat(jdbc.sql("SELECT id FROM ca_challenge WHERE provider_code = :p")
                        .param("p", provider)
                        .query(String.class)
                        .list())
                .containsExactly(live)
                .doesNotContain(first, second);
    }

    private long rows(String provider) {
        return jdbc.sql("SELECT COUNT(*) FROM ca_challenge WHERE provider_code = :p")
                .param("p", provider)
                .query(Long.class)
                .single();
    }

    private static String id(ApiClient.Response issued) {
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return issued.json().path("id").asString();
    }
}
