package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.server.cacheck.CheckBrowser.advice;
import static org.cagate.server.cacheck.CheckBrowser.message;
import static org.cagate.server.cacheck.CheckBrowser.state;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.driver.LocalAgent;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * CA 检测 in a real browser with a real agent: every outcome the page tells apart, each asserted by the
 * Chinese text the user reads and the next step it gives (with the download link where that helps). One
 * browser and the JVM's one agent serve every test; each test puts the agent back (running, the offered
 * zip of its own version). Skipped with a message when chromium or chromedriver is missing.
 */
@CagateServerTest
class CaCheckBrowserTests extends CheckBrowserTest {

    @AfterEach
    void agentBackAsItWas() throws Exception {
        agent().start();
        agent().writeZip(agent().version());
    }

    private void open() {
        browser.open("/ca-check?provider=" + LocalAgent.SCCA);
    }

    private void pinCheck(String pin) {
        browser.visible("check-pin").sendKeys(pin);
        browser.driver().findElement(CheckBrowser.testId("check-pin-submit")).click();
    }

    private Credential valid(String name) {
        return agent().ca(LocalAgent.SCCA).user(name).issue();
    }

    private static WebElement link(WebElement row) {
        return row.findElement(By.cssSelector(".advice a"));
    }

    @Test
    void checkWhenAgentStoppedThenNoDriverWithDownloadLinkAndAfterStartingItPasses() throws Exception {
        agent().stop();

        open();

        WebElement agentRow = browser.row("agent");
        assertThat(state(agentRow)).isEqualTo("fail");
        assertThat(message(agentRow)).isEqualTo("CA 检测失败，未检测到驱动。");
        assertThat(advice(agentRow))
                .startsWith("请下载并安装驱动（证书驱动＋签章服务），启动服务后点击“重新检测”。")
                .contains("访问本地网络上的设备", "请选择“允许”")
                .doesNotContain("https");
        WebElement download = agentRow.findElement(CheckBrowser.testId("check-download"));
        assertThat(download.getText()).isEqualTo("下载驱动");
        assertThat(download.getDomProperty("href"))
                .isEqualTo(LocalAgent.ORIGIN + "/drivers?provider=" + LocalAgent.SCCA);
        for (String later : new String[] {"version", "provider", "token", "certificates", "binding"}) {
            assertThat(state(browser.row(later))).as(later).isEqualTo("skip");
            assertThat(message(browser.row(later))).as(later).isEqualTo("需先检测到 CA 驱动。");
        }
        assertThat(browser.shown("check-pin")).isFalse();
        browser.screenshot("agent-stopped");

        // 下载驱动 leads to the chosen provider's driver; once the agent runs, 重新检测 finds it.
        download.click();
        assertThat(browser.visible("drivers-chosen").getText()).contains("以下为 四川CA 的驱动");
        assertThat(browser.visible("drivers-page").getText()).contains("立即下载");
        agent().start();
        browser.driver().navigate().back();
        browser.visible("check-run").click();
        assertThat(state(browser.row("agent"))).isEqualTo("ok");
        assertThat(message(browser.row("agent"))).isEqualTo("CA 驱动正在运行。");
    }

    @Test
    void checkWhenBrowserDeniesLocalNetworkAccessThenSaysHowToAllowIt() {
        agent().stop();
        String unsupported = browser.localNetwork("denied");
        assumeTrue(unsupported == null, unsupported);

        open();

        WebElement agentRow = browser.row("agent");
        assertThat(state(agentRow)).isEqualTo("fail");
        assertThat(message(agentRow)).isEqualTo("浏览器已禁止本网站访问本机的 CA 驱动。");
        assertThat(advice(agentRow)).isEqualTo("请点击地址栏左侧的网站信息图标，打开“网站设置”，把“本地网络访问”（访问本地网络上的设备）改为“允许”，然后刷新本页面。");
        browser.screenshot("local-network-denied");
    }

    @Test
    void checkWhenAgentOlderThanOfferedThenWarnsWithTheNewPackageAndGoesOn() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("西子"));
        agent().writeZip("99.0.0");

        open();

        WebElement version = browser.row("version");
        assertThat(state(version)).isEqualTo("warn");
        assertThat(message(version)).isEqualTo("请更新驱动：驱动版本 " + agent().version() + " 低于平台提供的最新版本 99.0.0。");
        assertThat(advice(version)).startsWith("请下载最新版本的驱动并安装（原有的不用卸载），重新启动驱动后再检测。");
        assertThat(link(version).getText()).isEqualTo("下载最新驱动");
        assertThat(link(version).getDomProperty("href"))
                .isEqualTo(LocalAgent.ORIGIN + "/drivers/agent/cagate-agent-99.0.0.zip");
        assertThat(state(browser.row("agent"))).isEqualTo("ok");
        assertThat(state(browser.row("provider"))).isEqualTo("ok");
        assertThat(state(browser.row("token"))).isEqualTo("ok");
        browser.screenshot("agent-outdated");
    }

    @Test
    void checkWhenAgentCurrentAndKeyInsertedThenPassesUpToThePinCheck() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("西子"));

        open();

        assertThat(message(browser.row("agent"))).isEqualTo("CA 驱动正在运行。");
        assertThat(state(browser.row("version"))).isEqualTo("ok");
        assertThat(message(browser.row("version"))).isEqualTo("驱动版本 " + agent().version() + "，已是最新版本。");
        assertThat(state(browser.row("provider"))).isEqualTo("ok");
        assertThat(message(browser.row("provider"))).isEqualTo("本机驱动支持所选的 CA 服务商（已配置：四川CA、青海CA）。");
        assertThat(state(browser.row("token"))).isEqualTo("ok");
        assertThat(message(browser.row("token"))).isEqualTo("已检测到 CA 锁。");
        // PKCS#12 files keep their certificates encrypted: they are read with the PIN.
        assertThat(state(browser.row("certificates"))).isEqualTo("skip");
        assertThat(message(browser.row("certificates"))).isEqualTo("CA 锁上的证书需验证 PIN 码后才能读取，请在下方输入 PIN 码。");
        assertThat(message(browser.row("binding"))).isEqualTo("输入 PIN 码验证后显示。");
        assertThat(browser.visible("check-pin").isDisplayed()).isTrue();
    }

    @Test
    void checkWhenNoKeyThenNoKeyDiskAndWhatToDo() throws Exception {
        agent().removeKeys(LocalAgent.SCCA);

        open();

        WebElement token = browser.row("token");
        assertThat(state(token)).isEqualTo("fail");
        assertThat(message(token)).isEqualTo("未检测到密钥盘。");
        assertThat(advice(token)).startsWith("请插入该 CA 服务商的 CA 锁（USB 密钥）；已插入的，请拔出后重新插入，或重新安装该 CA 服务商的驱动后再检测。");
        assertThat(link(token).getText()).isEqualTo("下载驱动");
        assertThat(link(token).getDomProperty("href"))
                .isEqualTo(LocalAgent.ORIGIN + "/drivers?provider=" + LocalAgent.SCCA);
        assertThat(state(browser.row("certificates"))).isEqualTo("skip");
        assertThat(message(browser.row("binding"))).isEqualTo("请先解决上面的问题。");
        assertThat(browser.shown("check-pin")).isFalse();
        browser.screenshot("no-key");
    }

    @Test
    void checkWhenCertificateExpiredThenSaysSoAndToRenewBeforeBinding() throws Exception {
        Instant now = Instant.now();
        agent().insertKey(
                        LocalAgent.SCCA,
                        agent().ca(LocalAgent.SCCA)
                                .user("西子")
                                .notBefore(now.minus(Duration.ofDays(400)))
                                .notAfter(now.minus(Duration.ofDays(5)).minus(Duration.ofHours(1)))
                                .issue());
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = browser.row("binding");
        WebElement certificates = browser.row("certificates");
        assertThat(state(certificates)).isEqualTo("fail");
        assertThat(message(certificates)).isEqualTo("CA 证书已过期，请联系 CA 服务商更新证书。");
        assertThat(advice(certificates)).isEqualTo("请联系 CA 服务商更新证书。");
        assertThat(browser.visible("check-certificate").getText()).contains("CN=西子", "-5", "已过期", "是");
        assertThat(state(binding)).isEqualTo("fail");
        assertThat(message(binding)).isEqualTo("该 CA 证书尚未绑定平台账号，请先使用账号密码登录并绑定。");
        assertThat(advice(binding)).isEqualTo("这张证书目前不能绑定，请先按“证书”一栏的提示处理，再绑定。");
        assertThat(binding.findElements(By.cssSelector("a"))).isEmpty();
        browser.screenshot("certificate-expired");
    }

    @Test
    void checkWhenCertificateOfAnotherCaThenUntrustedAndBindingUnknown() throws Exception {
        agent().insertKey(LocalAgent.SCCA, agent().stranger().user("西子").issue());
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = browser.row("binding");
        assertThat(state(binding)).isEqualTo("fail");
        assertThat(message(binding)).isEqualTo("证书不受所选 CA 服务商信任，无法确认绑定状态。");
        assertThat(advice(binding)).isEqualTo("请确认选择的 CA 服务商与 CA 锁的签发机构一致；一致仍不受信任时，请联系 CA 服务商。");
        WebElement certificates = browser.row("certificates");
        assertThat(state(certificates)).isEqualTo("fail");
        assertThat(message(certificates)).isEqualTo("该证书不是所选 CA 服务商签发的。");
        assertThat(advice(certificates)).isEqualTo("请确认选择的 CA 服务商与 CA 锁的签发机构一致；一致仍不受信任时，请联系 CA 服务商。");
        assertThat(browser.visible("check-certificate").getText()).contains("CN=西子", "否");
        browser.screenshot("certificate-untrusted");
    }

    @Test
    void checkWhenKeyNotBoundThenSaysHowToBindIt() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("东子"));
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = browser.row("binding");
        assertThat(state(binding)).isEqualTo("fail");
        assertThat(message(binding)).isEqualTo("该 CA 证书尚未绑定平台账号，请先使用账号密码登录并绑定。");
        assertThat(advice(binding)).startsWith("请先使用账号密码登录，在“系统管理 › CA管理 › CA绑定与解绑”中点击“绑定CA”绑定这把 CA 锁。");
        assertThat(link(binding).getText()).isEqualTo("去登录");
        assertThat(link(binding).getDomProperty("href")).isEqualTo(LocalAgent.ORIGIN + "/login");
        WebElement certificates = browser.row("certificates");
        assertThat(state(certificates)).isEqualTo("ok");
        assertThat(message(certificates)).startsWith("证书有效，受 CA 服务商信任（有效期至 ").contains("还有 ");
        assertThat(browser.driver()
                        .findElement(CheckBrowser.testId("check-pin"))
                        .getDomProperty("value"))
                .isEmpty();
        browser.screenshot("key-not-bound");
    }

    @Test
    void checkWhenKeyBoundThenNamesTheAccountAndLogsNobodyIn() throws Exception {
        Credential credential = valid("西子");
        Fixtures.TestAccount account = fixtures.account(sichuanOrganization(), "USER");
        CaTestKit.bind(
                ApiClient.on(port).login(account.loginName(), account.password()),
                LocalAgent.SCCA,
                credential,
                account.id());
        agent().insertKey(LocalAgent.SCCA, credential);
        open();

        pinCheck(LocalAgent.PIN);

        WebElement binding = browser.row("binding");
        assertThat(state(binding)).as(binding.getText()).isEqualTo("ok");
        assertThat(message(binding))
                .isEqualTo("该 CA 锁已绑定账号 " + account.displayName() + "（" + account.loginName() + "），可以使用 CA 登录。");
        assertThat(advice(binding)).isEmpty();
        assertThat(state(browser.row("certificates"))).isEqualTo("ok");
        assertThat(browser.driver().manage().getCookieNamed("SESSION"))
                .as("the check logs nobody in")
                .isNull();
        browser.screenshot("key-bound");
    }

    @Test
    void checkWhenPinWrongThenTheAgentsMessageAndNoResult() throws Exception {
        agent().insertKey(LocalAgent.SCCA, valid("西子"));
        open();

        pinCheck("00000000");

        assertThat(browser.visible("check-pin-error").getText()).isEqualTo("PIN 码错误，请重新输入");
        assertThat(state(browser.row("binding"))).isEqualTo("skip");
        assertThat(message(browser.row("binding"))).isEqualTo("输入 PIN 码验证后显示。");
        assertThat(browser.driver()
                        .findElement(CheckBrowser.testId("check-pin"))
                        .getDomProperty("value"))
                .isEmpty();
    }
}
