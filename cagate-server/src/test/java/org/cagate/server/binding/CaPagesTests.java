package org.cagate.server.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.PageRenderingTests;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The CA pages for every role: CA管理 (CA绑定与解绑), CA证书申领 and 平台运营 › CA服务商. Expected
 * status, never a 500, Chinese text only (the core's rule, {@link PageRenderingTests#englishWords}),
 * no inline script, handler or style, and the seed's fields, buttons and messages.
 */
@CagateServerTest
class CaPagesTests {

    enum Caller {
        ANONYMOUS,
        USER,
        ORG_ADMIN,
        PLATFORM_ADMIN
    }

    private static final List<String> PAGES = List.of(
            "/system/ca/bindings",
            "/system/ca/apply",
            "/system/platform/ca-providers",
            "/system/platform/ca-providers/new",
            "/system/platform/ca-providers/{code}");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    static Stream<Arguments> pages() {
        List<Arguments> all = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            PAGES.forEach(page -> all.add(Arguments.of(caller, page)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} as {0}")
    @MethodSource("pages")
    void pageWhenRenderedForRoleThenExpectedStatusChineseTextAndNoInlineScript(Caller caller, String page) {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        TestAccount account = switch (caller) {
            case ANONYMOUS -> null;
            case USER -> fixtures.user(org);
            case ORG_ADMIN -> fixtures.orgAdmin(org);
            case PLATFORM_ADMIN -> fixtures.platformAdmin();
        };
        ApiClient client = ApiClient.on(port);
        if (account != null) {
            client.login(account.loginName(), account.password());
            if (account.organizationId() != null) {
                CaTestKit.bind(client, provider, ca.user("西子").issue(), account.id());
            }
        }

        ApiClient.Response response = client.get(page.replace("{code}", provider));

        int status = caller == Caller.ANONYMOUS
                ? 302
                : page.startsWith("/system/platform/") && caller != Caller.PLATFORM_ADMIN ? 403 : 200;
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        if (status == 302) {
            assertThat(response.header("Location")).endsWith("/login");
            return;
        }
        String html = response.body();
        // Certificate subjects are the CA company's data, not the page's text.
        String text = html.replaceAll("CN=[^<\"]*", " ");
        assertThat(PageRenderingTests.englishWords(text))
                .as("English words on " + page)
                .isEmpty();
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
        assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
        assertThat(html).doesNotContain("javascript:");
        if (status == 200) {
            assertThat(html).contains("政府采购云平台", account.displayName(), ">CA管理</span>", ">CA证书申领</a>", ">CA绑定与解绑</a>");
        }
    }

    @Test
    void bindingsPageWhenOrgAdminThenSeedFieldsButtonsDialogsAndRows() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        TestCa ca = kit.ca();
        String provider = kit.provider(ca, org.regionCode());
        TestAccount admin = fixtures.orgAdmin(org);
        TestAccount staff = fixtures.user(org);
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());
        long expiring = CaTestKit.bind(
                        client,
                        provider,
                        ca.user("西子").validFor(Duration.ofDays(10)).issue(),
                        staff.id())
                .json()
                .path("id")
                .asLong();
        long expired = CaTestKit.bind(client, provider, ca.user("西子").issue(), staff.id())
                .json()
                .path("id")
                .asLong();
        jdbc.sql("UPDATE ca_binding SET cert_not_after = :t WHERE id = :id")
                .param("t", clock.instant().minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
                .param("id", expired)
                .update();

        String html = client.get("/system/ca/bindings").body();

        assertThat(html)
                .contains(
                        "<h2>CA管理</h2>",
                        ">绑定CA<",
                        ">绑定操作说明<",
                        "账户:",
                        "姓名:",
                        ">重置<",
                        ">搜索<",
                        "<th>绑定账户</th><th>CA证书信息</th><th>绑定人</th><th>绑定时间</th><th>操作</th>",
                        "CA服务商:",
                        "CA锁ID:",
                        "到期时间:",
                        ">解除绑定<",
                        "共有<b>2</b>条",
                        "10条/页",
                        ">Go<",
                        "<h3>CA绑定</h3>",
                        "* 姓名",
                        "* CA服务商",
                        "* PIN码",
                        ">取消<",
                        ">确定<",
                        ">下载驱动<",
                        "CA 检测失败，未检测到驱动",
                        "data-ca-check data-testid=\"bind-ca-check\">CA 检测<",
                        "data-ca-check data-testid=\"bind-error-ca-check\">CA 检测<",
                        "data-ca-check data-testid=\"bind-help-ca-check\">CA 检测</a>中查看原因和处理办法。",
                        "确认要解除 CA 绑定吗",
                        ">确认<",
                        staff.displayName(),
                        staff.loginName(),
                        admin.displayName(),
                        CaTestKit.TOKEN_SERIAL,
                        "data-binding-id=\"" + expiring + "\"",
                        "（即将到期）",
                        "（已过期）",
                        "data-agent-url=\"http://127.0.0.1:21777\"",
                        "/js/ca-bindings.js");
        assertThat(html).contains("value=\"" + staff.id() + "\"", "value=\"" + provider + "\"");
        assertThat(html).doesNotContain("仅支持windows", "IE10");
    }

    @Test
    void bindingsPageWhenRegionClosedThenBindDisabledWithReason() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        kit.provider(kit.ca(), org.regionCode());
        jdbc.sql("UPDATE region SET ca_enabled = FALSE WHERE code = :c")
                .param("c", org.regionCode())
                .update();
        TestAccount user = fixtures.user(org);

        String bindings = ApiClient.on(port)
                .login(user.loginName(), user.password())
                .get("/system/ca/bindings")
                .body();
        String apply = ApiClient.on(port)
                .login(user.loginName(), user.password())
                .get("/system/ca/apply")
                .body();

        assertThat(bindings).contains("尚未开通 CA 业务", "data-bind-open data-testid=\"bind-open\" disabled");
        assertThat(apply).contains("尚未开通 CA 业务");
    }

    @Test
    void applyPageWhenProvidersOfferedThenNameAlgorithmsAndHowToApply() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        TestCa ca = kit.ca();
        String code = CaTestKit.newCode();
        var body = CaTestKit.providerBody(ca, org.regionCode());
        body.put("servicePhone", "400-888-0000");
        body.put("applyUrl", "https://ca.example.cn/apply");
        body.put("applyNote", "携带营业执照到营业厅办理");
        kit.putProvider(code, body);
        String elsewhere = kit.provider(ca, fixtures.region(true));
        TestAccount user = fixtures.user(org);

        String html = ApiClient.on(port)
                .login(user.loginName(), user.password())
                .get("/system/ca/apply")
                .body();

        assertThat(html)
                .contains(
                        (String) body.get("name"),
                        "ECDSA",
                        "400-888-0000",
                        "携带营业执照到营业厅办理",
                        "href=\"https://ca.example.cn/apply\"",
                        "href=\"/drivers?provider=" + code + "\"",
                        "已开通 CA 业务");
        assertThat(html).doesNotContain("data-provider=\"" + elsewhere + "\"");
    }

    @Test
    void providerEditPageWhenOperatorThenAnchorsWithSubjectValidityAndFingerprint() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        TestCa ca = kit.ca();
        String code = kit.provider(ca, fixtures.region(true));

        String html =
                kit.operator().get("/system/platform/ca-providers/" + code).body();
        String list = kit.operator().get("/system/platform/ca-providers").body();

        assertThat(html)
                .contains(
                        "根证书",
                        "中级证书",
                        ca.root().getSubjectX500Principal().getName(),
                        org.cagate.pki.Certificates.sha256Hex(ca.root()).toUpperCase(),
                        "/js/ca-providers.js",
                        "保存");
        assertThat(list).contains("data-provider=\"" + code + "\"", "已启用", "2 个");
    }
}
