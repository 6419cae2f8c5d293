package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * What the demo puts in place, read back through the server's API and the agent's: the seed's regions,
 * organisation, accounts and providers; the agent serving every provider for the platform's origin only;
 * revocation answered by cagate-testca's OCSP responder and CRL server.
 */
@ExtendWith(SharedDemo.class)
class DemoContentTests {

    @Test
    void startWhenFreshThenSeedRegionsOrganizationAccountsAndProvidersAreInTheServer(Demo demo) {
        PlatformClient operator = new PlatformClient(demo.serverPort())
                .login(DemoData.OPERATOR.loginName(), DemoData.OPERATOR.password());
        for (DemoData.RegionSpec region : DemoData.REGIONS) {
            JsonNode stored = operator.get("/api/admin/regions/" + region.code());
            assertThat(stored.path("name").asString()).isEqualTo(region.name());
            assertThat(stored.path("caEnabled").asBoolean()).isEqualTo(region.caEnabled());
        }
        JsonNode xizi = account(operator, DemoData.XIZI.loginName());
        assertThat(xizi.path("displayName").asString()).isEqualTo("西子");
        assertThat(xizi.path("organization").path("name").asString()).isEqualTo(DemoData.ORGANIZATION);
        assertThat(xizi.path("region").path("name").asString()).isEqualTo("培训省本级");
        assertThat(strings(xizi.path("roles"))).contains("ORG_ADMIN");
        assertThat(account(operator, DemoData.DONGZI.loginName())
                        .path("organization")
                        .path("id")
                        .asLong())
                .isEqualTo(xizi.path("organization").path("id").asLong());

        JsonNode providers = operator.get("/api/ca/providers");
        assertThat(providers)
                .extracting(p -> p.path("name").asString())
                .containsExactlyInAnyOrder("浙江汇信CA", "四川CA", "CFCA", "天威CA");
        assertThat(provider(providers, "SCCA").path("algorithms").get(0).asString())
                .isEqualTo("SM3withSM2");
        assertThat(provider(providers, "CFCA").path("algorithms").get(0).asString())
                .isEqualTo("SHA256withRSA");
        JsonNode zjhx = operator.get("/api/admin/ca-providers/ZJHX");
        assertThat(zjhx.path("revocation").path("mode").asString()).isEqualTo("OCSP_THEN_CRL");
        assertThat(zjhx.path("revocation").path("ocspUrl").asString()).startsWith("http://127.0.0.1:");
        assertThat(strings(operator.get("/api/admin/ca-providers/SCCA").path("regions")))
                .containsExactlyInAnyOrder(DemoData.TRAINING_REGION, "510000");
        assertThat(strings(operator.get("/api/admin/ca-providers/TWCA").path("regions")))
                .containsExactlyInAnyOrder(DemoData.TRAINING_REGION, "630000");
    }

    @Test
    void agentWhenDemoRunsThenEveryProviderHasAKeyAndOnlyThePlatformMaySign(Demo demo) throws Exception {
        AgentCalls.Answer status = AgentCalls.agent(demo, "GET", "/v1/status", demo.url(), null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("providers"))
                .extracting(p ->
                        p.path("code").asString() + " " + p.path("tokenPresent").asBoolean())
                .containsExactlyInAnyOrder("ZJHX true", "SCCA true", "CFCA true", "TWCA true");
        if (demo.pki().key("ZJHX").onToken()) {
            AgentCalls.Answer tokens = AgentCalls.agent(demo, "GET", "/v1/tokens?provider=ZJHX", demo.url(), null);
            assertThat(tokens.body().get(0).path("serial").asString()).isEqualTo(DemoData.TOKEN_SERIAL);
        }

        AgentCalls.Answer foreign = AgentCalls.agent(
                demo,
                "POST",
                "/v1/sign",
                "https://evil.example",
                Map.of("provider", "TWCA", "pin", DemoData.PIN, "toBeSigned", "eA==", "format", "RAW"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body().path("code").asString()).isEqualTo("ORIGIN_NOT_ALLOWED");
    }

    @Test
    void caLoginWhenCertificateRevokedThenRefusedByTestcaOcspResponder(Demo demo) throws Exception {
        // ZJHX asks OCSP first (then the CRL): cagate-testca's responder on loopback answers for each
        // serial, so a certificate revoked while the demo runs is refused at once. (The CRL provider SCCA
        // is checked in DemoRestartTests on a fresh demo: a fetched CRL is cached until its nextUpdate.)
        PlatformClient page = new PlatformClient(demo.serverPort()).origin(demo.url());
        Credential good = demo.pki().user("ZJHX", "南子").issue();
        assertThat(AgentCalls.caLoginRefusal(page, "ZJHX", good)).isEqualTo("CA_NOT_BOUND");

        Credential revoked = demo.pki().user("ZJHX", "北子").issue();
        demo.pki().ca("ZJHX").revoke(revoked.certificate(), CRLReason.keyCompromise);
        assertThat(AgentCalls.caLoginRefusal(page, "ZJHX", revoked)).isEqualTo("CERT_REVOKED");
    }

    private static JsonNode account(PlatformClient operator, String loginName) {
        for (JsonNode item :
                operator.get("/api/admin/accounts?loginName=" + loginName).path("items")) {
            if (item.path("loginName").asString().equals(loginName)) {
                return item;
            }
        }
        throw new AssertionError("no account " + loginName);
    }

    private static JsonNode provider(JsonNode providers, String code) {
        for (JsonNode p : providers) {
            if (p.path("code").asString().equals(code)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + code);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
