package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every page for every role: the expected status (page, redirect to 登录, or the Chinese 403 page),
 * never a 500; Chinese text only (ASCII words outside a short allow-list fail); no inline script,
 * event handler or style, so a strict Content-Security-Policy can be switched on.
 */
@CagateServerTest
public class PageRenderingTests {

    enum Caller {
        ANONYMOUS,
        USER,
        ORG_ADMIN,
        PLATFORM_ADMIN
    }

    private static final List<String> PAGES = List.of(
            "/",
            "/login",
            "/apps",
            "/system",
            "/system/profile",
            "/system/departments",
            "/system/staff",
            "/system/platform/regions",
            "/system/platform/organizations",
            "/system/platform/accounts",
            "/system/no-such-page");

    // Words that belong on a Chinese page: abbreviations the seed itself uses, and the pager's Go.
    // Names of operating systems and of Java (the download centre's 适用系统) have no Chinese form.
    private static final Set<String> ALLOWED =
            Set.of("PIN", "CA", "ID", "Go", Fixtures.BOOTSTRAP_LOGIN, "Windows", "Linux", "Debian", "Java");
    // Lower-case or Capitalised words without digits read as English; codes such as PGHS008 do not.
    private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_.@-]*");
    private static final Pattern ENGLISH = Pattern.compile("[a-z]+|[A-Z][a-z]+");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    static Stream<Arguments> pages() {
        List<Arguments> all = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            for (String page : PAGES) {
                all.add(Arguments.of(caller, page));
            }
        }
        return all.stream();
    }

    /** The status a caller gets for a page; 302 means a redirect. */
    private static int expected(Caller caller, String page) {
        if (page.equals("/system/no-such-page")) {
            return caller == Caller.ANONYMOUS ? 302 : 404;
        }
        if (page.equals("/")) {
            return 200; // 首页, for everyone (issue 16)
        }
        if (caller == Caller.ANONYMOUS) {
            return page.equals("/login") ? 200 : 302;
        }
        if (page.equals("/login") || page.equals("/system")) {
            return 302;
        }
        if (page.startsWith("/system/platform/")) {
            return caller == Caller.PLATFORM_ADMIN ? 200 : 403;
        }
        if (page.equals("/system/staff")) {
            return caller == Caller.ORG_ADMIN ? 200 : 403;
        }
        return 200;
    }

    @ParameterizedTest(name = "{1} as {0}")
    @MethodSource("pages")
    void pageWhenRenderedForRoleThenExpectedStatusChineseTextAndNoInlineScript(Caller caller, String page) {
        Fixtures.Org org = fixtures.organization();
        fixtures.department(org.id(), "采购部");
        TestAccount locked = fixtures.user(org);
        jdbc.sql("UPDATE account SET locked_until = :until WHERE id = :id")
                .param("until", java.time.OffsetDateTime.now().plusHours(1))
                .param("id", locked.id())
                .update();
        TestAccount account = switch (caller) {
            case ANONYMOUS -> null;
            case USER -> fixtures.user(org);
            case ORG_ADMIN -> fixtures.orgAdmin(org);
            case PLATFORM_ADMIN -> fixtures.platformAdmin();
        };
        ApiClient client = ApiClient.on(port);
        if (account != null) {
            client.login(account.loginName(), account.password());
        }

        ApiClient.Response response = client.get(page);

        int status = expected(caller, page);
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        if (status == 302) {
            assertThat(response.header("Location")).matches(".*/(login|apps|system/profile)$");
            return;
        }
        assertThat(response.header("Content-Type")).startsWith("text/html");
        String html = response.body();
        assertThat(englishWords(html)).as("English words on " + page).isEmpty();
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
        assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
        assertThat(html).doesNotContain("javascript:");
        if (status == 200 && account != null) {
            assertThat(html).contains("政府采购云平台", account.displayName(), "退出");
            assertThat(html).contains(account.organizationId() == null ? "平台运营" : org.name());
        }
    }

    @Test
    void loginPageWhenShownThenPasswordTabFirstWithFields() {
        String html = ApiClient.on(port).get("/login").body();

        assertThat(html).contains("账号登录", "账号", "密码", ">登录<", "/js/login-password.js");
        assertThat(html.indexOf("data-tab=\"password\"")).isPositive();
    }

    @Test
    void menuWhenRoleThenOnlyItsEntries() {
        Fixtures.Org org = fixtures.organization();
        Map<Caller, TestAccount> accounts = Map.of(
                Caller.USER, fixtures.user(org),
                Caller.ORG_ADMIN, fixtures.orgAdmin(org),
                Caller.PLATFORM_ADMIN, fixtures.platformAdmin());

        String user = page(accounts.get(Caller.USER), "/system/profile");
        String orgAdmin = page(accounts.get(Caller.ORG_ADMIN), "/system/profile");
        String operator = page(accounts.get(Caller.PLATFORM_ADMIN), "/system/profile");

        assertThat(user)
                .contains(">账户管理</a>", ">部门管理</a>", org.regionName(), "系统管理")
                .doesNotContain(">员工管理</a>", "/system/platform/");
        assertThat(orgAdmin).contains(">员工管理</a>", ">部门管理</a>").doesNotContain("/system/platform/");
        assertThat(operator)
                .contains(">平台运营</span>", ">区划管理</a>", ">单位管理</a>", "/system/platform/accounts")
                .doesNotContain(">员工管理</a>", ">部门管理</a>");
    }

    @Test
    void appsWhenSignedInThenSystemManagementTile() {
        TestAccount account = fixtures.user(fixtures.organization());

        String html = page(account, "/apps");

        assertThat(html).contains("应用中心", "系统管理", "href=\"/system\"");
    }

    @Test
    void staffPageWhenSearchedThenOnlyMatchingAccountsAndPager() {
        Fixtures.Org org = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(org);
        TestAccount match = fixtures.user(org);
        TestAccount other = fixtures.user(org);

        String html = page(admin, "/system/staff?loginName=" + match.loginName());

        assertThat(html).contains(match.loginName(), "共有<b>1</b>条", "10条/页").doesNotContain(other.loginName());
    }

    @Test
    void englishWordsWhenPageHasEnglishThenFoundButCodesAndAllowedWordsPass() {
        String html = "<p title=\"Search\">搜索 Search</p><td>PGHS008</td><span>CA锁ID PIN码 Go null</span>"
                + "<script>var hidden = 1;</script>";

        assertThat(englishWords(html)).containsExactly("Search", "null");
    }

    private String page(TestAccount account, String path) {
        ApiClient.Response response = ApiClient.on(port)
                .login(account.loginName(), account.password())
                .get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    public static List<String> englishWords(String html) {
        String text = html.replaceAll("(?s)<script.*?</script>", " ")
                .replaceAll("(?s)<style.*?</style>", " ")
                .replaceAll("(?s)<!--.*?-->", " ")
                .replaceAll("(?s)<[^>]*>", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .replace("&nbsp;", " ");
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String word = m.group();
            if (ENGLISH.matcher(word).matches() && !ALLOWED.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }
}
