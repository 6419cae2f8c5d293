package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.time.Duration;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
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

/**
 * The seed's steps 1–3 in a real browser (Debian's headless chromium): 账号登录 → 应用中心 → 系统管理,
 * then 员工管理's dialog and 退出, so the pages' scripts (CSRF header, problem details) are exercised.
 * Skipped with a message when chromium or chromedriver is missing.
 */
@CagateServerTest
class BrowserFlowTests {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

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
    void seedStepsWhenOrgAdminLogsInThenAppsSystemStaffAndLogout() {
        Fixtures.Org org = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(org);
        String base = "http://127.0.0.1:" + port;

        driver.get(base + "/login");
        login(admin.loginName(), "Wrong-Pass-1");
        WebElement error = wait.until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-password-login] [data-error]")));
        assertThat(error.getText()).isEqualTo("账号或密码错误，请重新输入。");

        login(admin.loginName(), admin.password());
        wait.until(ExpectedConditions.urlToBe(base + "/apps"));
        driver.findElement(By.cssSelector("a.tile[href=\"/system\"]")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/system/profile"));
        assertThat(driver.findElement(By.cssSelector("header")).getText())
                .contains("政府采购云平台", "系统管理", org.regionName(), admin.displayName(), org.name(), "退出");

        driver.findElement(By.linkText("员工管理")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/system/staff"));
        String loginName = "PGHS" + Fixtures.unique();
        driver.findElement(By.cssSelector("[data-account-new]")).click();
        WebElement dialog = driver.findElement(By.cssSelector("[data-account-dialog]"));
        dialog.findElement(By.name("loginName")).sendKeys(loginName);
        dialog.findElement(By.name("displayName")).sendKeys("东子");
        dialog.findElement(By.name("password")).sendKeys("abcdefgh");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement dialogError =
                wait.until(ExpectedConditions.visibilityOf(dialog.findElement(By.cssSelector("[data-error]"))));
        assertThat(dialogError.getText()).isEqualTo("密码须包含小写字母、大写字母、数字和符号中的至少三类。");

        dialog.findElement(By.name("password")).clear();
        dialog.findElement(By.name("password")).sendKeys("Dongzi-Trade-2021!");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.list"), loginName));

        driver.findElement(By.cssSelector("[data-logout]")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/login"));
    }

    private void login(String loginName, String password) {
        WebElement form = driver.findElement(By.cssSelector("[data-password-login]"));
        form.findElement(By.name("loginName")).clear();
        form.findElement(By.name("loginName")).sendKeys(loginName);
        form.findElement(By.name("password")).clear();
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }
}
