package org.cagate.server.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** One key, many accounts at once: the database's unique index lets exactly one bind win. */
@CagateServerTest
class BindingConcurrencyTests {

    private static final int ACCOUNTS = 24;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void bindWhenOneKeyBoundConcurrentlyToManyAccountsThenExactlyOneWins() throws Exception {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        Credential key = ca.user("西子").issue();
        List<ApiClient> clients = new ArrayList<>();
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            TestAccount account = fixtures.user(org);
            ApiClient client = ApiClient.on(port).login(account.loginName(), account.password());
            clients.add(client);
            bodies.add(CaTestKit.forAccount(
                    CaTestKit.assertion(client, "BIND", provider, key, SignatureFormat.RAW), account.id()));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(ACCOUNTS);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < ACCOUNTS; i++) {
                ApiClient client = clients.get(i);
                Map<String, Object> body = bodies.get(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return client.post("/api/ca/bindings", body);
                }));
            }
            start.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> answer : answers) {
                responses.add(answer.get());
            }

            assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(1);
            assertThat(responses.stream().filter(r -> r.status() != 201))
                    .hasSize(ACCOUNTS - 1)
                    .allSatisfy(r -> assertThat(r.code()).as(r.toString()).isEqualTo("CA_ALREADY_BOUND"));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ca_binding WHERE provider_code = :p AND active = TRUE")
                            .param("p", provider)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE action = 'BIND' AND provider_code = :p"
                                    + " AND reason_code = 'CA_ALREADY_BOUND'")
                            .param("p", provider)
                            .query(Long.class)
                            .single())
                    .isEqualTo(ACCOUNTS - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
