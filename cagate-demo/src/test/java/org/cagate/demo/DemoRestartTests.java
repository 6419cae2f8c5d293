package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.testca.Credential;
import org.cagate.testca.softhsm.SoftHsm2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A second start on the data folder of the first: the same CA roots and keys, the binding made before
 * still there (and still logging in), nothing seeded twice; and a stop that leaves nothing listening.
 */
class DemoRestartTests {

    @Test
    void startWhenDataFolderReusedThenSameCasKeysAndBindingsWithoutDuplicateSeeding(@TempDir Path data)
            throws Exception {
        Map<Path, byte[]> kept = new LinkedHashMap<>();
        long cfcaVersion;
        int serverPort;
        int agentPort;
        try (Demo first = Demo.start(DemoOptions.forTests(data))) {
            PlatformClient xizi = new PlatformClient(first.serverPort())
                    .origin(first.url())
                    .login(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            // Revocation is live from the first start: SCCA's CRL, fetched here for the first time from
            // cagate-testca's CRL server, lists a certificate revoked a moment ago.
            Credential revoked = first.pki().user("SCCA", "北子").issue();
            first.pki().ca("SCCA").revoke(revoked.certificate(), CRLReason.keyCompromise);
            Credential good = first.pki().user("SCCA", "南子").issue();
            assertThat(AgentCalls.caLoginRefusal(xizi, "SCCA", revoked)).isEqualTo("CERT_REVOKED");
            assertThat(AgentCalls.caLoginRefusal(xizi, "SCCA", good)).isEqualTo("CA_NOT_BOUND");

            Map<String, Object> bind = new LinkedHashMap<>(AgentCalls.signedByAgent(first, xizi, "BIND", "TWCA"));
            bind.put("accountId", xizi.get("/api/me").path("id").asLong());
            xizi.post("/api/ca/bindings", bind);
            try (var files = Files.walk(data.resolve("ca"))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("root."))
                        .toList()) {
                    kept.put(file, Files.readAllBytes(file));
                }
            }
            for (DemoPki.DemoKey key : first.pki().keys()) {
                if (key.inFile()) {
                    Path file = key.pkcs12Folder().resolve(DemoPki.KEY_FILE);
                    kept.put(file, Files.readAllBytes(file));
                }
                if (key.onSkf()) {
                    Path file = first.pki()
                            .softSkf()
                            .orElseThrow()
                            .devices()
                            .resolve(DemoPki.SKF_DEVICE + "/" + DemoPki.SKF_APPLICATION + "/" + DemoPki.SKF_CONTAINER
                                    + "/sign.cert.der");
                    kept.put(file, Files.readAllBytes(file));
                }
            }
            cfcaVersion = operator(first)
                    .get("/api/admin/ca-providers/CFCA")
                    .path("version")
                    .asLong();
            serverPort = first.serverPort();
            agentPort = first.agentPort();
        }
        assertClosed(serverPort);
        assertClosed(agentPort);

        try (Demo second = Demo.start(DemoOptions.forTests(data))) {
            for (Map.Entry<Path, byte[]> file : kept.entrySet()) {
                assertThat(Files.readAllBytes(file.getKey()))
                        .as(file.getKey().toString())
                        .isEqualTo(file.getValue());
            }
            // Four roots (certificate and key) and 西子's key files: a PKCS#12 file or the soft SKF token's
            // certificate for each provider (none when ZJHX is a SoftHSM2 token).
            assertThat(kept).hasSize(8 + (second.pki().key("ZJHX").onToken() ? 3 : 4));
            if (SoftHsm2.isAvailable()) {
                assertThat(second.pki().softHsm2().orElseThrow().tokens()).hasSize(1);
            }
            PlatformClient operator = operator(second);
            JsonNode organizations =
                    operator.get("/api/admin/organizations?name=" + PlatformClient.query(DemoData.ORGANIZATION));
            assertThat(organizations.path("total").asLong()).isEqualTo(1);
            long organizationId = organizations.path("items").get(0).path("id").asLong();
            JsonNode accounts = operator.get("/api/admin/accounts?organizationId=" + organizationId);
            assertThat(accounts.path("items"))
                    .extracting(a -> a.path("loginName").asString())
                    .containsExactlyInAnyOrder(DemoData.XIZI.loginName(), DemoData.DONGZI.loginName());
            // Nothing about CFCA moved (no CRL/OCSP URL), so the second start did not write it again.
            assertThat(operator.get("/api/admin/ca-providers/CFCA")
                            .path("version")
                            .asLong())
                    .isEqualTo(cfcaVersion);

            // The binding of the first start is listed, and its key still logs 西子 in.
            PlatformClient page = new PlatformClient(second.serverPort()).origin(second.url());
            JsonNode login = page.post("/api/ca/login", AgentCalls.signedByAgent(second, page, "LOGIN", "TWCA"));
            assertThat(login.path("account").path("loginName").asString()).isEqualTo(DemoData.XIZI.loginName());
            JsonNode bindings = page.get("/api/ca/bindings");
            assertThat(bindings.path("total").asLong()).isEqualTo(1);
            assertThat(bindings.path("items")
                            .get(0)
                            .path("provider")
                            .path("code")
                            .asString())
                    .isEqualTo("TWCA");
        }
    }

    @Test
    void startWhenOperatorLockedOutAndRegionRenamedThenStartsAndLeavesTheOperatorsChangesAlone(@TempDir Path data)
            throws Exception {
        String renamed = "培训省本级（已改名）";
        Map<String, Long> versions;
        long changes;
        try (Demo first = Demo.start(DemoOptions.forTests(data))) {
            operator(first)
                    .put("/api/admin/regions/" + DemoData.TRAINING_REGION, Map.of("name", renamed, "caEnabled", true));
            versions = providerVersions(first);
            // Anyone may type wrong passwords for the operator until the platform refuses it.
            String refusal = "";
            for (int i = 0; i < 30 && !refusal.equals("ACCOUNT_LOCKED") && !refusal.equals("RATE_LIMITED"); i++) {
                try {
                    new PlatformClient(first.serverPort()).login(DemoData.OPERATOR.loginName(), "Wrong-Password-1");
                } catch (PlatformClient.ApiFailure e) {
                    refusal = e.code();
                }
            }
            assertThat(refusal).isIn("ACCOUNT_LOCKED", "RATE_LIMITED");
            changes = changes(first);
        }

        try (Demo second = Demo.start(DemoOptions.forTests(data))) {
            JsonNode me = new PlatformClient(second.serverPort())
                    .login(DemoData.XIZI.loginName(), DemoData.XIZI.password())
                    .get("/api/me");
            assertThat(me.path("region").path("name").asString()).isEqualTo(renamed);
            assertThat(providerVersions(second)).isEqualTo(versions);
            assertThat(changes(second))
                    .as("no REGION_CHANGED / PROVIDER_CHANGED at the second start")
                    .isEqualTo(changes);
        }
    }

    private static long changes(Demo demo) {
        return demo.serverBean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM audit_event WHERE action IN ('REGION_CHANGED', 'PROVIDER_CHANGED')")
                .query(Long.class)
                .single();
    }

    private static Map<String, Long> providerVersions(Demo demo) {
        Map<String, Long> versions = new java.util.TreeMap<>();
        demo.serverBean(JdbcClient.class)
                .sql("SELECT code, version FROM ca_provider")
                .query((rs, n) -> versions.put(rs.getString(1), rs.getLong(2)))
                .list();
        return versions;
    }

    private static PlatformClient operator(Demo demo) {
        return new PlatformClient(demo.serverPort()).login(DemoData.OPERATOR.loginName(), DemoData.OPERATOR.password());
    }

    private static void assertClosed(int port) {
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    }
                })
                .as("nothing listens on %d after close", port)
                .isInstanceOf(ConnectException.class);
    }
}
