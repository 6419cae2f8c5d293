package org.cagate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The seed's §1 step 6: without the driver, the bind dialog says "CA 检测失败，未检测到驱动" and links to
 * 客户端&驱动下载, which offers the chosen provider's driver (the demo serves the agent's zip for every
 * provider) grouped by region, 四川省 and 青海省 among them.
 */
@ExtendWith(SharedDemo.class)
class DriverDownloadTests {

    @BeforeEach
    void needsBrowser() {
        assumeTrue(Browser.available(), Browser.UNAVAILABLE);
    }

    @Test
    void bindWhenAgentStoppedThenDialogSaysDriverMissingAndLinksToTheProvidersDriver(Demo demo) throws Exception {
        demo.stopAgent();
        try (Browser browser = Browser.open(demo, "drivers")) {
            browser.go("/login");
            browser.passwordLogin(DemoData.XIZI.loginName(), DemoData.XIZI.password());
            browser.waitForPath("/apps");
            browser.go("/system/ca/bindings");
            browser.visibleTestId("bind-open").click();
            WebElement dialog = browser.visibleTestId("bind-dialog");
            new Select(dialog.findElement(Browser.testId("bind-provider"))).selectByVisibleText(DemoData.SCCA.name());
            dialog.findElement(Browser.testId("bind-pin")).sendKeys(DemoData.PIN);
            dialog.findElement(Browser.testId("bind-submit")).click();
            WebElement missing = browser.visibleTestId("bind-driver-missing");
            assertThat(missing.getText()).startsWith("CA 检测失败，未检测到驱动");
            assertThat(missing.findElement(Browser.testId("bind-error-download"))
                            .getAttribute("href"))
                    .isEqualTo(demo.url() + "/drivers?provider=SCCA");
            // The dialog's own 下载驱动 points at the chosen provider's driver too.
            assertThat(dialog.findElement(Browser.testId("bind-download")).getAttribute("href"))
                    .isEqualTo(demo.url() + "/drivers?provider=SCCA");
            browser.screenshot("bind-driver-missing");
        } finally {
            demo.startAgent();
        }
    }

    @Test
    void downloadCentreWhenOpenedForAProviderThenItsDriverByRegionWithChecksum(Demo demo) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> drivers = http.send(
                HttpRequest.newBuilder(URI.create(demo.url() + "/api/drivers")).build(),
                HttpResponse.BodyHandlers.ofString());
        assumeTrue(
                drivers.statusCode() == 200,
                "客户端&驱动下载 (GET /api/drivers) is not in this server build: download centre test skipped");
        assumeTrue(
                Demo.agentZip().isPresent(),
                "cagate-agent/target/cagate-agent-*.zip is not built: the demo offers no driver; test skipped");
        JsonNode regions = AgentCalls.JSON.readTree(drivers.body());
        assertThat(regions)
                .extracting(r -> r.path("region").path("name").asString())
                .contains("培训省本级", "四川省", "青海省");

        try (Browser browser = Browser.open(demo, "drivers")) {
            browser.go("/drivers?provider=SCCA");
            List<WebElement> groups = browser.driver().findElements(Browser.testId("driver-region"));
            assertThat(groups)
                    .extracting(WebElement::getText)
                    .anySatisfy(text -> assertThat(text).contains("四川省", "最近更新日期", "四川CA", "立即下载"));
            browser.screenshot("drivers-scca");
            browser.go("/drivers");
            assertThat(browser.visibleTestId("drivers-page").getText()).contains("四川省", "青海省");
            // Suppliers see a release version (issue 16): digits and dots, no "-SNAPSHOT".
            assertThat(browser.driver().findElements(Browser.testId("driver-version")))
                    .isNotEmpty()
                    .extracting(WebElement::getText)
                    .allMatch(version -> version.matches("\\d+(\\.\\d+)+"), "a release version");
            WebElement download = browser.driver().findElement(By.cssSelector("[data-testid=\"driver-download\"]"));
            browser.screenshot("drivers-all");

            // 立即下载 gives the agent's zip, whose SHA-256 is the one the page shows.
            HttpResponse<byte[]> zip = http.send(
                    HttpRequest.newBuilder(URI.create(download.getAttribute("href")))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zip.statusCode()).isEqualTo(200);
            String sha256 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(zip.body()));
            assertThat(browser.driver().findElements(Browser.testId("driver-sha256")))
                    .extracting(WebElement::getText)
                    .contains(sha256);
        }
    }
}
