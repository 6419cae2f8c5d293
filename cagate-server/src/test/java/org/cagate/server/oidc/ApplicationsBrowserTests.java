package org.cagate.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.time.Duration;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * 平台运营 › 应用管理 in a real browser: 注册应用 shows the client id and secret once, and that secret is the
 * one the application logs in with; 重置密钥 shows a new one; the application is a tile of 应用中心. Skipped
 * with a message when chromium or chromedriver is missing.
 */
@CagateServerTest
class ApplicationsBrowserTests {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    private WebDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        assumeTrue(
                CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "chromium and chromium-driver are not installed: browser tests skipped");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments(
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void registerThenSecretShownOnceWorksAndResetGivesAnother() {
        TestAccount operator = fixtures.platformAdmin();
        String base = "http://127.0.0.1:" + port;
        String name = "合同管理" + Fixtures.unique().substring(0, 4);
        driver.get(base + "/login");
        WebElement login = driver.findElement(By.cssSelector("[data-password-login]"));
        login.findElement(By.name("loginName")).sendKeys(operator.loginName());
        login.findElement(By.name("password")).sendKeys(operator.password());
        login.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/apps"));

        driver.get(base + "/system/platform/applications");
        driver.findElement(By.cssSelector("[data-app-new]")).click();
        WebElement dialog = driver.findElement(By.cssSelector("[data-app-dialog]"));
        dialog.findElement(By.name("name")).sendKeys(name);
        dialog.findElement(By.name("description")).sendKeys("合同签订与备案");
        dialog.findElement(By.name("homeUrl")).sendKeys("https://rp.example.test/");
        dialog.findElement(By.name("redirectUris")).sendKeys("https://rp.example.test/#fragment");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement error =
                wait.until(ExpectedConditions.visibilityOf(dialog.findElement(By.cssSelector("[data-error]"))));
        assertThat(error.getText()).contains("回调地址");
        dialog.findElement(By.name("redirectUris")).clear();
        dialog.findElement(By.name("redirectUris")).sendKeys(RelyingParty.REDIRECT_URI);
        dialog.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement secretDialog =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-secret-dialog]")));
        String clientId =
                secretDialog.findElement(By.cssSelector("[data-client-id]")).getText();
        String secret =
                secretDialog.findElement(By.cssSelector("[data-client-secret]")).getText();
        assertThat(clientId).startsWith("app-");
        assertThat(secret).hasSizeGreaterThan(30);
        secretDialog.findElement(By.cssSelector("[data-secret-close]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.list"), name));
        assertThat(driver.getPageSource()).doesNotContain(secret);

        // The secret shown is the one the application authenticates with.
        TestAccount user = fixtures.user(fixtures.organization());
        ApiClient browser = ApiClient.on(port).login(user.loginName(), user.password());
        assertThat(browser.get("/apps").body()).contains(name);
        RelyingParty rp = new RelyingParty(port, OidcProviderTests.ISSUER, clientId, secret, clock);
        OidcUser signedIn = rp.signIn(browser, RelyingParty.none());
        assertThat(signedIn.getPreferredUsername()).isEqualTo(user.loginName());

        // 重置密钥: confirmed, a new secret, and the old one no longer works.
        driver.findElement(By.cssSelector("tr[data-app=\"" + clientId + "\"] [data-app-secret]"))
                .click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        WebElement again =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-secret-dialog]")));
        String newSecret =
                again.findElement(By.cssSelector("[data-client-secret]")).getText();
        assertThat(newSecret).isNotEqualTo(secret).hasSizeGreaterThan(30);
        OidcUser withNew = new RelyingParty(port, OidcProviderTests.ISSUER, clientId, newSecret, clock)
                .signIn(browser, RelyingParty.none());
        assertThat(withNew.getSubject()).isEqualTo(String.valueOf(user.id()));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> rp.signIn(browser, RelyingParty.none())))
                .hasMessageContaining("invalid_client");
    }
}
