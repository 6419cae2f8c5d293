package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.driver.LocalAgent;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * CA 检测 in a real browser (Debian's headless chromium) with a real agent: every outcome the page
 * tells apart and what it tells the user to do. Chromium reaches the server as {@value LocalAgent#ORIGIN}
 * (a host-resolver rule maps the name to the test server's port), which is the platform origin the
 * agent allows and the challenges name. Skipped with a message when chromium or chromedriver is missing.
 */
@CagateServerTest
class CaCheckBrowserTests extends LocalAgentServerTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        assumeTrue(
                CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "chromium and chromium-driver are not installed: browser tests skipped");
        ensureWorld();
        agent().start();
        agent().writeZip(agent().version());
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--lang=zh-CN",
                        "--host-resolver-rules=MAP cagate.test 127.0.0.1:" + port,
                        // As the platform is in production (https): a secure context, where Chrome's
                        // local-network permission exists and the page can read it.
                        "--unsafely-treat-insecure-origin-as-secure=" + LocalAgent.ORIGIN);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        agent().start();
        agent().writeZip(agent().version());
    }

    private void open() {
        browser.get(LocalAgent.ORIGIN + "/ca-check?provider=" + LocalAgent.SCCA);
    }

    /** The row once its check has finished: data-state ok, warn, fail or skip. */
    private WebElement row(String check) {
        By by = By.cssSelector("[data-check=\"" + check + "\"]");
        wait.until(d -> !d.findElement(by).getAttribute("data-state").equals("wait"));
        return browser.findElement(by);
    }

    private static String state(WebElement row) {
        return row.getAttribute("data-state");
    }

    private void pinCheck(String pin) {
        WebElement field = wait.until(d -> {
            WebElement input = d.findElement(By.cssSelector("[data-testid=check-pin]"));
            return input.isDisplayed() ? input : null;
        });
        field.sendKeys(pin);
        browser.findElement(By.cssSelector("[data-testid=check-pin-submit]")).click();
    }

    private Credential valid(String name) {
        return agent().ca(LocalAgent.SCCA).user(name).issue();
    }

    /** Sets Chrome's local-network permission of the platform's origin, as the user answered its prompt. */
    private void localNetwork(String setting) {
        int set = 0;
        String failure = null;
        // Chrome has called it local-network-access, and then local-network and loopback-network.
        for (String name : new String[] {"local-network-access", "local-network", "loopback-network"}) {
            try {
                browser.executeCdpCommand(
                        "Browser.setPermission",
                        Map.of("permission", Map.of("name", name), "setting", setting, "origin", LocalAgent.ORIGIN));
                set++;
            } catch (WebDriverException e) {
                failure = e.getMessage();
            }
        }
        assumeTrue(set > 0, "this chromium has no local-network permission: " + failure);
    }

    @Test
    void checkWhenAgentStoppedThenNoDriverWithDownloadLinkAndTheBrowserPromptExplained() {
        agent().stop();
        localNetwork("granted");

        open();

        WebElement agentRow = row("agent");
        assertThat(state(agentRow)).isEqualTo("fail");
        assertThat(agentRow.getText()).contains("CA 检测失败，未检测到驱动", "启动服务", "访问本地网络上的设备", "允许");
        WebElement download = agentRow.findElement(By.cssSelector("[data-testid=check-download]"));
        assertThat(download.getText()).isEqualTo("下载驱动");
        assertThat(download.getAttribute("href")).isEqualTo(LocalAgent.ORIGIN + "/drivers?provider=" + LocalAgent.SCCA);
        for (String later : new String[] {"version", "provider", "token", "certificates", "binding"}) {
            assertThat(state(row(later))).as(later).isEqualTo("skip");
        }
    }

    @Test
    void checkWhenBrowserDeniesLocalNetworkAccessThenSaysHowToAllowIt() {
        agent().stop();
        localNetwork("denied");

        open();

        WebElement agentRow = row("agent");
        assertThat(state(agentRow)).isEqualTo("fail");
        assertThat(agentRow.getText()).contains("浏览器已禁止本网站访问本机的 CA 驱动", "网站设置", "允许");
    }

    @Test
    void checkWhenAgentOlderThanOfferedThenWarnsWithTheNewPackageAndGoesOn() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("西子"));
        agent().writeZip("99.0.0");

        open();

        WebElement version = row("version");
        assertThat(state(version)).isEqualTo("warn");
        assertThat(version.getText()).contains(agent().version(), "低于平台提供的最新版本 99.0.0", "下载最新驱动");
        assertThat(version.findElement(By.cssSelector("a")).getAttribute("href"))
                .isEqualTo(LocalAgent.ORIGIN + "/drivers/agent/cagate-agent-99.0.0.zip");
        assertThat(state(row("agent"))).isEqualTo("ok");
        assertThat(state(row("token"))).isEqualTo("ok");
    }

    @Test
    void checkWhenAgentCurrentAndKeyInsertedThenPassesUpToThePinCheck() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("西子"));

        open();

        assertThat(state(row("agent"))).isEqualTo("ok");
        assertThat(row("version").getText()).contains("已是最新版本");
        assertThat(state(row("version"))).isEqualTo("ok");
        assertThat(row("provider").getText()).contains("四川CA", "青海CA");
        assertThat(state(row("token"))).isEqualTo("ok");
        // PKCS#12 files keep their certificates encrypted: they are read with the PIN.
        assertThat(row("certificates").getText()).contains("需验证 PIN 码后才能读取");
        assertThat(browser.findElement(By.cssSelector("[data-testid=check-pin]")).isDisplayed()).isTrue();
    }

    @Test
    void checkWhenNoKeyThenNoKeyDiskAndWhatToDo() throws Exception {
        agent().removeKeys(LocalAgent.SCCA);

        open();

        WebElement token = row("token");
        assertThat(state(token)).isEqualTo("fail");
        assertThat(token.getText()).contains("未检测到密钥盘", "请插入该 CA 服务商的 CA 锁", "下载驱动");
        assertThat(state(row("certificates"))).isEqualTo("skip");
        assertThat(state(row("binding"))).isEqualTo("skip");
        assertThat(browser.findElement(By.cssSelector("[data-testid=check-pin]")).isDisplayed()).isFalse();
    }

    @Test
    void checkWhenCertificateExpiredThenSaysSoAfterThePin() throws Exception {
        Instant now = Instant.now();
        agent().insertKey(
                LocalAgent.SCCA,
                agent().ca(LocalAgent.SCCA)
                        .user("西子")
                        .notBefore(now.minus(Duration.ofDays(400)))
                        .notAfter(now.minus(Duration.ofDays(5)))
                        .issue());
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = row("binding");
        WebElement certificates = row("certificates");
        assertThat(state(certificates)).isEqualTo("fail");
        assertThat(certificates.getText()).contains("CA 证书已过期", "请联系 CA 服务商更新证书");
        assertThat(browser.findElement(By.cssSelector("[data-testid=check-certificate]")).getText())
                .contains("已过期", "-5");
        assertThat(state(binding)).isEqualTo("fail");
    }

    @Test
    void checkWhenCertificateOfAnotherCaThenUntrustedAndBindingUnknown() throws Exception {
        agent().insertKey(LocalAgent.SCCA, agent().stranger().user("西子").issue());
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = row("binding");
        assertThat(state(binding)).isEqualTo("fail");
        assertThat(binding.getText()).contains("证书不受所选 CA 服务商信任，无法确认绑定状态", "CA 服务商与 CA 锁的签发机构一致");
        assertThat(state(row("certificates"))).isEqualTo("fail");
        assertThat(row("certificates").getText()).contains("该证书不是所选 CA 服务商签发的");
    }

    @Test
    void checkWhenKeyNotBoundThenSaysHowToBindIt() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("东子"));
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = row("binding");
        assertThat(state(binding)).isEqualTo("fail");
        assertThat(binding.getText()).contains("该 CA 证书尚未绑定平台账号", "CA绑定与解绑", "绑定CA", "去登录");
        assertThat(state(row("certificates"))).isEqualTo("ok");
        assertThat(row("certificates").getText()).contains("证书有效，受 CA 服务商信任");
        assertThat(browser.findElement(By.cssSelector("[data-testid=check-pin]")).getAttribute("value")).isEmpty();
    }

    @Test
    void checkWhenKeyBoundThenNamesTheAccountAndLoginWorks() throws Exception {
        Credential credential = valid("西子");
        Fixtures.TestAccount account = fixtures.account(sichuanOrganization(), "USER");
        CaTestKit.bind(ApiClient.on(port).login(account.loginName(), account.password()), LocalAgent.SCCA, credential,
                account.id());
        agent().insertKey(LocalAgent.SCCA, credential);
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = row("binding");
        assertThat(state(binding)).as(binding.getText()).isEqualTo("ok");
        assertThat(binding.getText())
                .contains("该 CA 锁已绑定账号 " + account.displayName() + "（" + account.loginName() + "），可以使用 CA 登录");
        assertThat(browser.manage().getCookieNamed("SESSION")).as("the check logs nobody in").isNull();
    }

    @Test
    void checkWhenPinWrongThenTheAgentsMessageAndNoResult() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("西子"));
        open();

        pinCheck("00000000");

        WebElement error = wait.until(d -> {
            WebElement box = d.findElement(By.cssSelector("[data-testid=check-pin-error]"));
            return box.isDisplayed() ? box : null;
        });
        assertThat(error.getText()).isEqualTo("PIN 码错误，请重新输入");
        assertThat(state(row("binding"))).isEqualTo("skip");
    }
}
