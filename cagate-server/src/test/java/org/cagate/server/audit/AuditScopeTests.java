package org.cagate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.Org;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who reads which events: operators every organisation's, an ORG_ADMIN only their own organisation's
 * (by every parameter of the API, the CSV and the page), a USER none. The events here are the
 * application's own, made by real password logins.
 */
@CagateServerTest
class AuditScopeTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    private Org ours;
    private Org theirs;
    private TestAccount ourAdmin;
    private TestAccount ourUser;
    private TestAccount theirUser;
    private String theirIp;

    @BeforeEach
    void twoOrganizationsWithLogins() {
        ours = fixtures.organization();
        theirs = fixtures.organization();
        ourAdmin = fixtures.orgAdmin(ours);
        ourUser = fixtures.user(ours);
        theirUser = fixtures.user(theirs);
        ApiClient.on(port).login(ourUser.loginName(), ourUser.password());
        ApiClient their = ApiClient.on(port);
        theirIp = their.ip();
        their.login(theirUser.loginName(), theirUser.password());
        their.post("/api/auth/password", java.util.Map.of("loginName", theirUser.loginName(), "password", "Wrong-1-x"));
    }

    private static List<Long> organizations(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        response.json()
                .path("items")
                .forEach(item -> ids.add(item.path("organization").path("id").asLong()));
        return ids;
    }

    @Test
    void listWhenOperatorThenEveryOrganizationAndOneWhenAsked() {
        TestAccount admin = fixtures.platformAdmin();
        ApiClient operator = ApiClient.on(port).login(admin.loginName(), admin.password());

        List<Long> all = organizations(operator.get("/api/audit/events?action=PASSWORD_LOGIN&size=100"));
        List<Long> theirsOnly = organizations(operator.get("/api/audit/events?organizationId=" + theirs.id()));

        assertThat(all).contains(ours.id(), theirs.id());
        assertThat(theirsOnly).hasSize(2).containsOnly(theirs.id());
    }

    @Test
    void listWhenOrgAdminThenOwnOrganizationOnly() {
        ApiClient admin = ApiClient.on(port).login(ourAdmin.loginName(), ourAdmin.password());

        ApiClient.Response response = admin.get("/api/audit/events?size=100");

        assertThat(organizations(response)).isNotEmpty().containsOnly(ours.id());
        assertThat(response.body()).contains(ourUser.loginName()).doesNotContain(theirUser.loginName());
    }

    @Test
    void listWhenOrgAdminAsksForAnotherOrganizationByAnyParameterThenNothingOfTheirs() {
        ApiClient admin = ApiClient.on(port).login(ourAdmin.loginName(), ourAdmin.password());
        String[] queries = {
            "actor=" + theirUser.loginName(),
            "account=" + theirUser.loginName(),
            "actor=" + theirUser.displayName(),
            "ip=" + theirIp,
            "action=PASSWORD_LOGIN&outcome=FAILURE",
            "organizationId=" + ours.id() + "&account=" + theirUser.loginName(),
            "from=2000-01-01&to=2100-01-01&size=100&page=1",
            "page=2&size=1"
        };
        for (String query : queries) {
            ApiClient.Response response = admin.get("/api/audit/events?" + query);
            assertThat(organizations(response)).as(query).doesNotContain(theirs.id());
            assertThat(response.body()).as(query).doesNotContain(theirUser.loginName());
            ApiClient.Response csv = admin.get("/api/audit/events.csv?" + query);
            assertThat(csv.status()).as(query).isEqualTo(200);
            assertThat(csv.body()).as(query).doesNotContain(theirUser.loginName(), theirs.name());
        }
    }

    @Test
    void listWhenOrgAdminNamesAnotherOrganizationThenForbiddenEverywhere() {
        ApiClient admin = ApiClient.on(port).login(ourAdmin.loginName(), ourAdmin.password());
        String query = "?organizationId=" + theirs.id();

        ApiClient.Response api = admin.get("/api/audit/events" + query);
        ApiClient.Response csv = admin.get("/api/audit/events.csv" + query);
        ApiClient.Response page = admin.get("/system/audit" + query);

        assertThat(api.status()).isEqualTo(403);
        assertThat(api.code()).isEqualTo("FORBIDDEN");
        assertThat(csv.status()).isEqualTo(403);
        assertThat(csv.code()).isEqualTo("FORBIDDEN");
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).doesNotContain(theirUser.loginName());
    }

    @Test
    void listWhenUserOrAnonymousThenRefused() {
        ApiClient user = ApiClient.on(port).login(ourUser.loginName(), ourUser.password());
        ApiClient anonymous = ApiClient.on(port);

        assertThat(user.get("/api/audit/events").status()).isEqualTo(403);
        assertThat(user.get("/api/audit/events.csv").status()).isEqualTo(403);
        assertThat(user.get("/system/audit").status()).isEqualTo(403);
        assertThat(anonymous.get("/api/audit/events").code()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.get("/api/audit/events.csv").code()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.get("/system/audit").header("Location")).endsWith("/login");
    }

    @Test
    void pageWhenOrgAdminThenOwnEventsInChineseWithMenuEntryAndNoInlineScript() {
        ApiClient admin = ApiClient.on(port).login(ourAdmin.loginName(), ourAdmin.password());

        ApiClient.Response response = admin.get("/system/audit?action=PASSWORD_LOGIN");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        String html = response.body();
        assertThat(html)
                .contains(">审计日志</a>", "操作人", "对象账户", "开始日期", "结束日期", "密码登录", "成功", ourUser.loginName())
                .contains("导出 CSV", "/api/audit/events.csv?action=PASSWORD_LOGIN")
                .doesNotContain(theirUser.loginName(), "name=\"organizationId\"");
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
        assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
    }

    @Test
    void pageWhenOperatorThenOrganizationFilterAndTheirEvents() {
        TestAccount operator = fixtures.platformAdmin();
        ApiClient client = ApiClient.on(port).login(operator.loginName(), operator.password());

        ApiClient.Response response = client.get("/system/audit?organizationId=" + theirs.id());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body())
                .contains("name=\"organizationId\"", theirUser.loginName(), "账号或密码错误", ">平台运营</span>")
                .doesNotContain(ourUser.loginName());
    }
}
