package org.cagate.server.cacheck;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.cagate.server.driver.LocalAgent;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium (through its chromedriver; nothing is downloaded) for the CA 检测 browser
 * tests: one per test class, reset between tests (cookies, permissions) rather than restarted. It reaches
 * the test server as {@value LocalAgent#ORIGIN} (a host-resolver rule maps the name to the server's port),
 * the platform origin the agent allows and the challenges name, and treats that origin as secure, as the
 * platform is in production (https), so Chrome's local-network permission exists there. Screenshots go to
 * {@code target/screenshots/ca-check/}, numbered in the order taken.
 */
final class CheckBrowser implements AutoCloseable {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final String UNAVAILABLE = "chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) are"
            + " not installed: browser tests skipped";

    private static final Path SCREENSHOTS = Path.of("target", "screenshots", "ca-check");
    private static final AtomicInteger SHOTS = new AtomicInteger();

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    private CheckBrowser(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    static boolean available() {
        return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    }

    /** A browser for the test server on this port. */
    static CheckBrowser start(int port) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--lang=zh-CN",
                        "--window-size=1280,1000",
                        "--host-resolver-rules=MAP cagate.test 127.0.0.1:" + port,
                        "--unsafely-treat-insecure-origin-as-secure=" + LocalAgent.ORIGIN);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        return new CheckBrowser(new ChromeDriver(service, options));
    }

    WebDriver driver() {
        return driver;
    }

    /** As a fresh browser: no page, no cookies, no permission answered. */
    void reset() {
        driver.get("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Browser.resetPermissions", Map.of());
    }

    /** Opens a path of the platform, e.g. "/ca-check?provider=SCCA". */
    void open(String path) {
        driver.get(LocalAgent.ORIGIN + path);
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    /** Waits until the element is shown, and returns it. */
    WebElement visible(String testId) {
        return wait.until(d -> {
            WebElement element = d.findElement(testId(testId));
            return element.isDisplayed() ? element : null;
        });
    }

    boolean shown(String testId) {
        return driver.findElement(testId(testId)).isDisplayed();
    }

    /** Waits until the condition gives something other than null or false. */
    <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** A CA 检测 row once its check has finished (data-state ok, warn, fail or skip). */
    WebElement row(String check) {
        By by = By.cssSelector("[data-check=\"" + check + "\"]");
        wait.until(d -> !"wait".equals(d.findElement(by).getDomAttribute("data-state")));
        return driver.findElement(by);
    }

    static String state(WebElement row) {
        return row.getDomAttribute("data-state");
    }

    static String message(WebElement row) {
        return row.findElement(By.cssSelector(".message")).getText();
    }

    static String advice(WebElement row) {
        return row.findElement(By.cssSelector(".advice")).getText();
    }

    /** Picks an option by its value once the page's script has added it. */
    void choose(String testId, String value) {
        WebElement select = visible(testId);
        wait.until(d -> !select.findElements(By.cssSelector("option[value=\"" + value + "\"]"))
                .isEmpty());
        new Select(select).selectByValue(value);
    }

    /** Fills the 账号登录 tab and waits for 应用中心. */
    void passwordLogin(String loginName, String password) {
        open("/login");
        WebElement form = driver.findElement(By.cssSelector("[data-password-login]"));
        form.findElement(By.name("loginName")).sendKeys(loginName);
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().equals(LocalAgent.ORIGIN + "/apps"));
    }

    /**
     * Sets Chrome's local-network permission of the platform's origin, as the user answered its prompt.
     *
     * @return null when set, else why this chromium could not
     */
    String localNetwork(String setting) {
        int set = 0;
        String failure = null;
        // Chrome has called it local-network-access, and then local-network and loopback-network.
        for (String name : new String[] {"local-network-access", "local-network", "loopback-network"}) {
            try {
                driver.executeCdpCommand(
                        "Browser.setPermission",
                        Map.of("permission", Map.of("name", name), "setting", setting, "origin", LocalAgent.ORIGIN));
                set++;
            } catch (WebDriverException e) {
                failure = e.getMessage();
            }
        }
        return set > 0 ? null : "this chromium has no local-network permission: " + failure;
    }

    /** Saves a PNG of the window as NN-name.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(String.format("%02d-%s.png", SHOTS.incrementAndGet(), name));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
