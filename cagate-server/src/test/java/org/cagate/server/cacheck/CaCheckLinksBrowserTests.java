package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.server.cacheck.CheckBrowser.state;

import org.cagate.server.driver.LocalAgent;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Where people find CA 检测: the login page, the bind dialog, and every error of the driver (agent) on the
 * CA 登录 tab and in the bind dialog, each link opening the check for the provider chosen. One browser and
 * the JVM's one agent serve every test. Skipped with a message when chromium or chromedriver is missing.
 */
@CagateServerTest
class CaCheckLinksBrowserTests extends CheckBrowserTest {

    private static final String CHECK_SCCA = LocalAgent.ORIGIN + "/ca-check?provider=" + LocalAgent.SCCA;
    private static final String DRIVERS_SCCA = LocalAgent.ORIGIN + "/drivers?provider=" + LocalAgent.SCCA;

    @AfterEach
    void agentBackAsItWas() throws Exception {
        agent().start();
    }

    private static String href(WebElement parent, String testId) {
        return parent.findElement(CheckBrowser.testId(testId)).getDomProperty("href");
    }

    /** The CA 登录 tab with 四川CA and a PIN, submitted. */
    private void caLogin() {
        browser.open("/login");
        browser.driver().findElement(By.cssSelector("[data-tab=\"ca\"]")).click();
        browser.choose("ca-login-provider", LocalAgent.SCCA);
        browser.visible("ca-login-pin").sendKeys(LocalAgent.PIN);
        browser.visible("ca-login-submit").click();
    }

    @Test
    void loginPageWhenShownThenLinksToCaCheck() {
        browser.open("/login");

        WebElement link = browser.visible("login-ca-check");
        assertThat(link.getText()).isEqualTo("CA 检测");
        link.click();

        browser.until(d -> d.getCurrentUrl().equals(LocalAgent.ORIGIN + "/ca-check"));
        assertThat(browser.visible("ca-check-page").getText()).contains("CA 检测", "检查本机的 CA 驱动");
        assertThat(state(browser.row("agent"))).isEqualTo("ok");
    }

    @Test
    void caLoginWhenDriverErrorsThenEachLinksToCaCheckForTheProvider() throws Exception {
        agent().stop();
        caLogin();

        WebElement missing = browser.visible("ca-login-driver-missing");
        assertThat(missing.getText()).startsWith("CA 检测失败，未检测到驱动").endsWith("下载驱动CA 检测");
        assertThat(href(missing, "ca-login-download")).isEqualTo(DRIVERS_SCCA);
        assertThat(href(missing, "ca-login-error-ca-check")).isEqualTo(CHECK_SCCA);
        assertThat(browser.shown("ca-login-driver-help")).isFalse();
        browser.screenshot("ca-login-agent-stopped");

        agent().start();
        agent().removeKeys(LocalAgent.SCCA);
        browser.visible("ca-login-submit").click();

        assertThat(browser.visible("ca-login-error").getText()).isEqualTo("未检测到密钥盘");
        WebElement help = browser.visible("ca-login-driver-help");
        assertThat(help.getText()).isEqualTo("驱动或 CA 锁的问题，可在CA 检测中查看原因和处理办法。");
        assertThat(browser.shown("ca-login-driver-missing")).isFalse();
        browser.screenshot("ca-login-no-key");

        // The link opens the check of that provider, which says what is wrong.
        help.findElement(CheckBrowser.testId("ca-login-help-ca-check")).click();
        browser.until(d -> d.getCurrentUrl().equals(CHECK_SCCA));
        assertThat(state(browser.row("token"))).isEqualTo("fail");
        assertThat(CheckBrowser.message(browser.row("token"))).isEqualTo("未检测到密钥盘。");
    }

    @Test
    void bindDialogWhenOpenedAndWhenDriverErrorsThenLinksToCaCheckForTheProvider() throws Exception {
        Fixtures.TestAccount user = fixtures.account(sichuanOrganization(), "USER");
        browser.passwordLogin(user.loginName(), user.password());
        browser.open("/system/ca/bindings");
        browser.visible("bind-open").click();
        WebElement dialog = browser.visible("bind-dialog");
        browser.choose("bind-provider", LocalAgent.SCCA);

        assertThat(browser.visible("bind-ca-check").getText()).isEqualTo("CA 检测");
        assertThat(href(dialog, "bind-ca-check")).isEqualTo(CHECK_SCCA);
        assertThat(href(dialog, "bind-download")).isEqualTo(DRIVERS_SCCA);

        agent().stop();
        browser.visible("bind-pin").sendKeys(LocalAgent.PIN);
        browser.visible("bind-submit").click();

        WebElement missing = browser.visible("bind-driver-missing");
        assertThat(missing.getText()).startsWith("CA 检测失败，未检测到驱动").endsWith("下载驱动CA 检测");
        assertThat(href(missing, "bind-error-download")).isEqualTo(DRIVERS_SCCA);
        assertThat(href(missing, "bind-error-ca-check")).isEqualTo(CHECK_SCCA);
        browser.screenshot("bind-agent-stopped");

        agent().start();
        agent().removeKeys(LocalAgent.SCCA);
        browser.visible("bind-submit").click();

        assertThat(browser.visible("bind-error").getText()).isEqualTo("未检测到密钥盘");
        WebElement help = browser.visible("bind-driver-help");
        assertThat(help.getText()).isEqualTo("驱动或 CA 锁的问题，可在CA 检测中查看原因和处理办法。");
        assertThat(href(help, "bind-help-ca-check")).isEqualTo(CHECK_SCCA);
        assertThat(browser.shown("bind-driver-missing")).isFalse();
        browser.screenshot("bind-no-key");
    }
}
