package org.cagate.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.web.PageRenderingTests;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The 登录 page's CA 登录 tab (seed §3): after 账号登录, with CA服务商, PIN码 and 检测 CA 并登录. */
@CagateServerTest
class CaLoginTabTests {

    @LocalServerPort
    int port;

    @Test
    void loginPageWhenShownThenCaTabSecondWithProviderPinAndButton() {
        String html = ApiClient.on(port).get("/login").body();

        assertThat(html.indexOf("data-tab=\"password\"")).isLessThan(html.indexOf("data-tab=\"ca\""));
        assertThat(html)
                .contains(
                        ">CA 登录<",
                        "CA服务商",
                        "请选择 CA 服务商",
                        "PIN码",
                        ">检测 CA 并登录<",
                        "CA 检测失败，未检测到驱动",
                        ">下载驱动<",
                        "data-agent-url=\"http://127.0.0.1:21777\"",
                        "/js/ca-login.js",
                        "data-testid=\"ca-login-provider\"",
                        "data-testid=\"ca-login-pin\"",
                        "data-testid=\"ca-login-submit\"");
        assertThat(html).doesNotContain("仅支持windows", "IE10");
        assertThat(PageRenderingTests.englishWords(html)).isEmpty();
    }

    @Test
    void loginPageWhenShownThenCaCheckLinkedBesideTheFormAndFromEveryDriverError() {
        String html = ApiClient.on(port).get("/login").body();

        assertThat(html)
                .contains(
                        "<a href=\"/ca-check\" data-testid=\"login-ca-check\">CA 检测</a>",
                        "<a href=\"/ca-check\" data-ca-check data-testid=\"ca-login-error-ca-check\">CA 检测</a>",
                        "驱动或 CA 锁的问题，可在<a",
                        "data-ca-check data-testid=\"ca-login-help-ca-check\">CA 检测</a>中查看原因和处理办法。");
    }
}
