package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What a supplier saw wrong in the pages (issue 16, item 7), each in Chromium against the demo: 首页 with
 * 请登录 / 点击进入, 绑定成功 after 确定, the whole CA锁ID of a soft certificate with what it is, 账户 search
 * whatever the case, a page number beyond the last, and the providers' contact data in CA证书申领.
 */
@ExtendWith(SharedDemo.class)
class PageFixesTests {

    @BeforeEach
    void needsBrowser() {
        assumeTrue(Browser.available(), Browser.UNAVAILABLE);
    }

    @Test
    void homeWhenOpenedThenSeedsFirstPageWithPleaseLogInAndEnterLeadingToLogin(Demo demo) throws Exception {
        try (Browser browser = Browser.open(demo, "page-fixes")) {
            browser.go("/");

            assertThat(browser.visibleTestId("home-page").getText()).contains("政府采购云平台", "点击进入");
            assertThat(browser.visibleTestId("home-login").getText()).isEqualTo("请登录");
            browser.screenshot("home");
            browser.driver().findElement(Browser.testId("home-enter")).click();
            browser.waitForPath("/login");
            browser.go("/");
            browser.driver().findElement(Browser.testId("home-login")).click();
            browser.waitForPath("/login");
        }
    }

    @Test
    void bindingsWhenBoundThenSaysBindSuccessShowsWholeKeyIdSearchesAnyCaseAndClampsThePage(Demo demo)
            throws Exception {
        try (Browser browser = Browser.open(demo, "page-fixes")) {
            browser.go("/login");
            browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            browser.waitForPath("/apps");
            browser.go("/system/ca/bindings");
            int before = rows(browser).size();

            // 绑定CA → 确定 with 天威CA's PKCS#12 file: the list reloads and says 绑定成功.
            browser.driver().findElement(Browser.testId("bind-open")).click();
            WebElement dialog = browser.visibleTestId("bind-dialog");
            new Select(dialog.findElement(Browser.testId("bind-account"))).selectByVisibleText("西子（PGHS008）");
            new Select(dialog.findElement(Browser.testId("bind-provider"))).selectByVisibleText(DemoData.TWCA.name());
            dialog.findElement(Browser.testId("bind-pin")).sendKeys(DemoData.PIN);
            dialog.findElement(Browser.testId("bind-submit")).click();
            browser.until(d -> rows(browser).size() == before + 1);
            assertThat(browser.waitForText(By.cssSelector("[data-toast]"), "绑定成功"))
                    .contains("绑定成功");
            browser.screenshot("bind-success");

            try {
                // The CA锁ID of a soft certificate is a hash: cut in the list, whole and explained on demand.
                WebElement row = row(browser, DemoData.TWCA.name());
                String keyId = row.getAttribute("data-key-id");
                assertThat(row.findElement(Browser.testId("binding-key")).getText())
                        .endsWith("…");
                row.findElement(Browser.testId("binding-key-show")).click();
                WebElement full = browser.visible(By.cssSelector(
                        "[data-testid=binding-row][data-key-id='" + keyId + "'] [data-testid=binding-key-full]"));
                assertThat(full.getText()).isEqualToIgnoringCase(keyId).doesNotContain("…");
                assertThat(row.findElement(Browser.testId("binding-key-explain"))
                                .getText())
                        .contains("软证书", "指纹");
                browser.screenshot("key-id-whole");

                // 账户 search ignores case: pghs008 finds PGHS008's bindings.
                browser.go("/system/ca/bindings?account=pghs008");
                assertThat(rows(browser)).isNotEmpty().allMatch(r -> r.getText().contains("账户: PGHS008"));

                // A page beyond the last shows the last page, not 暂无数据 beside 共有N条.
                browser.go("/system/ca/bindings?page=99");
                assertThat(rows(browser)).isNotEmpty();
                assertThat(browser.visibleTestId("binding-table").getText()).doesNotContain("暂无数据");
                browser.screenshot("page-99");
            } finally {
                // Other tests count the bindings: take this one away again (and see 解除绑定成功).
                browser.go("/system/ca/bindings");
                row(browser, DemoData.TWCA.name())
                        .findElement(Browser.testId("unbind"))
                        .click();
                browser.visibleTestId("unbind-dialog")
                        .findElement(Browser.testId("unbind-confirm"))
                        .click();
                browser.until(d -> rows(browser).size() == before);
                assertThat(browser.waitForText(By.cssSelector("[data-toast]"), "解除绑定成功"))
                        .contains("解除绑定成功");
            }
        }
    }

    @Test
    void caApplyWhenSupplierOpensItThenEveryProviderHasPhoneOnlineApplicationAndASupplierText(Demo demo)
            throws Exception {
        try (Browser browser = Browser.open(demo, "page-fixes")) {
            browser.go("/login");
            browser.passwordLogin(DemoData.DONGZI.loginName(), DemoData.DONGZI.password());
            browser.waitForPath("/apps");
            browser.go("/system/ca/apply");

            List<WebElement> providers = browser.driver().findElements(Browser.testId("apply-provider"));
            assertThat(providers).isNotEmpty();
            for (WebElement provider : providers) {
                String text = provider.getText();
                DemoData.Contact contact = DemoData.CONTACTS.get(provider.getAttribute("data-provider"));
                assertThat(text)
                        .contains("客服电话", contact.servicePhone(), "营业执照")
                        .doesNotContain("demo-data", "cagate-testca");
                assertThat(provider.findElement(Browser.testId("apply-link")).getAttribute("href"))
                        .isEqualTo(contact.applyUrl());
            }
            browser.screenshot("ca-apply");
        }
    }

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
}
