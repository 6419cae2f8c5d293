package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.Org;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * 审计日志 as PageRenderingTests checks every page: Chinese only, with the details the features write
 * (password logins, account changes with roles, CA logins and renewals, the bootstrap operator) shown in
 * Chinese, and no inline script, handler or style.
 */
@CagateServerTest
class AuditPageRenderingTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Test
    void pageWhenEventsOfEveryKindThenChineseOnlyAndNoInlineScript() {
        Org org = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(org);
        TestAccount user = fixtures.user(org);
        ApiClient orgAdmin = ApiClient.on(port).login(admin.loginName(), admin.password());
        orgAdmin.post(
                "/api/admin/accounts",
                Map.of(
                        "loginName",
                        "PG" + Fixtures.unique(),
                        "displayName",
                        "西子新员工",
                        "password",
                        "Xizi-Trade-2026!",
                        "roles",
                        java.util.List.of("ORG_ADMIN")));
        ApiClient.on(port).post("/api/auth/password", Map.of("loginName", user.loginName(), "password", "Wrong-1-x"));
        insert(
                org,
                user,
                "CA_LOGIN",
                "format=CMS algorithm=SM3withSM2 revocation=NOT_CHECKED tokenSerial=330400007180230SE");
        insert(org, user, "CERT_RENEWED", "binding=7 certificate=0a1b2c -> 3d4e5f notAfter=2027-11-28T10:00:00Z");
        insert(org, user, "BIND", "format=RAW algorithm=SHA256withECDSA certificate=9f8e7d revocation=GOOD");
        TestAccount operator = fixtures.platformAdmin();
        ApiClient platform = ApiClient.on(port).login(operator.loginName(), operator.password());

        String ownView = orgAdmin.get("/system/audit?size=50").body();
        String operatorView =
                platform.get("/system/audit?size=50&organizationId=" + org.id()).body();
        String bootstrap = platform.get("/system/audit?account=" + Fixtures.BOOTSTRAP_LOGIN)
                .body();

        assertThat(ownView).contains("角色：普通用户、单位管理员", "登录账户：" + user.loginName(), "格式：CMS", "吊销检查：GOOD");
        assertThat(bootstrap).contains("启动时创建的平台管理员");
        for (String html : new String[] {ownView, operatorView, bootstrap}) {
            assertThat(PageRenderingTests.englishWords(html)).isEmpty();
            assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
            assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
            assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
        }
    }

    private void insert(Org org, TestAccount user, String action, String detail) {
        jdbc.sql("""
                        INSERT INTO audit_event (occurred_at, action, outcome, actor_account_id, actor_name,
                            subject_account_id, organization_id, provider_code, key_id, client_ip, detail)
                        VALUES (:at, :action, 'SUCCESS', :user, :name, :user, :org, 'ZJHX', 'a1b2c3', '10.0.0.2', :detail)""")
                .param("at", java.time.Instant.now().atOffset(ZoneOffset.UTC))
                .param("action", action)
                .param("user", user.id())
                .param("name", user.displayName())
                .param("org", org.id())
                .param("detail", detail)
                .update();
    }
}
