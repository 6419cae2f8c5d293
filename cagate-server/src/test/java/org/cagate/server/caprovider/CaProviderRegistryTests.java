package org.cagate.server.caprovider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A provider change reaches another node without a restart: a second registry over the same database
 * (as another node has) keeps its view until {@code cagate.ca.provider-refresh} has passed, then
 * rebuilds just the changed provider.
 */
@CagateServerTest
class CaProviderRegistryTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    CaProviderRepository repository;

    @Test
    void findWhenChangedOnAnotherNodeThenSeenAfterRefreshInterval() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        TestCa ca = kit.ca();
        String code = kit.provider(ca, fixtures.region(true));
        String unchanged = kit.provider(ca, fixtures.region(true));
        AtomicLong nanos = new AtomicLong();
        CaProviderRegistry otherNode = new CaProviderRegistry(
                repository, new CaProviderProperties(Duration.ofSeconds(5), "http://127.0.0.1:21777"), nanos::get);
        CaProvider before = otherNode.find(code).orElseThrow();
        CaProvider untouched = otherNode.find(unchanged).orElseThrow();
        Map<String, Object> disabled = CaTestKit.providerBody(ca);
        disabled.put("enabled", false);

        kit.putProvider(code, disabled);
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        CaProvider stillOld = otherNode.find(code).orElseThrow();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        CaProvider now = otherNode.find(code).orElseThrow();

        assertThat(before.enabled()).isTrue();
        assertThat(stillOld).isSameAs(before);
        assertThat(now.enabled()).isFalse();
        assertThat(now.version()).isEqualTo(before.version() + 1);
        assertThat(now.regions()).isEmpty();
        assertThat(otherNode.find(unchanged).orElseThrow()).isSameAs(untouched);
        assertThat(otherNode.find("NOSUCH")).isEmpty();
    }

    @Test
    void algorithmsWhenSm2AndRsaAnchorsThenWireNames() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        TestCa sm2 = kit.ca(org.cagate.testca.TestPki.provider("SCCA").sm2());
        TestCa rsa = kit.ca(org.cagate.testca.TestPki.provider("CFCA").rsa());
        Map<String, Object> body = CaTestKit.providerBody(sm2);
        @SuppressWarnings("unchecked")
        java.util.List<String> anchors = new java.util.ArrayList<>((java.util.List<String>) body.get("trustAnchors"));
        anchors.add(org.cagate.pki.Certificates.toPem(rsa.root()));
        body.put("trustAnchors", anchors);
        String code = CaTestKit.newCode();

        kit.putProvider(code, body);

        assertThat(kit.operator()
                        .get("/api/admin/ca-providers/" + code)
                        .json()
                        .path("algorithms")
                        .toString())
                .isEqualTo("[\"SHA256withRSA\",\"SM3withSM2\"]");
    }
}
