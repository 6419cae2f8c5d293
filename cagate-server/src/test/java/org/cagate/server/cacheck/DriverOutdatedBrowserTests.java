package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.cagate.server.driver.LocalAgent;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * 请更新驱动 on the CA pages: when the running agent is older than the agent package the platform offers,
 * the CA 登录 tab and the bind dialog say so, with both versions and the link to the provider's
 * 客户端&驱动下载; with the current agent they say nothing. Skipped with a message when chromium or
 * chromedriver is missing.
 */
@CagateServerTest
class DriverOutdatedBrowserTests extends CheckBrowserTest {

    private static final String DRIVERS_SCCA = LocalAgent.ORIGIN + "/drivers?provider=" + LocalAgent.SCCA;

    @AfterEach
    void offerTheRunningVersionAgain() throws Exception {
        agent().writeZip(agent().version());
    }

    private void caTab() {
        browser.open("/login");
        browser.driver().findElement(By.cssSelector("[data-tab=\"ca\"]")).click();
        browser.choose("ca-login-provider", LocalAgent.SCCA);
    }

    /** Waits until the page has the agent's answer, then tells whether the notice shows. */
    private boolean noticeShown(String testId) {
        browser.until(d -> d.findElement(CheckBrowser.testId(testId)).getDomAttribute("data-checked-version") != null);
        return browser.shown(testId);
    }

    @Test
    void caLoginWhenAgentOlderThanOfferedThenSaysUpdateWithTheProvidersDownloadCentre() throws Exception {
        agent().writeZip("99.0.0");
        caTab();

        WebElement notice = browser.visible("ca-login-driver-outdated");
        assertThat(notice.getText()).isEqualTo("请更新驱动：本机驱动版本 " + agent().version() + " 低于平台提供的最新版本 99.0.0。下载最新驱动");
        assertThat(notice.findElement(CheckBrowser.testId("ca-login-outdated-download"))
                        .getDomProperty("href"))
                .isEqualTo(DRIVERS_SCCA);
        browser.screenshot("ca-login-driver-outdated");
    }

    @Test
    void caLoginWhenAgentIsTheOfferedVersionThenNoUpdateNotice() throws Exception {
        caTab();

        assertThat(noticeShown("ca-login-driver-outdated")).isFalse();
    }

    @Test
    void bindDialogWhenAgentOlderThanOfferedThenSaysUpdateAndWhenCurrentThenNot() throws Exception {
        Fixtures.TestAccount user = fixtures.account(sichuanOrganization(), "USER");
        browser.passwordLogin(user.loginName(), user.password());
        agent().writeZip("99.0.0");
        browser.open("/system/ca/bindings");
        browser.visible("bind-open").click();
        browser.choose("bind-provider", LocalAgent.SCCA);

        WebElement notice = browser.visible("bind-driver-outdated");
        assertThat(notice.getText()).startsWith("请更新驱动：本机驱动版本 " + agent().version());
        assertThat(notice.findElement(CheckBrowser.testId("bind-outdated-download"))
                        .getDomProperty("href"))
                .isEqualTo(DRIVERS_SCCA);
        browser.screenshot("bind-driver-outdated");

        agent().writeZip(agent().version());
        browser.open("/system/ca/bindings");
        browser.visible("bind-open").click();

        assertThat(noticeShown("bind-driver-outdated")).isFalse();
    }
}
