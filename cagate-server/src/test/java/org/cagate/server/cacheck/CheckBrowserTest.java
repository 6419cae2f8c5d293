package org.cagate.server.cacheck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.cagate.server.driver.LocalAgentServerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The browser tests of CA 检测: the download-centre world, the JVM's one agent, and one browser per test
 * class for the test server, reset before each test and closed after the class. Skipped with a message when
 * chromium or chromedriver is missing.
 */
abstract class CheckBrowserTest extends LocalAgentServerTest {

    protected static CheckBrowser browser;

    @BeforeEach
    void browserReady() throws Exception {
        assumeTrue(CheckBrowser.available(), CheckBrowser.UNAVAILABLE);
        ensureWorld();
        if (browser == null) {
            browser = CheckBrowser.start(port);
        }
        browser.reset();
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
