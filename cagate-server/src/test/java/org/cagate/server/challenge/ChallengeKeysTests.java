package org.cagate.server.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.system.Timestamps;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The MAC keys that seal challenges ({@link ChallengeKeys}): rotation (a challenge sealed just before it
 * still opens after), deletion once its challenges are past expiry plus retention, the insert race of two
 * nodes for one slot, the bound on reloads for unknown key ids, and that issuing a challenge does not touch
 * the database. A context of its own: keys rotate every 10 minutes, and nothing scheduled runs mid-test.
 */
@CagateServerTest
@TestPropertySource(
        properties = {
            "cagate.ca.challenge-key-rotation=10m",
            "cagate.ca.challenge-cleanup-interval=PT1H",
            "cagate.throttle.local-cleanup-interval=PT1H",
            "spring.session.jdbc.cleanup-cron=-"
        })
class ChallengeKeysTests {

    private static final long ROTATION = 600;

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

    @Autowired
    ChallengeKeys keys;

    @Autowired
    ChallengeProperties properties;

    @Autowired
    MeterRegistry meters;

    private String provider() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        return kit.provider(kit.ca(), fixtures.region(true));
    }

    private String issue(String provider) {
        ApiClient.Response issued = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return issued.json().path("id").asString();
    }

    private static int keyId(String id) {
        return ByteBuffer.wrap(Base64.getUrlDecoder().decode(id), 1, 4).getInt();
    }

    /**
     * Moves the clock to {@code before} ahead of a slot boundary: the next one, or the one after it when the
     * clock is already less than {@code before} ahead of the next (the clock only moves forward, and the test
     * starts at whatever second of a slot the real time is in).
     */
    private void toBoundary(Duration before) {
        Instant now = clock.instant();
        long boundary = (Math.floorDiv(now.getEpochSecond(), ROTATION) + 1) * ROTATION;
        Duration ahead = Duration.between(now, Instant.ofEpochSecond(boundary)).minus(before);
        clock.advance(ahead.isNegative() ? ahead.plusSeconds(ROTATION) : ahead);
    }

    @Test
    void rotateWhenSlotEndsThenNewKeyOldChallengeStillOpensAndItsKeyGoesAfterExpiryAndRetention() {
        String provider = provider();
        toBoundary(Duration.ofSeconds(30));
        String before = issue(provider);
        clock.advance(Duration.ofSeconds(40));
        String after = issue(provider);

        assertThat(keyId(after)).isEqualTo(keyId(before) + 1);
        assertThat(challenges.open(before)).isPresent();
        assertThat(challenges.consume(before).id()).isEqualTo(before);

        // Past the old key's last challenge's expiry plus retention: maintain deletes it, and its ids are unknown.
        clock.advance(properties.challengeTtl().plus(properties.challengeRetention()));
        int deleted = keys.maintain();

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        assertThat(keyRow(keyId(before))).isZero();
        assertThat(keyRow(keyId(after))).isOne();
        assertThat(challenges.open(before)).isEmpty();
        assertThat(challenges.open(after)).isEmpty(); // expired plus retention as well, though its key stays
        // maintain made the next slot's key ahead of time.
        assertThat(keyRow(keyId(after) + 1)).isOne();
        assertThat(challenges.open(issue(provider))).isPresent();
    }

    @Test
    void currentWhenTwoNodesRaceForANewSlotThenBothSealWithTheSameKey() throws Exception {
        toBoundary(Duration.ofSeconds(-1)); // just into a slot nobody has a key for
        List<ChallengeKeys> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(new ChallengeKeys(jdbc, properties, new SecureRandom(), clock));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<ChallengeKeys.Key>> racers = nodes.stream()
                .map(node -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return node.current();
                }))
                .toList();
        start.countDown();

        List<ChallengeKeys.Key> current =
                racers.stream().map(CompletableFuture::join).toList();
        assertThat(current)
                .extracting(ChallengeKeys.Key::id)
                .containsOnly(current.get(0).id());
        assertThat(current)
                .extracting(key -> Base64.getEncoder().encodeToString(key.secret()))
                .containsOnly(Base64.getEncoder().encodeToString(current.get(0).secret()));
        assertThat(keyRow(current.get(0).id())).isOne();
        assertThat(keys.find(current.get(0).id()).orElseThrow().secret())
                .isEqualTo(current.get(0).secret());
    }

    @Test
    void findWhenKeyIdUnknownThenReloadedAtMostOncePerSecondAndNeverForFarFutureIds() {
        ChallengeKeys node = new ChallengeKeys(jdbc, properties, new SecureRandom(), clock);
        int slot = (int) Math.floorDiv(clock.instant().getEpochSecond(), ROTATION);
        jdbc.sql("DELETE FROM ca_challenge_key WHERE id IN (:ids)")
                .param("ids", List.of(slot + 1, slot + 5))
                .update();

        assertThat(node.find(slot + 1)).isEmpty(); // loads: not there
        insertKey(slot + 1);
        boolean withinTheSecond = node.find(slot + 1).isEmpty();
        clock.advance(Duration.ofMillis(1001));

        assertThat(withinTheSecond).isTrue();
        assertThat(node.find(slot + 1)).isPresent();
        insertKey(slot + 5);
        clock.advance(Duration.ofMillis(1001));
        assertThat(node.find(slot + 5)).as("no later than the next slot").isEmpty();
        assertThat(node.find(-1)).isEmpty();
        assertThat(keyRow(slot + 5)).isOne();
    }

    @Test
    void issueWhenKeyLoadedThenNoDatabaseAccessForChallengesOverHttp() {
        String provider = provider();
        issue(provider); // the slot's key is loaded, and the providers
        Timer acquired = meters.get("hikaricp.connections.acquire").timer();

        long before = acquired.count();
        List<String> ids = new ArrayList<>();
        ApiClient client = ApiClient.on(port);
        for (int i = 0; i < 20; i++) {
            ApiClient.Response issued = CaTestKit.challenge(client, "LOGIN", provider);
            assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
            ids.add(issued.json().path("id").asString());
        }
        long after = acquired.count();

        assertThat(after - before)
                .as("connections taken from the pool for 20 challenges")
                .isZero();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(challenges.open(id)).isPresent());
    }

    private void insertKey(int id) {
        byte[] secret = new byte[ChallengeKeys.SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        Instant from = Instant.ofEpochSecond(id * ROTATION);
        jdbc.sql("""
                        INSERT INTO ca_challenge_key (id, secret, seals_from, seals_until, created_at)
                        VALUES (:id, :secret, :from, :until, :now)""")
                .param("id", id)
                .param("secret", secret)
                .param("from", Timestamps.utc(from))
                .param("until", Timestamps.utc(from.plusSeconds(ROTATION)))
                .param("now", Timestamps.utc(clock.instant()))
                .update();
    }

    private long keyRow(int id) {
        return jdbc.sql("SELECT COUNT(*) FROM ca_challenge_key WHERE id = :id")
                .param("id", id)
                .query(Long.class)
                .single();
    }
}
