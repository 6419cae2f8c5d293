package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
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

    /**
     * 签章 and 验章 (issue 21) with 西子's 浙江汇信CA key: 印章管理 (西子 is the ORG_ADMIN) takes the
     * organisation's seal, the 签章 page shows a PDF's page, the seal is placed with a click, CA服务商 and
     * PIN go to the agent, the signed PDF comes back as a download; 验章 shows it valid, signed by 西子,
     * unchanged, with the demo TSA's time-stamp.
     */
    @Test
    void seedWalkthroughWhenXiziSignsAPdfOnTheSignPageThenTheVerifyPageShowsItValidAndUnchanged(Demo demo)
            throws Exception {
        Path work = Files.createDirectories(Path.of("target", "docsign"));
        Path seal = work.resolve("印章.png");
        Files.write(seal, sealImage());
        Path pdf = work.resolve("投标文件.pdf");
        Files.write(pdf, tenderDocument());
        try (Browser browser = Browser.open(demo, "docsign")) {
            browser.go("/login");
            browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            browser.waitForPath("/apps");
            // 应用中心's tile 电子签章 opens 签章; 印章管理 is in its menu for the ORG_ADMIN.
            browser.driver()
                    .findElement(By.cssSelector("a.tile[href=\"/system/docsign/sign\"]"))
                    .click();
            browser.waitForPath("/system/docsign/sign");
            browser.driver().findElement(By.linkText("印章管理")).click();
            browser.waitForPath("/system/docsign/seal");
            browser.driver()
                    .findElement(Browser.testId("seal-file"))
                    .sendKeys(seal.toAbsolutePath().toString());
            browser.driver().findElement(Browser.testId("seal-submit")).click();
            browser.until(d -> d.findElements(Browser.testId("seal-info")).stream()
                    .anyMatch(e -> e.getText().contains("160×160")));
            assertThat(browser.visibleTestId("seal-info").getText()).contains("PNG", "西子");
            browser.screenshot("seal");

            // 签章: the PDF's page, the seal placed with a click, CA服务商 and PIN.
            browser.driver().findElement(By.linkText("签章")).click();
            browser.waitForPath("/system/docsign/sign");
            browser.visibleTestId("sign-seal-image");
            browser.driver()
                    .findElement(Browser.testId("sign-file"))
                    .sendKeys(pdf.toAbsolutePath().toString());
            WebElement image = browser.visibleTestId("sign-page-image");
            WebElement mark = browser.visibleTestId("sign-seal-mark");
            assertThat(browser.visibleTestId("sign-page-count").getText()).isEqualTo("2");
            ((JavascriptExecutor) browser.driver())
                    .executeScript("arguments[0].scrollIntoView({block: 'center'})", image);
            new Actions(browser.driver()).moveToElement(image, 60, 120).click().perform();
            assertThat(browser.visibleTestId("sign-placement").getText()).contains("第 1 页");
            double x = Double.parseDouble(mark.getDomAttribute("data-x"));
            double y = Double.parseDouble(mark.getDomAttribute("data-y"));
            // The seal's centre went where the click was, 60 and 120 pixels right of and below the shown page's
            // centre: in A4 points from the lower-left corner (595 x 842), a 40 mm (113.4 points) seal.
            double perPoint = ((Number) ((JavascriptExecutor) browser.driver())
                                    .executeScript("return arguments[0].clientWidth", image))
                            .doubleValue()
                    / PDRectangle.A4.getWidth();
            double size = 40 * 72 / 25.4;
            assertThat(x).isCloseTo(PDRectangle.A4.getWidth() / 2 + 60 / perPoint - size / 2, within(2.0));
            assertThat(y).isCloseTo(PDRectangle.A4.getHeight() / 2 - 120 / perPoint - size / 2, within(2.0));
            ((JavascriptExecutor) browser.driver())
                    .executeScript(
                            "arguments[0].scrollIntoView({block: 'start'})", browser.visibleTestId("sign-pages"));
            browser.screenshot("doc-sign-seal");
            new Select(browser.visibleTestId("sign-provider")).selectByVisibleText(DemoData.ZJHX.name());
            browser.driver().findElement(Browser.testId("sign-pin")).sendKeys(DemoData.PIN);
            browser.screenshot("doc-sign");
            browser.driver().findElement(Browser.testId("sign-submit")).click();
            WebElement result = browser.visibleTestId("sign-result");
            assertThat(result.getText()).contains("签章成功", "投标文件.pdf");
            WebElement download = browser.visibleTestId("sign-download");
            assertThat(download.getDomAttribute("download")).isEqualTo("投标文件（已签章）.pdf");
            ((JavascriptExecutor) browser.driver())
                    .executeScript("arguments[0].scrollIntoView({block: 'center'})", result);
            browser.screenshot("doc-sign-done");
            Path signed = work.resolve("投标文件（已签章）.pdf");
            Files.write(signed, downloaded(browser, download, work));
            assertThat(Files.readAllBytes(signed)).startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));
            // The seal is the signature's appearance on page 1, where it was placed.
            try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(signed.toFile())) {
                PDRectangle rect =
                        document.getSignatureFields().get(0).getWidgets().get(0).getRectangle();
                assertThat(document.getPage(0).getAnnotations())
                        .anyMatch(a -> a.getRectangle().getLowerLeftX() == rect.getLowerLeftX());
                assertThat((double) rect.getLowerLeftX()).isCloseTo(x, within(0.5));
                assertThat((double) rect.getLowerLeftY()).isCloseTo(y, within(0.5));
                assertThat((double) rect.getWidth()).isCloseTo(size, within(0.5));
            }

            // 验章: the signed PDF, one signature, valid, by 西子, unchanged, time-stamped.
            browser.driver().findElement(Browser.testId("sign-result-verify")).click();
            browser.waitForPath("/system/docsign/verify");
            browser.driver()
                    .findElement(Browser.testId("verify-file"))
                    .sendKeys(signed.toAbsolutePath().toString());
            WebElement signature = browser.visibleTestId("verify-signature");
            assertThat(browser.visibleTestId("verify-summary").getText()).contains("共 1 个签章，1 个有效");
            assertThat(signature.findElement(Browser.testId("verify-verdict")).getText())
                    .isEqualTo("签章有效");
            assertThat(signature.findElement(Browser.testId("verify-signer")).getText())
                    .contains("西子");
            assertThat(signature.findElement(Browser.testId("verify-provider")).getText())
                    .isEqualTo(DemoData.ZJHX.name());
            assertThat(signature.findElement(Browser.testId("verify-coverage")).getText())
                    .isEqualTo("签章后文档未被修改");
            assertThat(signature.findElement(Browser.testId("verify-timestamp")).getText())
                    .contains("可信时间戳");
            assertThat(signature.findElement(Browser.testId("verify-findings")).getText())
                    .contains("证书有效");
            browser.screenshot("doc-verify");

            // A second signer on the signed PDF (四川CA's SM2 key): both signatures stay valid, the first
            // now followed only by the second.
            browser.driver().findElement(Browser.testId("verify-to-sign")).click();
            browser.waitForPath("/system/docsign/sign");
            browser.driver()
                    .findElement(Browser.testId("sign-file"))
                    .sendKeys(signed.toAbsolutePath().toString());
            browser.visibleTestId("sign-seal-mark");
            WebElement second = browser.visibleTestId("sign-page-image");
            ((JavascriptExecutor) browser.driver())
                    .executeScript("arguments[0].scrollIntoView({block: 'center'})", second);
            new Actions(browser.driver())
                    .moveToElement(second, -80, 120)
                    .click()
                    .perform();
            new Select(browser.visibleTestId("sign-provider")).selectByVisibleText(DemoData.SCCA.name());
            browser.driver().findElement(Browser.testId("sign-pin")).sendKeys(DemoData.PIN);
            browser.driver().findElement(Browser.testId("sign-submit")).click();
            WebElement again = browser.visibleTestId("sign-download");
            Path twice = work.resolve("投标文件-两个签章.pdf");
            Files.write(twice, downloaded(browser, again, work));
            browser.go("/system/docsign/verify");
            browser.driver()
                    .findElement(Browser.testId("verify-file"))
                    .sendKeys(twice.toAbsolutePath().toString());
            browser.until(
                    d -> d.findElements(Browser.testId("verify-signature")).size() == 2);
            assertThat(browser.visibleTestId("verify-summary").getText()).contains("共 2 个签章，2 个有效");
            List<WebElement> both = browser.driver().findElements(Browser.testId("verify-signature"));
            assertThat(both.get(0)
                            .findElement(Browser.testId("verify-coverage"))
                            .getText())
                    .isEqualTo("签章后文档未被修改（之后只追加了其他签章）");
            assertThat(both.get(1)
                            .findElement(Browser.testId("verify-provider"))
                            .getText())
                    .isEqualTo(DemoData.SCCA.name());
            assertThat(both.get(1).findElement(Browser.testId("verify-signer")).getText())
                    .contains("西子");
            assertThat(both)
                    .allSatisfy(card -> assertThat(card.findElement(Browser.testId("verify-verdict"))
                                    .getText())
                            .isEqualTo("签章有效"));
            browser.screenshot("doc-verify-two-signers");
        }
    }

    /** Clicks the page's download link as a user does and reads the file Chromium saved. */
    private static byte[] downloaded(Browser browser, WebElement link, Path folder) throws Exception {
        Path downloads = Files.createDirectories(folder.resolve("downloads-" + System.nanoTime()));
        ((org.openqa.selenium.chrome.ChromeDriver) browser.driver())
                .executeCdpCommand(
                        "Browser.setDownloadBehavior",
                        java.util.Map.of(
                                "behavior",
                                "allow",
                                "downloadPath",
                                downloads.toAbsolutePath().toString()));
        link.click();
        Path file = downloads.resolve(link.getDomAttribute("download"));
        browser.until(d -> Files.exists(file));
        return Files.readAllBytes(file);
    }

    /** A red seal ring with a star, as a PNG with a transparent background. */
    private static byte[] sealImage() throws IOException {
        BufferedImage image = new BufferedImage(160, 160, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0xD0, 0x1F, 0x1F));
        g.setStroke(new BasicStroke(8));
        g.drawOval(8, 8, 144, 144);
        int[] xs = new int[10];
        int[] ys = new int[10];
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? 36 : 15;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            xs[i] = (int) Math.round(80 + r * Math.cos(a));
            ys[i] = (int) Math.round(80 + r * Math.sin(a));
        }
        g.fillPolygon(xs, ys, 10);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A two-page A4 PDF with a line of text on each page. */
    private static byte[] tenderDocument() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int page = 1; page <= 2; page++) {
                PDPage p = new PDPage(PDRectangle.A4);
                document.addPage(p);
                try (PDPageContentStream content = new PDPageContentStream(document, p)) {
                    content.beginText();
                    content.setFont(font, 18);
                    content.newLineAtOffset(72, 760);
                    content.showText("Tender document - page " + page);
                    content.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
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
