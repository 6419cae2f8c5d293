package org.cagate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.Org;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code GET /api/audit/events.csv}: what Excel needs (BOM, CRLF, quoting), formula-safe cells, limits. */
@CagateServerTest
class AuditCsvTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JdbcTemplate jdbcTemplate;

    private ApiClient operator() {
        TestAccount admin = fixtures.platformAdmin();
        return ApiClient.on(port).login(admin.loginName(), admin.password());
    }

    @Test
    void csvWhenExportedThenUtf8WithBomChineseHeaderAndQuotedRowsNewestFirst() {
        Org org = fixtures.organization();
        TestAccount user = fixtures.user(org);
        AuditTestEvents events = new AuditTestEvents(jdbc);
        events.at("2003-03-01T02:00:00Z")
                .organization(org.id())
                .actor(user.id(), user.displayName())
                .subject(user.id())
                .insert();
        events.at("2003-03-02T02:00:00Z")
                .organization(org.id())
                .actor(user.id(), user.displayName())
                .subject(user.id())
                .failure("BAD_CREDENTIALS")
                .detail("loginName=" + user.loginName())
                .insert();

        ApiClient.Response response = operator().get("/api/audit/events.csv?organizationId=" + org.id());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/csv;charset=UTF-8");
        assertThat(response.header("Content-Disposition"))
                .startsWith("attachment; filename=")
                .contains("UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97-");
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
        String[] lines = response.body().substring(1).split("\r\n", -1);
        assertThat(lines).hasSize(4); // header, two events, and the empty string after the last CRLF
        assertThat(lines[0])
                .isEqualTo("\"时间\",\"操作\",\"结果\",\"原因\",\"操作人账户\",\"操作人姓名\",\"对象账户\",\"对象姓名\","
                        + "\"单位\",\"CA服务商\",\"CA锁ID\",\"IP地址\",\"详情\"");
        assertThat(lines[1])
                .isEqualTo("\"2003-03-02 10:00:00\",\"密码登录\",\"失败\",\"账号或密码错误\",\"" + user.loginName() + "\",\""
                        + user.displayName() + "\",\"" + user.loginName() + "\",\"" + user.displayName() + "\",\""
                        + org.name() + "\",\"\",\"\",\"10.0.0.1\",\"登录账户：" + user.loginName() + "\"");
        assertThat(lines[2]).startsWith("\"2003-03-01 10:00:00\",\"密码登录\",\"成功\",\"\",");
        assertThat(lines[3]).isEmpty();
    }

    @Test
    void csvWhenCellsStartLikeFormulasOrHoldQuotesThenEscaped() {
        Org org = fixtures.organization();
        new AuditTestEvents(jdbc)
                .at("2003-04-01T00:00:00Z")
                .organization(org.id())
                .actor(null, "=HYPERLINK(\"http://evil.example\",\"点我\")")
                .key("+ZJHX", "-1+2")
                .ip("@10.0.0.9")
                .detail("\tcmd|' /C calc'!A0")
                .insert();

        String csv = operator()
                .get("/api/audit/events.csv?organizationId=" + org.id())
                .body();

        assertThat(csv)
                .contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"")
                .contains("\"'+ZJHX\"", "\"'-1+2\"", "\"'@10.0.0.9\"", "\"'\tcmd|' /C calc'!A0\"")
                .doesNotContain(",\"=", ",\"+", ",\"-", ",\"@");
    }

    @Test
    void csvWhenExportedThenTheExportIsAuditedWithItsScopeAndRowCount() {
        Org org = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(org);
        new AuditTestEvents(jdbc)
                .at("2003-05-01T00:00:00Z")
                .organization(org.id())
                .insert();
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        client.get("/api/audit/events.csv?from=2003-05-01&to=2003-05-01");

        List<String> details = jdbc.sql("""
                        SELECT detail FROM audit_event
                         WHERE action = 'AUDIT_EXPORTED' AND actor_account_id = :actor AND organization_id = :org""")
                .param("actor", admin.id())
                .param("org", org.id())
                .query(String.class)
                .list();
        assertThat(details).containsExactly("rows=1");
        assertThat(client.get("/api/audit/events?action=AUDIT_EXPORTED").body()).contains("导出审计日志");
    }

    @Test
    void csvWhenMoreEventsThanTheExportLimitThenValidationAndThePageSaysSo() {
        Org org = fixtures.organization();
        List<Object[]> rows = new ArrayList<>();
        OffsetDateTime start = OffsetDateTime.parse("2004-01-01T00:00:00Z");
        for (int i = 0; i <= 10_000; i++) {
            rows.add(new Object[] {start.plusSeconds(i), org.id()});
        }
        jdbcTemplate.batchUpdate("""
                        INSERT INTO audit_event (occurred_at, action, outcome, organization_id)
                        VALUES (?, 'PASSWORD_LOGIN', 'SUCCESS', ?)""", rows);
        ApiClient operator = operator();

        ApiClient.Response csv = operator.get("/api/audit/events.csv?organizationId=" + org.id());
        String page = operator.get("/system/audit?organizationId=" + org.id()).body();

        assertThat(csv.status()).isEqualTo(400);
        assertThat(csv.code()).isEqualTo("VALIDATION");
        assertThat(csv.detail()).isEqualTo("符合条件的记录超过 10000 条，请缩小筛选范围后再导出。");
        assertThat(page).contains("共有<b>10001</b>条", "超过 10000 条").doesNotContain("data-audit-export");
    }
}
