package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What a user of the demo meets when something is wrong (the seed's 问题答疑: "CA 检测失败，未检测到驱动",
 * "未检测到密钥盘"), and an ORG_ADMIN binding a key for an employee, in a real browser. Each test puts the
 * demo back as it was (agent running, 西子's keys in place, no new binding).
 * Screenshots go to target/screenshots/failures/.
 */
@ExtendWith(SharedDemo.class)
class UserFailureTests {

    @BeforeEach
    void needsBrowser() {
        assumeTrue(Browser.available(), Browser.UNAVAILABLE);
    }

    @Test
    void caLoginWhenAgentStoppedThenDriverMissingWithDownloadLink(Demo demo) throws Exception {
        demo.stopAgent();
        try (Browser browser = Browser.open(demo, "failures")) {
            browser.go("/login");
            browser.fillCaLogin(DemoData.SCCA.name(), DemoData.PIN);
            browser.driver().findElement(Browser.testId("ca-login-submit")).click();
            WebElement missing = browser.visibleTestId("ca-login-driver-missing");
            assertThat(missing.getText()).startsWith("CA 检测失败，未检测到驱动");
            WebElement download = missing.findElement(Browser.testId("ca-login-download"));
            assertThat(download.getText()).isEqualTo("下载驱动");
            assertThat(download.getAttribute("href")).isEqualTo(demo.url() + "/drivers?provider=SCCA");
            browser.screenshot("agent-stopped");
        } finally {
            demo.startAgent();
        }
    }

    @Test
    void caLoginWhenNoKeyInsertedThenNoKeyDetected(Demo demo) throws Exception {
        try (KeySwap pulledOut = KeySwap.pullOut(demo, "CFCA");
                Browser browser = Browser.open(demo, "failures")) {
            String error = caLoginError(browser, DemoData.CFCA.name(), DemoData.PIN);
            assertThat(error).isEqualTo("未检测到密钥盘");
            browser.screenshot("no-key");
        }
    }

    @Test
    void caLoginWhenPinWrongThenRetriesLeft(Demo demo) throws Exception {
        try (Browser browser = Browser.open(demo, "failures")) {
            String error = caLoginError(browser, DemoData.ZJHX.name(), "000000");
            if (demo.pki().key("ZJHX").onToken()) {
                // The SoftHSM2 token allows 10 wrong PINs (provider.ZJHX.maxPinRetries); one is spent.
                assertThat(error).isEqualTo("PIN 码错误，还可尝试 " + (DemoData.MAX_PIN_RETRIES - 1) + " 次");
            } else {
                System.out.println("softhsm2 is not installed: ZJHX is a PKCS#12 file, which has no retry counter");
                assertThat(error).isEqualTo("PIN 码错误，请重新输入");
            }
            assertThat(browser.driver()
                            .findElement(Browser.testId("ca-login-pin"))
                            .getAttribute("value"))
                    .isEmpty();
            browser.screenshot("wrong-pin");
        }
    }

    @Test
    void caLoginWhenKeyNotBoundThenCaNotBound(Demo demo) throws Exception {
        try (Browser browser = Browser.open(demo, "failures")) {
            String error = caLoginError(browser, DemoData.TWCA.name(), DemoData.PIN);
            assertThat(error).isEqualTo("该 CA 证书尚未绑定平台账号，请先使用账号密码登录并绑定。");
            browser.screenshot("not-bound");
        }
    }

    @Test
    void caLoginWhenCertificateExpiredThenCertExpired(Demo demo) throws Exception {
        Credential expired =
                demo.pki().user("TWCA", "西子").validFor(Duration.ofDays(-1)).issue();
        try (KeySwap old = KeySwap.insert(demo, "TWCA", expired, "西子-旧证书");
                Browser browser = Browser.open(demo, "failures")) {
            String error = caLoginError(browser, DemoData.TWCA.name(), DemoData.PIN);
            assertThat(error).isEqualTo("CA 证书已过期，请联系 CA 服务商更新证书。");
            browser.screenshot("expired");
        }
    }

    @Test
    void bindWhenOrgAdminChoosesEmployeeThenEmployeeBoundAndLogsInWithKey(Demo demo) throws Exception {
        Credential dongzi =
                demo.pki().user("CFCA", DemoData.DONGZI.displayName()).issue();
        try (KeySwap employeeKey = KeySwap.insert(demo, "CFCA", dongzi, DemoData.DONGZI.displayName());
                Browser browser = Browser.open(demo, "failures")) {
            browser.go("/login");
            browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            browser.waitForPath("/apps");
            browser.go("/system/ca/bindings");
            int before = rows(browser).size();
            browser.driver().findElement(Browser.testId("bind-open")).click();
            WebElement dialog = browser.visibleTestId("bind-dialog");
            new Select(dialog.findElement(Browser.testId("bind-account"))).selectByVisibleText("东子（PGHS009）");
            new Select(dialog.findElement(Browser.testId("bind-provider"))).selectByVisibleText(DemoData.CFCA.name());
            dialog.findElement(Browser.testId("bind-pin")).sendKeys(DemoData.PIN);
            browser.screenshot("bind-for-employee");
            dialog.findElement(Browser.testId("bind-submit")).click();
            browser.until(d -> rows(browser).size() == before + 1);
            WebElement row = rows(browser).stream()
                    .filter(r -> r.getText().contains("账户: PGHS009"))
                    .findFirst()
                    .orElseThrow();
            assertThat(row.findElements(By.tagName("td")))
                    .extracting(WebElement::getText)
                    .satisfies(cells -> {
                        assertThat(cells.get(0)).contains("姓名: 东子", "账户: PGHS009");
                        assertThat(cells.get(1)).contains("CA服务商: CFCA");
                        assertThat(cells.get(2)).isEqualTo("西子"); // 绑定人: the ORG_ADMIN who bound it
                    });
            browser.screenshot("bound-for-employee");

            // The employee's key now logs the employee in; he sees and removes his own binding.
            browser.driver().findElement(By.cssSelector("[data-logout]")).click();
            browser.waitForPath("/login");
            browser.fillCaLogin(DemoData.CFCA.name(), DemoData.PIN);
            browser.driver().findElement(Browser.testId("ca-login-submit")).click();
            browser.waitForPath("/apps");
            assertThat(browser.visible(By.cssSelector("header")).getText()).contains("东子");
            browser.go("/system/ca/bindings");
            List<WebElement> own = rows(browser);
            assertThat(own).hasSize(1);
            own.get(0).findElement(Browser.testId("unbind")).click();
            browser.visibleTestId("unbind-dialog")
                    .findElement(Browser.testId("unbind-confirm"))
                    .click();
            browser.until(d -> rows(browser).isEmpty());
        }
    }

    /** CA 登录 with the provider and PIN; the error the form shows. */
    private static String caLoginError(Browser browser, String providerName, String pin) {
        browser.go("/login");
        browser.fillCaLogin(providerName, pin);
        browser.driver().findElement(Browser.testId("ca-login-submit")).click();
        return browser.visibleTestId("ca-login-error").getText();
    }

    private static List<WebElement> rows(Browser browser) {
        return browser.driver().findElements(Browser.testId("binding-row"));
    }
}
