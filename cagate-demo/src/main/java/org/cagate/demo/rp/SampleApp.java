package org.cagate.demo.rp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 示例应用: a small relying party of cagate's OpenID Provider, as another application of the platform (项目采购,
 * 电子卖场 …) would be built: Spring Boot with Spring Security's OAuth2 client ({@code oauth2Login}, the
 * code flow with PKCE, the ID token checked against the provider's JWKS), no database, its own port and
 * session. Its page greets the user with the claims cagate sent, including how they logged in.
 *
 * <p>The demo starts it ({@link #start}) after registering it in 应用管理; on its own: {@code java -cp ...
 * org.cagate.demo.rp.SampleApp --server.port=8090 --cagate.issuer=http://localhost:8080
 * --cagate.client-id=... --cagate.client-secret=...}.
 */
@SpringBootApplication(
        excludeName = {
            // No database: the platform's modules on the class path would otherwise bring an H2 data source,
            // Flyway with cagate's migrations, JDBC sessions and an authorization server of their own.
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration"
        })
public class SampleApp {

    public static void main(String[] args) {
        run(args);
    }

    /**
     * Starts it on {@code host:port} (0: a free port) as client {@code clientId} of the provider at {@code issuer}
     * (discovery from {@code issuer}/.well-known/openid-configuration, so the platform must be up).
     */
    public static ConfigurableApplicationContext start(
            String host, int port, String issuer, String clientId, String clientSecret, Map<String, String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.address=" + host,
                "--server.port=" + port,
                "--cagate.issuer=" + issuer,
                "--cagate.client-id=" + clientId,
                "--cagate.client-secret=" + clientSecret));
        extra.forEach((key, value) -> args.add("--" + key + "=" + value));
        return run(args.toArray(String[]::new));
    }

    private static ConfigurableApplicationContext run(String[] args) {
        SpringApplication application = new SpringApplication(SampleApp.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        // Its own settings only (sample-app.properties), not the platform's application.properties.
        application.setDefaultProperties(Map.of("spring.config.name", "sample-app"));
        return application.run(args);
    }
}
