package org.cagate.server.docsign;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * 印章管理 API: an ORG_ADMIN sets and replaces the organisation's seal (PNG or JPEG, checked, audited);
 * everyone of the organisation sees it; other roles are refused with problem+json.
 */
@CagateServerTest
class SealApiTests extends LocalAgentServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcClient jdbc;

    private long organization;
    private ApiClient admin;
    private Fixtures.TestAccount adminAccount;
    private ApiClient user;

    @BeforeEach
    void organisationWithAdminAndUser() {
        ensureWorld();
        organization = sichuanOrganization();
        adminAccount = fixtures.account(organization, "USER", "ORG_ADMIN");
        admin = ApiClient.on(port).login(adminAccount.loginName(), adminAccount.password());
        Fixtures.TestAccount plain = fixtures.account(organization, "USER");
        user = ApiClient.on(port).login(plain.loginName(), plain.password());
    }

    @Test
    void uploadWhenOrgAdminSendsPngThenStoredShownToTheOrganisationAndAudited() throws Exception {
        byte[] png = SealImages.png(300, 300);

        HttpResponse<byte[]> uploaded = new Multipart().file("image", png).put(admin, port, "/api/seal");

        assertThat(uploaded.statusCode()).as(text(uploaded)).isEqualTo(200);
        JsonNode status = JSON.readTree(uploaded.body());
        assertThat(status.get("set").asBoolean()).isTrue();
        assertThat(status.get("seal").get("mediaType").asString()).isEqualTo("image/png");
        assertThat(status.get("seal").get("width").asInt()).isEqualTo(300);
        assertThat(status.get("seal").get("updatedBy").asString()).isEqualTo(adminAccount.displayName());
        ApiClient.Response seen = user.get("/api/seal");
        assertThat(seen.json().get("set").asBoolean()).isTrue();
        assertThat(seen.json().get("canManage").asBoolean()).isFalse();
        HttpResponse<byte[]> image = get(user, "/api/seal/image");
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(png);
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'SEAL_UPDATED' and outcome = 'SUCCESS'"
                                + " and actor_account_id = ? and organization_id = ? and detail like ?")
                        .param(adminAccount.id())
                        .param(organization)
                        .param("%image/png 300x300%")
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    @Test
    void uploadWhenReplacedWithJpegThenTheNewSealIsServed() throws Exception {
        new Multipart().file("image", SealImages.png(100, 100)).put(admin, port, "/api/seal");
        byte[] jpeg = SealImages.jpeg(200, 150);

        HttpResponse<byte[]> replaced = new Multipart().file("image", jpeg).put(admin, port, "/api/seal");

        assertThat(replaced.statusCode()).as(text(replaced)).isEqualTo(200);
        assertThat(JSON.readTree(replaced.body()).get("seal").get("mediaType").asString())
                .isEqualTo("image/jpeg");
        assertThat(get(user, "/api/seal/image").body()).isEqualTo(jpeg);
    }

    @Test
    void uploadWhenNotAnImageThenValidationInChineseAndAuditedAsRefused() throws Exception {
        byte[] gif = "GIF89a not a seal".getBytes(StandardCharsets.US_ASCII);

        HttpResponse<byte[]> refused = new Multipart().file("image", gif).put(admin, port, "/api/seal");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("code").asString()).isEqualTo("VALIDATION");
        assertThat(problem.get("detail").asString()).contains("PNG 或 JPEG");
        assertThat(user.get("/api/seal").json().get("set").asBoolean()).isFalse();
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'SEAL_UPDATED' and outcome = 'FAILURE'"
                                + " and reason_code = 'VALIDATION' and actor_account_id = ?")
                        .param(adminAccount.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    @Test
    void uploadWhenPngHeaderButBrokenBodyThenValidation() throws Exception {
        byte[] png = SealImages.png(100, 100);
        byte[] broken = Arrays.copyOf(png, 40); // the signature and IHDR, no image data

        HttpResponse<byte[]> refused = new Multipart().file("image", broken).put(admin, port, "/api/seal");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("无法读取");
    }

    @Test
    void uploadWhenTooFewPixelsThenValidationNamesTheLimits() throws Exception {
        HttpResponse<byte[]> refused =
                new Multipart().file("image", SealImages.png(10, 10)).put(admin, port, "/api/seal");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("32", "2000", "10×10");
    }

    @Test
    void uploadWhenLargerThanTheLimitThenPayloadTooLargeNamesIt() throws Exception {
        byte[] large = Arrays.copyOf(SealImages.png(100, 100), 1024 * 1024 + 1);

        HttpResponse<byte[]> refused = new Multipart().file("image", large).put(admin, port, "/api/seal");

        assertThat(refused.statusCode()).isEqualTo(413);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(problem.get("detail").asString()).contains("1024 KB");
    }

    @Test
    void uploadWhenNoFileThenValidation() throws Exception {
        HttpResponse<byte[]> refused = new Multipart().field("other", "x").put(admin, port, "/api/seal");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("请选择");
    }

    @Test
    void uploadWhenPlainUserOrPlatformOperatorThenForbiddenProblem() throws Exception {
        HttpResponse<byte[]> byUser =
                new Multipart().file("image", SealImages.png(100, 100)).put(user, port, "/api/seal");
        HttpResponse<byte[]> byOperator =
                new Multipart().file("image", SealImages.png(100, 100)).put(operator(), port, "/api/seal");

        for (HttpResponse<byte[]> refused : java.util.List.of(byUser, byOperator)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(JSON.readTree(refused.body()).get("code").asString()).isEqualTo("FORBIDDEN");
        }
        assertThat(user.get("/api/seal").json().get("set").asBoolean()).isFalse();
        assertThat(get(user, "/api/seal/image").statusCode()).isEqualTo(404);
    }

    @Test
    void sealPageWhenOrgAdminThenShownAndForUserForbidden() {
        new Multipart().file("image", SealImages.png(120, 120)).put(admin, port, "/api/seal");

        ApiClient.Response page = admin.send("GET", "/system/docsign/seal", null, null);
        ApiClient.Response forUser = user.send("GET", "/system/docsign/seal", null, null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("印章管理", "当前印章", "120×120", "更换印章");
        assertThat(forUser.status()).isEqualTo(403);
        assertThat(user.send("GET", "/system/docsign/sign", null, null).body())
                .contains("签章", "验章")
                .doesNotContain("印章管理</a>");
    }

    private HttpResponse<byte[]> get(ApiClient client, String path) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("X-Forwarded-For", client.ip());
        client.cookie("SESSION").ifPresent(session -> request.header("Cookie", "SESSION=" + session));
        return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
