package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The seed's walkthrough in a real browser against the demo itself, step by step as the guide tells it:
 * §1 账号登录 → 应用中心 → 系统管理 → CA管理 › CA绑定与解绑 → 绑定CA (姓名, CA服务商, PIN码) → the list
 * shows the binding (a second one with 四川CA's SM2 USB key, the soft SKF token, and a CA 登录 with it); §2
 * 解除绑定 with "确认要解除 CA 绑定吗"; §3 CA 登录 with CA服务商 and PIN into 应用中心; then the tile of 示例应用, the
 * demo's relying party, which greets 西子 with the CA login's claims (issue 20).
 * Screenshots of every step go to target/screenshots/walkthrough/.
 */
@ExtendWith(SharedDemo.class)
class SeedWalkthroughTests {

    private static final DateTimeFormatter PAGE_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.of("Asia/Shanghai"));

    @BeforeEach
    void needsBrowser() {
        assumeTrue(Browser.available(), Browser.UNAVAILABLE);
    }

    @Test
    void seedWalkthroughWhenXiziBindsUnbindsAndLogsInWithKeyThenEveryPageAnswersAsTheGuideSays(Demo demo)
            throws Exception {
        try (Browser browser = Browser.open(demo, "walkthrough")) {
            // §1 steps 1-2: 账号登录 with account and password, into 应用中心.
            browser.go("/login");
            browser.visible(By.cssSelector("[data-password-login]"));
            browser.screenshot("login");
            browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            browser.waitForPath("/apps");
            assertThat(browser.visible(By.cssSelector("main.apps")).getText()).contains("应用中心", "系统管理");
            browser.screenshot("apps");

            // Step 3: 系统管理, whose header names the region, the user and the organisation.
            browser.driver()
                    .findElement(By.cssSelector("a.tile[href=\"/system\"]"))
                    .click();
            browser.waitForPath("/system/profile");
            assertThat(browser.visible(By.cssSelector("header")).getText())
                    .contains("政府采购云平台", "系统管理", "培训省本级", "西子", DemoData.ORGANIZATION);
            browser.screenshot("system");

            // Step 4: CA管理 › CA绑定与解绑, an empty list at first.
            browser.driver().findElement(By.linkText("CA绑定与解绑")).click();
            browser.waitForPath("/system/ca/bindings");
            assertThat(browser.visibleTestId("ca-bindings-page").getText())
                    .contains("CA管理", "绑定CA", "绑定操作说明", "绑定账户", "CA证书信息", "绑定人", "绑定时间", "操作");
            // A fresh demo has no binding; the other tests remove theirs again.
            int baseline = rows(browser).size();
            browser.screenshot("ca-bindings-empty");

            // Step 5: 绑定CA: 姓名 lists the organisation's people (西子 is ORG_ADMIN), CA服务商, PIN码, 确定.
            bind(browser, "西子（PGHS008）", DemoData.ZJHX.name(), "bind-dialog");
            WebElement zjhx = row(browser, DemoData.ZJHX.name());
            assertThat(zjhx.getText())
                    .contains("姓名: 西子", "账户: PGHS008", "CA服务商: " + DemoData.ZJHX.name(), "CA锁ID:", "到期时间:")
                    .contains(PAGE_DATE.format(
                            xiziCertificate(demo, "ZJHX").getNotAfter().toInstant()));
            if (demo.pki().key("ZJHX").onToken()) {
                // The serial the SoftHSM2 token reports, as a real UKey's printed serial.
                assertThat(zjhx.findElement(Browser.testId("binding-key")).getText())
                        .isEqualTo(DemoData.TOKEN_SERIAL);
            }
            browser.screenshot("ca-bindings-bound");

            // One user, many keys: the seed's dialog picks 四川CA (an SM2 key here) for a second binding.
            bind(browser, "西子（PGHS008）", DemoData.SCCA.name(), "bind-dialog-scca");
            assertThat(rows(browser)).hasSize(baseline + 2);
            WebElement scca = row(browser, DemoData.SCCA.name());
            assertThat(scca.getText()).contains("姓名: 西子", "到期时间:");
            if (demo.pki().key("SCCA").onSkf()) {
                // The serial the soft SKF token reports (SKF_GetDevInfo), as a 国密 USB key's printed serial.
                assertThat(scca.findElement(Browser.testId("binding-key")).getText())
                        .isEqualTo(DemoData.SKF_SERIAL);
            }
            browser.screenshot("ca-bindings-two");

            // §3 with the SM2 key: 退出, CA 登录 with 四川CA (the SKF USB key when built) into 应用中心.
            browser.driver().findElement(By.cssSelector("[data-logout]")).click();
            browser.waitForPath("/login");
            browser.fillCaLogin(DemoData.SCCA.name(), DemoData.PIN);
            browser.screenshot("ca-login-scca");
            browser.driver().findElement(Browser.testId("ca-login-submit")).click();
            browser.waitForPath("/apps");
            assertThat(browser.visible(By.cssSelector("header")).getText()).contains("西子", DemoData.ORGANIZATION);
            browser.go("/system/ca/bindings");
            browser.visibleTestId("ca-bindings-page");

            // §2: 解除绑定 → "确认要解除 CA 绑定吗" → 确认.
            row(browser, DemoData.SCCA.name())
                    .findElement(Browser.testId("unbind"))
                    .click();
            WebElement confirm = browser.visibleTestId("unbind-dialog");
            assertThat(confirm.getText()).contains("确认要解除 CA 绑定吗");
            browser.screenshot("unbind-confirm");
            confirm.findElement(Browser.testId("unbind-confirm")).click();
            browser.until(d -> rows(browser).size() == baseline + 1);
            assertThat(browser.visibleTestId("binding-table").getText())
                    .contains(DemoData.ZJHX.name())
                    .doesNotContain(DemoData.SCCA.name());
            browser.screenshot("ca-bindings-after-unbind");

            // §3: 退出, then CA 登录 with CA服务商 and PIN, into 应用中心 as 西子.
            browser.driver().findElement(By.cssSelector("[data-logout]")).click();
            browser.waitForPath("/login");
            browser.fillCaLogin(DemoData.ZJHX.name(), DemoData.PIN);
            browser.screenshot("ca-login");
            browser.driver().findElement(Browser.testId("ca-login-submit")).click();
            browser.waitForPath("/apps");
            assertThat(browser.visible(By.cssSelector("header")).getText()).contains("西子", DemoData.ORGANIZATION);
            browser.screenshot("apps-after-ca-login");

            // Issue 20: 示例应用's tile opens the platform's relying party, which logs in with cagate (the CA
            // login's session: no second login) and greets 西子 with the claims it received.
            browser.driver()
                    .findElement(By.cssSelector("a.tile[data-app=\"示例应用\"]"))
                    .click();
            // (back on its own page after the code flow; Spring Security's saved request adds "?continue")
            browser.until(d -> d.getCurrentUrl().startsWith(demo.sampleAppUrl()));
            assertThat(browser.visibleTestId("greeting").getText()).contains("西子");
            assertThat(browser.visibleTestId("login-method").getText()).contains("CA 锁", "CA 登录");
            assertThat(browser.visibleTestId("ca-key").getText()).contains(DemoData.ZJHX.code(), "CA锁ID");
            assertThat(browser.visibleTestId("claims").getText())
                    .contains("[hwk, pin]", "urn:cagate:acr:ca", "ca_cert_sha256", DemoData.ORGANIZATION);
            browser.screenshot("sample-app-after-ca-login");

            // 退出 at the platform and forget 示例应用's own session: opening it again leads to 登录, which
            // returns to the application after the 账号登录, and the greeting says so.
            browser.go("/apps");
            browser.driver().findElement(By.cssSelector("[data-logout]")).click();
            browser.waitForPath("/login");
            browser.driver().manage().deleteCookieNamed("JSESSIONID");
            browser.driver().get(demo.sampleAppUrl());
            browser.until(d -> d.getCurrentUrl().startsWith(demo.url() + "/login?continue="));
            browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            browser.until(d -> d.getCurrentUrl().startsWith(demo.sampleAppUrl()));
            assertThat(browser.visibleTestId("login-method").getText()).contains("账号登录");
            assertThat(browser.visibleTestId("claims").getText()).contains("[pwd]", "urn:cagate:acr:password");
            browser.screenshot("sample-app-after-password-login");
        }
    }

    /** Opens 绑定CA, picks 姓名 and CA服务商, types the PIN, screenshots the dialog and presses 确定. */
    private static void bind(Browser browser, String person, String providerName, String screenshot) {
        int before = rows(browser).size();
        browser.driver().findElement(Browser.testId("bind-open")).click();
        WebElement dialog = browser.visibleTestId("bind-dialog");
        Select people = new Select(dialog.findElement(Browser.testId("bind-account")));
        assertThat(people.getOptions()).extracting(WebElement::getText).contains("西子（PGHS008）", "东子（PGHS009）");
        people.selectByVisibleText(person);
        new Select(dialog.findElement(Browser.testId("bind-provider"))).selectByVisibleText(providerName);
        dialog.findElement(Browser.testId("bind-pin")).sendKeys(DemoData.PIN);
        browser.screenshot(screenshot);
        dialog.findElement(Browser.testId("bind-submit")).click();
        // The page reloads with the new row once the server has recorded the binding.
        browser.until(d -> rows(browser).size() == before + 1);
    }

    /** The row of 西子's binding with the provider. */
    private static WebElement row(Browser browser, String providerName) {
        return rows(browser).stream()
                .filter(r -> r.getText().contains("CA服务商: " + providerName)
                        && r.getText().contains("账户: PGHS008"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no binding of 西子 with " + providerName));
    }

    private static List<WebElement> rows(Browser browser) {
        return browser.driver().findElements(Browser.testId("binding-row"));
    }

    /** 西子's certificate of the provider, as the demo's CA issued it. */
    static X509Certificate xiziCertificate(Demo demo, String provider) {
        return demo.pki().ca(provider).issuedCertificates().stream()
                .filter(c -> c.getSubjectX500Principal().getName().contains("CN=西子"))
                .max(Comparator.comparing(X509Certificate::getNotAfter))
                .orElseThrow();
    }
}
