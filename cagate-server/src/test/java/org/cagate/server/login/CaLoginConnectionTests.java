package org.cagate.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.server.caprovider.CaTestKit.assertion;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 19: a CA login's database work is one transaction on one connection, success or refusal (the
 * session the caller writes inside it adds no connection). Counted at the pool (HikariCP's acquire timer),
 * in the quiet context of {@code ChallengeKeysTests} (same settings: nothing scheduled runs mid-test).
 */
@CagateServerTest
@TestPropertySource(
        properties = {
            "cagate.ca.challenge-key-rotation=10m",
            "cagate.ca.challenge-cleanup-interval=PT1H",
            "cagate.throttle.local-cleanup-interval=PT1H",
            "spring.session.jdbc.cleanup-cron=-"
        })
class CaLoginConnectionTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    CaLogin login;

    @Autowired
    MeterRegistry meters;

    @Test
    void loginWhenSignedInOrRefusedThenOneConnectionForTheWholeAttempt() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        Fixtures.TestAccount user = fixtures.user(org);
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        CaTestKit.bind(ApiClient.on(port).login(user.loginName(), user.password()), provider, key, user.id());
        Credential stranger = ca.user("路人").issue();
        List<SignedAssertion> signed = List.of(
                signedAssertion(assertion(ApiClient.on(port), "LOGIN", provider, key, SignatureFormat.RAW)),
                signedAssertion(assertion(ApiClient.on(port), "LOGIN", provider, key, SignatureFormat.RAW)),
                signedAssertion(assertion(ApiClient.on(port), "LOGIN", provider, stranger, SignatureFormat.RAW)));
        Timer acquired = meters.get("hikaricp.connections.acquire").timer();
        login.login(signed.get(0), "198.51.100.30", null, s -> {}); // the providers and keys are loaded now

        long before = acquired.count();
        CaLogin.Success success = login.login(signed.get(1), "198.51.100.30", null, s -> {});
        long afterSuccess = acquired.count();
        String refused = null;
        try {
            login.login(signed.get(2), "198.51.100.30", null, s -> {});
        } catch (org.cagate.server.web.ApiException e) {
            refused = e.code().name();
        }
        long afterRefusal = acquired.count();

        assertThat(success.user().accountId()).isEqualTo(user.id());
        assertThat(afterSuccess - before)
                .as("connections for a successful login")
                .isOne();
        assertThat(refused).isEqualTo("CA_NOT_BOUND");
        assertThat(afterRefusal - afterSuccess)
                .as("connections for a refused login")
                .isOne();
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
}
