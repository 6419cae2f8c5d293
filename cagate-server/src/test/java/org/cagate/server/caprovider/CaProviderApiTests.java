package org.cagate.server.caprovider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.pki.Certificates;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code PUT/GET /api/admin/ca-providers/{code}} and the public {@code GET /api/ca/providers}. */
@CagateServerTest
class CaProviderApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    private CaTestKit kit;

    private CaTestKit kit() {
        if (kit == null) {
            kit = new CaTestKit(port, clock, fixtures);
        }
        return kit;
    }

    @Test
    void putWhenNewThenCreatedWithAnchorsShownAndAudited() {
        TestCa ca = kit().ca();
        String region = fixtures.region(true);
        String code = CaTestKit.newCode();
        Map<String, Object> body = CaTestKit.providerBody(ca, region);
        body.put("servicePhone", "400-888-0000");
        body.put("applyUrl", "https://ca.example.cn/apply");
        body.put("applyNote", "携带营业执照到营业厅办理");

        ApiClient.Response created = kit().putProvider(code, body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode json = created.json();
        assertThat(json.path("code").asString()).isEqualTo(code);
        assertThat(json.path("enabled").asBoolean()).isTrue();
        assertThat(json.path("version").asLong()).isEqualTo(1);
        assertThat(json.path("regions").get(0).asString()).isEqualTo(region);
        assertThat(json.path("identity").path("source").asString()).isEqualTo("SPKI_SHA256");
        assertThat(json.path("revocation").path("mode").asString()).isEqualTo("NONE");
        assertThat(json.path("algorithms").get(0).asString()).isEqualTo("SHA256withECDSA");
        assertThat(json.path("servicePhone").asString()).isEqualTo("400-888-0000");
        JsonNode root = json.path("anchors").get(0);
        assertThat(root.path("root").asBoolean()).isTrue();
        assertThat(root.path("subject").asString())
                .isEqualTo(ca.root().getSubjectX500Principal().getName());
        assertThat(root.path("sha256").asString()).isEqualTo(Certificates.sha256Hex(ca.root()));
        assertThat(root.path("notAfter").asString()).isNotBlank();
        assertThat(json.path("anchors").get(1).path("root").asBoolean()).isFalse();
        assertThat(json.path("trustAnchors").size()).isEqualTo(2);
        assertThat(audits(code)).containsExactly("PROVIDER_CHANGED/SUCCESS");
    }

    @Test
    void putWhenChangedThenVersionBumpedAndGetShowsIt() {
        TestCa ca = kit().ca();
        String code = kit().provider(ca, fixtures.region(true));
        Map<String, Object> body = CaTestKit.providerBody(ca);
        body.put("enabled", false);
        body.put(
                "revocation",
                Map.of(
                        "mode",
                        "OCSP_THEN_CRL",
                        "failOpen",
                        true,
                        "crlUrls",
                        List.of("http://127.0.0.1:1/a.crl"),
                        "ocspUrl",
                        "http://127.0.0.1:1/ocsp"));

        ApiClient.Response changed = kit().putProvider(code, body);
        JsonNode got = kit().operator().get("/api/admin/ca-providers/" + code).json();

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(got.path("version").asLong()).isEqualTo(2);
        assertThat(got.path("enabled").asBoolean()).isFalse();
        assertThat(got.path("regions").size()).isZero();
        assertThat(got.path("revocation").path("mode").asString()).isEqualTo("OCSP_THEN_CRL");
        assertThat(got.path("revocation").path("failOpen").asBoolean()).isTrue();
        assertThat(got.path("revocation").path("crlUrls").get(0).asString()).isEqualTo("http://127.0.0.1:1/a.crl");
        assertThat(got.path("revocation").path("ocspUrl").asString()).isEqualTo("http://127.0.0.1:1/ocsp");
        assertThat(audits(code)).containsExactly("PROVIDER_CHANGED/SUCCESS", "PROVIDER_CHANGED/SUCCESS");
    }

    @Test
    void putWhenPemIsNotACertificateThenValidationInChinese() {
        Map<String, Object> body = CaTestKit.providerBody(kit().ca());
        body.put(
                "trustAnchors",
                List.of(
                        ((List<?>) body.get("trustAnchors")).get(0),
                        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----"));

        ApiClient.Response response = kit().putProvider(CaTestKit.newCode(), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION");
        assertThat(response.detail()).contains("第 2 个信任锚不是有效的 PEM 证书");
    }

    @Test
    void putWhenNoRootOrNotCaThenValidation() {
        TestCa ca = kit().ca();
        Map<String, Object> onlyIntermediate = CaTestKit.providerBody(ca);
        onlyIntermediate.put(
                "trustAnchors", List.of(Certificates.toPem(ca.intermediate().orElseThrow())));
        Map<String, Object> userCertificate = CaTestKit.providerBody(ca);
        userCertificate.put(
                "trustAnchors", List.of(Certificates.toPem(ca.user("西子").issue().certificate())));

        ApiClient.Response noRoot = kit().putProvider(CaTestKit.newCode(), onlyIntermediate);
        ApiClient.Response notCa = kit().putProvider(CaTestKit.newCode(), userCertificate);

        assertThat(noRoot.code()).isEqualTo("VALIDATION");
        assertThat(noRoot.detail()).contains("自签名的根证书");
        assertThat(notCa.code()).isEqualTo("VALIDATION");
    }

    @Test
    void putWhenFieldsWrongThenValidationNamingThem() {
        TestCa ca = kit().ca();
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("OID", with(ca, "identity", Map.of("source", "EXTENSION")));
        cases.put("身份规则", with(ca, "identity", Map.of("source", "EMAIL")));
        cases.put("吊销检查方式", with(ca, "revocation", Map.of("mode", "SOMETIMES")));
        cases.put("CRL 地址", with(ca, "revocation", Map.of("mode", "CRL", "crlUrls", List.of("ldap://x/crl"))));
        cases.put("OCSP 地址", with(ca, "revocation", Map.of("mode", "OCSP", "ocspUrl", "not a url")));
        cases.put("不存在", with(ca, "regions", List.of("NO-SUCH-REGION")));
        cases.put("申领网址", with(ca, "applyUrl", "javascript:alert(1)"));
        cases.put("客服电话", with(ca, "servicePhone", "<b>call</b>"));

        cases.forEach((text, body) -> {
            ApiClient.Response response = kit().putProvider(CaTestKit.newCode(), body);
            assertThat(response.code()).as(text + ": " + response).isEqualTo("VALIDATION");
            assertThat(response.detail()).as(response.toString()).contains(text);
        });
        assertThat(kit().putProvider("zjhx", CaTestKit.providerBody(ca)).detail())
                .contains("大写字母");
        assertThat(kit().putProvider(CaTestKit.newCode(), Map.of("name", "x")).code())
                .isEqualTo("VALIDATION");
    }

    @Test
    void adminEndpointsWhenNotPlatformAdminThenForbidden() {
        Fixtures.Org org = fixtures.organization();
        ApiClient orgAdmin = ApiClient.on(port).login(fixtures.orgAdmin(org).loginName(), Fixtures.PASSWORD);
        String code = kit().provider(kit().ca(), org.regionCode());

        assertThat(orgAdmin.put("/api/admin/ca-providers/" + code, CaTestKit.providerBody(kit().ca()))
                        .code())
                .isEqualTo("FORBIDDEN");
        assertThat(orgAdmin.get("/api/admin/ca-providers/" + code).code()).isEqualTo("FORBIDDEN");
        assertThat(ApiClient.on(port).get("/api/admin/ca-providers").code()).isEqualTo("UNAUTHENTICATED");
        assertThat(kit().operator().get("/api/admin/ca-providers/NOPE").code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void publicListWhenAnonymousThenWireShapeWithoutDriver() {
        TestCa sm2 = kit().ca(TestPki.provider("SCCA").sm2());
        String code = kit().provider(sm2, fixtures.region(true));

        ApiClient.Response response = ApiClient.on(port).get("/api/ca/providers");

        assertThat(response.status()).isEqualTo(200);
        JsonNode provider = response.json()
                .valueStream()
                .filter(p -> p.path("code").asString().equals(code))
                .findFirst()
                .orElseThrow();
        assertThat(provider.path("enabled").asBoolean()).isTrue();
        assertThat(provider.path("name").asString()).startsWith("浙江汇信CA");
        assertThat(provider.path("algorithms").get(0).asString()).isEqualTo("SM3withSM2");
        assertThat(provider.has("driver")).isTrue();
        assertThat(provider.path("driver").isNull()).isTrue();
        assertThat(provider.has("trustAnchors")).isFalse();
    }

    @Test
    void putWhenIdentityRuleChangesWhileKeysBoundThenConflict() {
        Fixtures.Org org = fixtures.organization();
        TestCa ca = kit().ca();
        String code = kit().provider(ca, org.regionCode());
        Fixtures.TestAccount user = fixtures.user(org);
        CaTestKit.bind(
                ApiClient.on(port).login(user.loginName(), user.password()),
                code,
                ca.user("西子").issue(),
                user.id());
        Map<String, Object> issuerSerial = with(ca, "identity", Map.of("source", "ISSUER_SERIAL"));
        issuerSerial.put("regions", List.of(org.regionCode()));

        ApiClient.Response response = kit().putProvider(code, issuerSerial);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("CONFLICT");
        assertThat(response.detail()).contains("不能修改身份规则");
        assertThat(kit().operator()
                        .get("/api/admin/ca-providers/" + code)
                        .json()
                        .path("identity")
                        .path("source")
                        .asString())
                .isEqualTo("SPKI_SHA256");
        assertThat(kit().putProvider(code, with(ca, "name", "浙江汇信CA（新名称）")).status())
                .isEqualTo(200);
    }

    private static Map<String, Object> with(TestCa ca, String field, Object value) {
        Map<String, Object> body = CaTestKit.providerBody(ca);
        body.put(field, value);
        return body;
    }

    private List<String> audits(String code) {
        return jdbc.sql("SELECT action, outcome FROM audit_event WHERE provider_code = :code ORDER BY id")
                .param("code", code)
                .query((rs, n) -> rs.getString("action") + "/" + rs.getString("outcome"))
                .list();
    }
}
