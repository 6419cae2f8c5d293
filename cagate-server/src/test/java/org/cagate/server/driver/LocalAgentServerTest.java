package org.cagate.server.driver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.pki.Certificates;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.Fixtures;
import org.cagate.testca.TestCa;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The test context of the download centre and CA 检测 (each test class adds {@code @CagateServerTest}):
 * the platform at {@value LocalAgent#ORIGIN}, pages pointed at the {@link LocalAgent} of this JVM, its
 * zip offered as the agent package, a 3 MB upload limit, and the providers the agent serves (SCCA in
 * 四川省, QHCA in 四川省 and 青海省), created once per context through the operator API.
 */
@TestPropertySource(properties = {"cagate.public-origin=" + LocalAgent.ORIGIN, "cagate.drivers.max-size=3MB"})
public abstract class LocalAgentServerTest {

    public static final String SICHUAN = "SC";
    public static final String QINGHAI = "QH";

    private static final Map<Integer, Boolean> READY = new java.util.concurrent.ConcurrentHashMap<>();

    @LocalServerPort
    protected int port;

    @Autowired
    protected Fixtures fixtures;

    private ApiClient operator;

    @DynamicPropertySource
    static void localAgent(DynamicPropertyRegistry registry) {
        registry.add("cagate.ca.agent-url", () -> LocalAgent.get().url());
        registry.add(
                "cagate.drivers.agent-package", () -> LocalAgent.get().zip().toString());
    }

    protected LocalAgent agent() {
        return LocalAgent.get();
    }

    /** A platform operator of its own for this test instance. */
    protected ApiClient operator() {
        if (operator == null) {
            Fixtures.TestAccount account = fixtures.platformAdmin();
            operator = ApiClient.on(port).login(account.loginName(), account.password());
        }
        ensureWorld();
        return operator;
    }

    /** Regions 四川省 and 青海省 and the agent's two providers, made once per server. */
    protected void ensureWorld() {
        if (READY.containsKey(port)) {
            return;
        }
        ApiClient admin = operator == null ? operator() : operator;
        put(admin, "/api/admin/regions/" + SICHUAN, Map.of("name", "四川省", "caEnabled", true));
        put(admin, "/api/admin/regions/" + QINGHAI, Map.of("name", "青海省", "caEnabled", true));
        put(
                admin,
                "/api/admin/ca-providers/" + LocalAgent.SCCA,
                provider("四川CA", agent().ca(LocalAgent.SCCA), SICHUAN));
        put(
                admin,
                "/api/admin/ca-providers/" + LocalAgent.QHCA,
                provider("青海CA", agent().ca(LocalAgent.QHCA), SICHUAN, QINGHAI));
        READY.put(port, true);
    }

    /** An organisation in 四川省 (where both agent providers are offered). */
    protected long sichuanOrganization() {
        ApiClient.Response created = operator()
                .post("/api/admin/organizations", Map.of("name", "四川西子贸易" + Fixtures.unique(), "regionCode", SICHUAN));
        if (created.status() != 201) {
            throw new AssertionError("organisation not created: " + created);
        }
        return created.json().path("id").asLong();
    }

    public static Map<String, Object> provider(String name, TestCa ca, String... regions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("enabled", true);
        body.put(
                "trustAnchors",
                ca.caCertificates().stream().map(Certificates::toPem).toList());
        body.put("identity", Map.of("source", "SPKI_SHA256"));
        body.put("revocation", Map.of("mode", "NONE", "failOpen", false));
        body.put("regions", List.of(regions));
        return body;
    }

    private static void put(ApiClient client, String path, Object body) {
        ApiClient.Response response = client.put(path, body);
        if (response.status() != 200 && response.status() != 201) {
            throw new AssertionError(path + ": " + response);
        }
    }
}
