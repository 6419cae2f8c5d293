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

    @Test
    void downloadCentreWhenDebianPackageBuiltThenItsRowWithPlatformVersionSizeAndChecksumOfTheDownload(Demo demo)
            throws Exception {
        assumeTrue(
                Demo.agentDeb().isPresent(),
                "cagate-agent/target/cagate-agent_*_amd64.deb is not built (mvn -Pdeb package): test skipped");
        HttpClient http = HttpClient.newHttpClient();
        String version = AgentCalls.JSON
                .readTree(http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + demo.agentPort() + "/v1/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .path("version")
                .asString();

        try (Browser browser = Browser.open(demo, "drivers")) {
            browser.go("/drivers?provider=ZJHX");
            WebElement deb = browser.driver().findElements(Browser.testId("driver-package")).stream()
                    .filter(row -> row.findElements(Browser.testId("driver-platform")).stream()
                            .anyMatch(p -> p.getText().contains("统信 UOS")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no row for the Debian package"));
            assertThat(deb.getText()).contains("Debian / 统信 UOS / 银河麒麟", "无需安装 Java", "更新日期", "立即下载");
            // The package is the agent the demo runs: the same version as its /v1/status.
            assertThat(deb.findElement(Browser.testId("driver-version")).getText())
                    .isEqualTo(version);
            String href = deb.findElement(Browser.testId("driver-download")).getAttribute("href");
            assertThat(href).endsWith("_amd64.deb");
            browser.screenshot("drivers-deb");

            HttpResponse<byte[]> download = http.send(
                    HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValue("Content-Type")).hasValue("application/vnd.debian.binary-package");
            assertThat(deb.findElement(Browser.testId("driver-sha256")).getText())
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())));
            assertThat(deb.findElement(Browser.testId("driver-size")).getText())
                    .isEqualTo(
                            String.format(java.util.Locale.ROOT, "%.1f MB", download.body().length / (1024.0 * 1024)));
            // dpkg reads it, and its configuration allows the demo's pages (the download centre wrote them in).
            java.nio.file.Path file = java.nio.file.Files.createTempFile("cagate-agent", ".deb");
            try {
                java.nio.file.Files.write(file, download.body());
                Process conf = new ProcessBuilder(
                                "bash",
                                "-c",
                                "set -o pipefail; dpkg-deb --fsys-tarfile " + file
                                        + " | tar -xO ./etc/cagate-agent/cagate-agent.properties")
                        .start();
                String text = new String(conf.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(conf.waitFor()).isZero();
                assertThat(text).contains("agent.allowedOrigins=" + demo.url() + "\n");
            } finally {
                java.nio.file.Files.delete(file);
            }
        }
    }
}
