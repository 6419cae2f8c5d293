package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What goes wrong on the 签章 page, in the seed's words with the next step (the FAQ's 签章错误问题: "未检测到
 * 密钥盘之类的"): no driver (with 客户端&驱动下载 and CA 检测), no key, a wrong PIN with the tries left, an
 * expired certificate, an encrypted PDF. Screenshots go to target/screenshots/docsign-failures/.
 */
@ExtendWith(SharedDemo.class)
class DocSignFailureTests {

    @BeforeEach
    void needsBrowser() {
        assumeTrue(Browser.available(), Browser.UNAVAILABLE);
    }

    @Test
    void signWhenAgentStoppedThenDriverMissingWithDownloadAndCheckLinks(Demo demo) throws Exception {
        try (Browser browser = Browser.open(demo, "docsign-failures")) {
            openWithDocument(browser, document(false));
            demo.stopAgent();
            submit(browser, DemoData.ZJHX.name(), DemoData.PIN);
            WebElement missing = browser.visibleTestId("sign-driver-missing");
            assertThat(missing.getText()).startsWith("CA 检测失败，未检测到驱动");
            WebElement download = missing.findElement(Browser.testId("sign-error-download"));
            assertThat(download.getText()).isEqualTo("客户端&驱动下载");
            assertThat(download.getDomProperty("href")).isEqualTo(demo.url() + "/drivers?provider=ZJHX");
            assertThat(missing.findElement(Browser.testId("sign-error-ca-check"))
                            .getDomProperty("href"))
                    .isEqualTo(demo.url() + "/ca-check?provider=ZJHX");
            browser.screenshot("agent-stopped");
        } finally {
            demo.startAgent();
        }
    }

    @Test
    void signWhenNoKeyInsertedThenNoKeyDetected(Demo demo) throws Exception {
        try (KeySwap pulledOut = KeySwap.pullOut(demo, "CFCA");
                Browser browser = Browser.open(demo, "docsign-failures")) {
            openWithDocument(browser, document(false));
            submit(browser, DemoData.CFCA.name(), DemoData.PIN);
            assertThat(error(browser)).isEqualTo("未检测到密钥盘");
            assertThat(browser.visibleTestId("sign-driver-help").getText()).contains("CA 检测");
            browser.screenshot("no-key");
        }
    }

    @Test
    void signWhenPinWrongThenRetriesLeftAndThePinCleared(Demo demo) throws Exception {
        try (Browser browser = Browser.open(demo, "docsign-failures")) {
            openWithDocument(browser, document(false));
            submit(browser, DemoData.ZJHX.name(), "000000");
            if (demo.pki().key("ZJHX").onToken()) {
                // The SoftHSM2 token allows 10 wrong PINs (provider.ZJHX.maxPinRetries); one is spent.
                assertThat(error(browser)).isEqualTo("PIN 码错误，还可尝试 " + (DemoData.MAX_PIN_RETRIES - 1) + " 次");
            } else {
                System.out.println("softhsm2 is not installed: ZJHX is a PKCS#12 file, which has no retry counter");
                assertThat(error(browser)).isEqualTo("PIN 码错误，请重新输入");
            }
            assertThat(browser.driver().findElement(Browser.testId("sign-pin")).getDomProperty("value"))
                    .isEmpty();
            browser.screenshot("wrong-pin");
            // The right PIN next, and the same page signs (the agent's count starts again).
            submit(browser, DemoData.ZJHX.name(), DemoData.PIN);
            assertThat(browser.visibleTestId("sign-result").getText()).contains("签章成功");
        }
    }

    @Test
    void signWhenCertificateExpiredThenCertExpiredAndNoPdf(Demo demo) throws Exception {
        Credential expired =
                demo.pki().user("TWCA", "西子").validFor(Duration.ofDays(-1)).issue();
        try (KeySwap old = KeySwap.insert(demo, "TWCA", expired, "西子-旧证书");
                Browser browser = Browser.open(demo, "docsign-failures")) {
            openWithDocument(browser, document(false));
            submit(browser, DemoData.TWCA.name(), DemoData.PIN);
            assertThat(error(browser)).isEqualTo("CA 证书已过期，请联系 CA 服务商更新证书。");
            assertThat(browser.driver()
                            .findElement(Browser.testId("sign-result"))
                            .isDisplayed())
                    .isFalse();
            browser.screenshot("expired");
        }
    }

    @Test
    void signWhenPdfEncryptedThenSaysSoBeforeTheKeyIsUsed(Demo demo) throws Exception {
        try (Browser browser = Browser.open(demo, "docsign-failures")) {
            login(browser);
            browser.driver()
                    .findElement(Browser.testId("sign-file"))
                    .sendKeys(write("加密.pdf", document(true)).toString());
            WebElement problem = browser.visibleTestId("sign-file-error");
            assertThat(problem.getText()).contains("PDF 文件已加密", "解除保护");
            assertThat(browser.driver()
                            .findElement(Browser.testId("sign-section"))
                            .isDisplayed())
                    .isFalse();
            browser.screenshot("encrypted");
        }
    }

    private static void login(Browser browser) {
        browser.go("/login");
        browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
        browser.waitForPath("/apps");
        browser.go("/system/docsign/sign");
        browser.visibleTestId("doc-sign-page");
    }

    private static void openWithDocument(Browser browser, byte[] pdf) throws IOException {
        login(browser);
        browser.driver()
                .findElement(Browser.testId("sign-file"))
                .sendKeys(write("合同.pdf", pdf).toString());
        browser.visibleTestId("sign-section");
    }

    private static void submit(Browser browser, String providerName, String pin) {
        new Select(browser.visibleTestId("sign-provider")).selectByVisibleText(providerName);
        WebElement field = browser.driver().findElement(Browser.testId("sign-pin"));
        field.clear();
        field.sendKeys(pin);
        browser.driver().findElement(Browser.testId("sign-submit")).click();
    }

    private static String error(Browser browser) {
        return browser.visibleTestId("sign-error").getText();
    }

    private static Path write(String name, byte[] pdf) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "docsign-failures"));
        return Files.write(folder.resolve(name), pdf).toAbsolutePath();
    }

    private static byte[] document(boolean encrypted) throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            if (encrypted) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
                policy.setEncryptionKeyLength(128);
                document.protect(policy);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
