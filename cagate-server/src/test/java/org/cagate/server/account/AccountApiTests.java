package org.cagate.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Regions, organisations and accounts through the admin API, with the wire contract's field names. */
@CagateServerTest
class AccountApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    private ApiClient operator() {
        TestAccount operator = fixtures.platformAdmin();
        return ApiClient.on(port).login(operator.loginName(), operator.password());
    }

    @Test
    void regionOrganisationAccountWhenCreatedThenUsableForLogin() {
        ApiClient client = operator();
        String code = "33" + Fixtures.unique();

        ApiClient.Response region =
                client.put("/api/admin/regions/" + code, Map.of("name", "培训省本级", "caEnabled", true));
        ApiClient.Response changed =
                client.put("/api/admin/regions/" + code, Map.of("name", "培训省本级", "caEnabled", false));
        ApiClient.Response org = client.post(
                "/api/admin/organizations", Map.of("name", "培训省西子贸易集团" + Fixtures.unique(), "regionCode", code));
        long orgId = org.json().path("id").asLong();
        ApiClient.Response account = client.post(
                "/api/admin/accounts",
                Map.of(
                        "loginName",
                        "PGHS" + Fixtures.unique(),
                        "displayName",
                        "西子",
                        "password",
                        "Xizi-Trade-2021!",
                        "organizationId",
                        orgId,
                        "roles",
                        List.of("USER")));

        assertThat(region.status()).isEqualTo(201);
        assertThat(region.json().path("caEnabled").asBoolean()).isTrue();
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("caEnabled").asBoolean()).isFalse();
        assertThat(org.status()).isEqualTo(201);
        assertThat(org.json().path("region").path("code").asString()).isEqualTo(code);
        assertThat(account.status()).isEqualTo(201);
        assertThat(account.json().path("id").asLong()).isPositive();
        assertThat(account.json().has("password")).isFalse();
        String login = account.json().path("loginName").asString();
        ApiClient user = ApiClient.on(port).login(login, "Xizi-Trade-2021!");
        ApiClient.Response me = user.get("/api/me");
        assertThat(me.json().path("organization").path("id").asLong()).isEqualTo(orgId);
        assertThat(me.json().path("region").path("name").asString()).isEqualTo("培训省本级");
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"USER\"]");
        long audited = jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE action IN ('REGION_CHANGED',"
                        + " 'ORGANIZATION_CREATED', 'ACCOUNT_CREATED') AND detail IS DISTINCT FROM 'bootstrap platform admin'"
                        + " AND occurred_at IS NOT NULL AND (organization_id = :org OR detail LIKE :region"
                        + " OR subject_account_id = :account)")
                .param("org", orgId)
                .param("region", "region=" + code + "%")
                .param("account", account.json().path("id").asLong())
                .query(Long.class)
                .single();
        assertThat(audited).isEqualTo(4);
    }

    @Test
    void createWhenLoginNameTakenThenConflict() {
        Fixtures.Org org = fixtures.organization();
        TestAccount existing = fixtures.user(org);

        ApiClient.Response response = operator()
                .post(
                        "/api/admin/accounts",
                        Map.of(
                                "loginName",
                                existing.loginName(),
                                "displayName",
                                "西子",
                                "password",
                                "Xizi-Trade-2021!",
                                "organizationId",
                                org.id()));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("CONFLICT");
        assertThat(response.detail()).isEqualTo("该登录账号已存在。");
    }

    @Test
    void createWhenPasswordWeakThenValidationInChineseAndEnglish() {
        Fixtures.Org org = fixtures.organization();
        ApiClient client = operator();
        Map<String, Object> body = Map.of(
                "loginName",
                "PGHS" + Fixtures.unique(),
                "displayName",
                "西子",
                "password",
                "abcdefgh",
                "organizationId",
                org.id());

        ApiClient.Response chinese = client.post("/api/admin/accounts", body);
        ApiClient.Response english = client.header("Accept-Language", "en").post("/api/admin/accounts", body);

        assertThat(chinese.status()).isEqualTo(400);
        assertThat(chinese.code()).isEqualTo("VALIDATION");
        assertThat(chinese.detail()).isEqualTo("密码须包含小写字母、大写字母、数字和符号中的至少三类。");
        assertThat(english.detail())
                .isEqualTo("The password must contain three of: lower case, upper case, digits, symbols.");
    }

    @Test
    void createWhenUserRoleWithoutOrganisationThenValidation() {
        ApiClient.Response response = operator()
                .post(
                        "/api/admin/accounts",
                        Map.of(
                                "loginName",
                                "PGHS" + Fixtures.unique(),
                                "displayName",
                                "西子",
                                "password",
                                "Xizi-Trade-2021!",
                                "roles",
                                List.of("USER")));

        assertThat(response.code()).isEqualTo("VALIDATION");
        assertThat(response.detail()).isEqualTo("请选择单位。");
    }

    @Test
    void organisationWhenRegionUnknownThenValidation() {
        ApiClient.Response response = operator()
                .post("/api/admin/organizations", Map.of("name", "某单位", "regionCode", "NOPE" + Fixtures.unique()));

        assertThat(response.code()).isEqualTo("VALIDATION");
        assertThat(response.detail()).isEqualTo("所选区划不存在。");
    }

    @Test
    void listWhenPagedThenTotalPageSizeItems() {
        Fixtures.Org org = fixtures.organization();
        for (int i = 0; i < 12; i++) {
            fixtures.user(org);
        }

        ApiClient.Response second =
                operator().get("/api/admin/accounts?organizationId=" + org.id() + "&page=2&size=10");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("total").asLong()).isEqualTo(12);
        assertThat(second.json().path("page").asInt()).isEqualTo(2);
        assertThat(second.json().path("size").asInt()).isEqualTo(10);
        assertThat(second.json().path("items").size()).isEqualTo(2);
    }

    @Test
    void listWhenSizeOutOfRangeThenValidation() {
        ApiClient.Response response = operator().get("/api/admin/accounts?size=1000");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.detail()).isEqualTo("每页条数必须在 1 到 100 之间。");
    }

    @Test
    void changeOwnPasswordWhenCurrentRightThenNewWorksAndOtherSessionsEnd() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient elsewhere = ApiClient.on(port).login(account.loginName(), account.password());
        ApiClient client = ApiClient.on(port).login(account.loginName(), account.password());

        ApiClient.Response wrong = client.put(
                "/api/me/password", Map.of("currentPassword", "Not-It-2026!", "newPassword", "New-Pass-2026!"));
        ApiClient.Response changed = client.put(
                "/api/me/password", Map.of("currentPassword", account.password(), "newPassword", "New-Pass-2026!"));

        assertThat(wrong.detail()).isEqualTo("当前密码不正确。");
        assertThat(changed.status()).isEqualTo(204);
        assertThat(client.get("/api/me").status()).isEqualTo(200);
        assertThat(elsewhere.get("/api/me").status()).isEqualTo(401);
        ApiClient.on(port).login(account.loginName(), "New-Pass-2026!");
    }

    @Test
    void updateProfileWhenNameChangedThenMeShowsIt() {
        TestAccount account = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port).login(account.loginName(), account.password());

        ApiClient.Response response = client.put("/api/me", Map.of("displayName", "东子"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(client.get("/api/me").json().path("displayName").asString()).isEqualTo("东子");
        assertThat(client.get("/system/profile").body()).contains("东子");
    }

    @Test
    void departmentWhenInUseThenDeleteConflicts() {
        Fixtures.Org org = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(org);
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());
        long department = client.post("/api/departments", Map.of("name", "采购部"))
                .json()
                .path("id")
                .asLong();
        TestAccount member = fixtures.user(org);
        client.put(
                "/api/admin/accounts/" + member.id(),
                Map.of("displayName", member.displayName(), "departmentId", department));

        ApiClient.Response delete = client.delete("/api/departments/" + department);

        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.detail()).isEqualTo("该部门下仍有员工，不能删除。");
        assertThat(client.get("/api/admin/accounts/" + member.id())
                        .json()
                        .path("department")
                        .path("name")
                        .asString())
                .isEqualTo("采购部");
    }
}
