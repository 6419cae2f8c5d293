package org.cagate.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The base of every server test that needs the running server and a database: the whole
 * application on an ephemeral port of 127.0.0.1, a fresh database per Spring context (an H2
 * in-memory database, or a fresh schema of {@code CAGATE_TEST_PG_URL} when the build's second
 * surefire run sets {@code -Dcagate.test.db=postgresql}), a {@link TestClock}, {@link Fixtures} and
 * {@link ApiClient}. All tests with this annotation share one context per database run, so a test
 * makes its own data (fixtures use unique names) and never truncates tables.
 *
 * <pre>{@code @CagateServerTest
 * class BindingTests {
 *     @Autowired Fixtures fixtures;
 *     @LocalServerPort int port;
 *     ...
 * }}</pre>
 *
 * Test settings: bcrypt cost 4; a login name waits 1 minute, doubling up to 10, after 4 wrong passwords
 * from one address or 10 from its unusual addresses together; 20 password attempts per IP a minute; no scheduled CA expiry summary; each {@link ApiClient} has its own
 * client IP (X-Forwarded-For from loopback, honoured because the tests enable forward headers), so
 * per-IP limits do not leak between tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("db")
@ExtendWith(TestDatabaseCondition.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "server.forward-headers-strategy=native",
            "spring.main.banner-mode=off",
            "cagate.public-origin=https://platform.example.gov.cn",
            "cagate.bootstrap.admin.login-name=" + Fixtures.BOOTSTRAP_LOGIN,
            "cagate.bootstrap.admin.password=" + Fixtures.BOOTSTRAP_PASSWORD,
            "cagate.auth.bcrypt-strength=4",
            "cagate.auth.address-failures=4",
            "cagate.auth.name-failures=10",
            "cagate.auth.first-delay=1m",
            "cagate.auth.max-delay=10m",
            "cagate.auth.per-ip-limit=20",
            "cagate.auth.per-ip-window=1m",
            "cagate.throttle.cleanup-interval=PT1H",
            // The daily CA expiry summary runs only when a test calls it (ExpirySummaryTests), never on
            // the wall clock's hour in the middle of another test.
            "cagate.ca.expiry-summary-cron=-",
            "spring.datasource.hikari.maximum-pool-size=8",
            "spring.datasource.hikari.minimum-idle=1",
            "spring.thymeleaf.cache=true"
        })
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestSupport.class)
public @interface CagateServerTest {}
