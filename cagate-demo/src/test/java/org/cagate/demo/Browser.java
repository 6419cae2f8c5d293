package org.cagate.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium through its chromedriver (both from /usr/bin: nothing is downloaded), with a
 * fresh profile, and screenshots of each step under target/screenshots/&lt;set&gt;/.
 */
final class Browser implements AutoCloseable {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final String UNAVAILABLE =
            "chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) are not installed:"
                    + " browser tests skipped";

    private final WebDriver driver;
    private final WebDriverWait wait;
    private final Path screenshots;
    private final String base;
    private final Path profile;
    /** Steps are numbered per set across browsers, so a set's screenshots sort in the order taken. */
    private static final java.util.Map<Path, java.util.concurrent.atomic.AtomicInteger> STEPS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Browser(WebDriver driver, Path screenshots, String base, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        this.screenshots = screenshots;
        this.base = base;
    }

    static boolean available() {
        return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    }

    /** A browser on a fresh profile for the demo; screenshots go to target/screenshots/{set}. */
    static Browser open(Demo demo, String set) throws IOException {
        Path profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
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
                        "--window-size=1280,800",
                        "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        Path shots = Path.of("target", "screenshots", set);
        Files.createDirectories(shots);
        return new Browser(new ChromeDriver(service, options), shots, demo.url(), profile);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a path of the demo, e.g. "/login". */
    void go(String path) {
        driver.get(base + path);
    }

    void waitForPath(String path) {
        wait.until(ExpectedConditions.urlToBe(base + path));
    }

    WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the condition gives something other than null or false. */
    <T> T until(java.util.function.Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id + "\"]");
    }

    WebElement visibleTestId(String id) {
        return visible(testId(id));
    }

    /** Waits until the element shows exactly this text, and returns it. */
    String waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBe(by, text));
        return driver.findElement(by).getText();
    }

    void waitUntilTextContains(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** Fills the 账号登录 tab and submits it. */
    void passwordLogin(String loginName, String password) {
        WebElement form = visible(By.cssSelector("[data-password-login]"));
        form.findElement(By.name("loginName")).sendKeys(loginName);
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** Switches to the CA 登录 tab, picks the provider by its name and types the PIN (does not submit). */
    void fillCaLogin(String providerName, String pin) {
        driver.findElement(By.cssSelector("[data-tab=\"ca\"]")).click();
        WebElement provider = visibleTestId("ca-login-provider");
        // The providers come from GET /api/ca/providers after the page loads.
        wait.until(d -> new Select(provider)
                .getOptions().stream().anyMatch(o -> o.getText().equals(providerName)));
        new Select(provider).selectByVisibleText(providerName);
        WebElement pin2 = driver.findElement(testId("ca-login-pin"));
        pin2.clear();
        pin2.sendKeys(pin);
    }

    /** Saves a PNG of the window as NN-name.png, numbered in the order taken. */
    Path screenshot(String name) {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        int step = STEPS.computeIfAbsent(screenshots, k -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
        Path file = screenshots.resolve(String.format("%02d-%s.png", step, name));
        try {
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a profile left in target/ is harmless
        }
    }
}
