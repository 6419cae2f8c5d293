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
import tools.jackson.databind.JsonNode;

/** {@code GET /api/audit/events}: each filter, dates in the pages' zone, paging, and bad filters. */
@CagateServerTest
class AuditApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    private AuditTestEvents events;
    private Org org;
    private TestAccount alice;
    private TestAccount bob;
    private ApiClient operator;

    @BeforeEach
    void events() {
        events = new AuditTestEvents(jdbc);
        org = fixtures.organization();
        alice = fixtures.orgAdmin(org);
        bob = fixtures.user(org);
        TestAccount admin = fixtures.platformAdmin();
        operator = ApiClient.on(port).login(admin.loginName(), admin.password());
        // 2001-05-01 .. 05-03, Asia/Shanghai is UTC+8: 16:30 UTC on 05-01 is already 05-02 in Shanghai.
        events.at("2001-05-01T01:00:00Z")
                .organization(org.id())
                .actor(alice.id(), alice.displayName())
                .subject(bob.id())
                .action("ACCOUNT_CREATED")
                .detail("roles=USER")
                .insert();
        events.at("2001-05-01T16:30:00Z")
                .organization(org.id())
                .actor(bob.id(), bob.displayName())
                .subject(bob.id())
                .ip("10.1.2.3")
                .insert();
        events.at("2001-05-02T02:00:00Z")
                .organization(org.id())
                .actor(bob.id(), bob.displayName())
                .subject(bob.id())
                .failure("BAD_CREDENTIALS")
                .ip("10.1.2.3")
                .detail("loginName=" + bob.loginName())
                .insert();
        events.at("2001-05-03T03:00:00Z")
                .organization(org.id())
                .actor(alice.id(), alice.displayName())
                .subject(alice.id())
                .action("CA_LOGIN")
                .key("ZJHX", "330400007180230SE")
                .insert();
    }

    private List<String> times(String query) {
        ApiClient.Response response = operator.get("/api/audit/events?organizationId=" + org.id() + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> times = new ArrayList<>();
        response.json()
                .path("items")
                .forEach(item -> times.add(item.path("occurredAt").asString()));
        return times;
    }

    @Test
    void listWhenNoFilterThenNewestFirstWithNamesAndChineseTexts() {
        ApiClient.Response response = operator.get("/api/audit/events?organizationId=" + org.id());

        JsonNode items = response.json().path("items");
        assertThat(response.json().path("total").asLong()).isEqualTo(4);
        assertThat(items.get(0).path("occurredAt").asString()).isEqualTo("2001-05-03T03:00:00Z");
        assertThat(items.get(0).path("actionName").asString()).isEqualTo("CA 登录");
        assertThat(items.get(0).path("keyId").asString()).isEqualTo("330400007180230SE");
        JsonNode failure = items.get(1);
        assertThat(failure.path("outcome").asString()).isEqualTo("FAILURE");
        assertThat(failure.path("reasonCode").asString()).isEqualTo("BAD_CREDENTIALS");
        assertThat(failure.path("reason").asString()).isEqualTo("账号或密码错误");
        assertThat(failure.path("actor").path("loginName").asString()).isEqualTo(bob.loginName());
        assertThat(failure.path("account").path("displayName").asString()).isEqualTo(bob.displayName());
        assertThat(failure.path("organization").path("name").asString()).isEqualTo(org.name());
    }

    @Test
    void listWhenFilteredByActorLoginOrNameThenOnlyTheirEvents() {
        assertThat(times("&actor=" + alice.loginName()))
                .containsExactly("2001-05-03T03:00:00Z", "2001-05-01T01:00:00Z");
        assertThat(times("&actor=" + alice.displayName())).hasSize(2);
        assertThat(times("&actor=NOBODY" + Fixtures.unique())).isEmpty();
    }

    @Test
    void listWhenFilteredByAccountThenOnlyEventsAboutIt() {
        assertThat(times("&account=" + bob.loginName()))
                .containsExactly("2001-05-02T02:00:00Z", "2001-05-01T16:30:00Z", "2001-05-01T01:00:00Z");
    }

    @Test
    void listWhenFilteredByActionOutcomeOrIpThenOnlyMatching() {
        assertThat(times("&action=CA_LOGIN")).containsExactly("2001-05-03T03:00:00Z");
        assertThat(times("&outcome=FAILURE")).containsExactly("2001-05-02T02:00:00Z");
        assertThat(times("&action=PASSWORD_LOGIN&outcome=SUCCESS")).containsExactly("2001-05-01T16:30:00Z");
        assertThat(times("&ip=10.1.2.3")).containsExactly("2001-05-02T02:00:00Z", "2001-05-01T16:30:00Z");
    }

    @Test
    void listWhenFilteredByDatesThenWholeDaysInThePagesTimeZone() {
        // 2001-05-02 in Asia/Shanghai is 2001-05-01T16:00Z .. 2001-05-02T16:00Z.
        assertThat(times("&from=2001-05-02&to=2001-05-02"))
                .containsExactly("2001-05-02T02:00:00Z", "2001-05-01T16:30:00Z");
        assertThat(times("&from=2001-05-03")).containsExactly("2001-05-03T03:00:00Z");
        assertThat(times("&to=2001-05-01")).containsExactly("2001-05-01T01:00:00Z");
        assertThat(times("&from=2001-05-01T16:30:00Z&to=2001-05-02T02:00:00Z")).containsExactly("2001-05-01T16:30:00Z");
    }

    @Test
    void listWhenPagedThenPagesOfTheRequestedSizeNewestFirst() {
        Org many = fixtures.organization();
        for (int i = 0; i < 25; i++) {
            events.at(String.format("2002-01-01T00:%02d:00Z", i))
                    .organization(many.id())
                    .insert();
        }

        ApiClient.Response first = operator.get("/api/audit/events?organizationId=" + many.id() + "&size=10");
        ApiClient.Response third = operator.get("/api/audit/events?organizationId=" + many.id() + "&size=10&page=3");

        assertThat(first.json().path("total").asLong()).isEqualTo(25);
        assertThat(first.json().path("items")).hasSize(10);
        assertThat(first.json().path("items").get(0).path("occurredAt").asString())
                .isEqualTo("2002-01-01T00:24:00Z");
        assertThat(third.json().path("page").asInt()).isEqualTo(3);
        assertThat(third.json().path("items")).hasSize(5);
        assertThat(third.json().path("items").get(4).path("occurredAt").asString())
                .isEqualTo("2002-01-01T00:00:00Z");
    }

    @Test
    void listWhenFiltersMalformedThenValidationNamingTheProblem() {
        assertValidation("&outcome=MAYBE", "结果只能是 SUCCESS（成功）或 FAILURE（失败）。");
        assertValidation("&from=2001-13-01", "日期格式应为 yyyy-MM-dd（如 2026-11-28）或 ISO 时间（如 2026-11-28T10:00:00Z）。");
        assertValidation("&from=2001-05-03&to=2001-05-01", "结束日期不能早于开始日期。");
        assertValidation("&action=password_login", "操作类型不正确。");
        assertValidation("&actor=" + "x".repeat(101), "筛选条件不能超过 100 个字符。");
        assertThat(operator.get("/api/audit/events?organizationId=abc").code()).isEqualTo("VALIDATION");
        assertThat(operator.get("/api/audit/events?size=101").code()).isEqualTo("VALIDATION");
    }

    private void assertValidation(String query, String detail) {
        ApiClient.Response response = operator.get("/api/audit/events?organizationId=" + org.id() + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION");
        assertThat(response.detail()).isEqualTo(detail);
    }
}
