package org.cagate.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.server.CagateServerApplication;
import org.cagate.server.account.Account;
import org.cagate.server.account.AccountRepository;
import org.cagate.server.account.CagateUser;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

/**
 * cagate-server in the demo's JVM, on the embedded H2 file database under {@code <data>/db}. Settings are
 * passed as command-line arguments, which win over the server's application.properties (default
 * properties would not). The console shows warnings only; the full log is {@code <data>/logs/server.log}.
 */
final class DemoServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private DemoServer(ConfigurableApplicationContext context, int port) {
        this.context = context;
        this.port = port;
    }

    static DemoServer start(Path dataFolder, int port, String origin, String agentUrl, Map<String, String> extra) {
        Path database = dataFolder.resolve("db").resolve("cagate").toAbsolutePath();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.address", "127.0.0.1");
        settings.put("server.port", String.valueOf(port));
        settings.put("cagate.public-origin", origin);
        settings.put("cagate.ca.agent-url", agentUrl);
        settings.put(
                "spring.datasource.url",
                "jdbc:h2:file:" + database + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        settings.put("cagate.bootstrap.admin.login-name", DemoData.OPERATOR.loginName());
        settings.put("cagate.bootstrap.admin.password", DemoData.OPERATOR.password());
        settings.put("cagate.bootstrap.admin.display-name", DemoData.OPERATOR.displayName());
        settings.put(
                "logging.file.name",
                dataFolder
                        .resolve("logs")
                        .resolve("server.log")
                        .toAbsolutePath()
                        .toString());
        settings.put("logging.threshold.console", "WARN");
        // Two start-up warnings that say nothing to someone trying the demo: H2 is newer than the version
        // Flyway was checked with (the server tests run on it), and SpringDoc serves /v3/api-docs.
        settings.put("logging.level.org.flywaydb.core.internal.database.base.Database", "ERROR");
        settings.put("logging.level.org.springdoc.core.events.SpringDocAppInitializer", "ERROR");
        settings.putAll(extra);
        List<String> args = new ArrayList<>();
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));

        SpringApplication application = new SpringApplication(CagateServerApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        // The demo's own shutdown hook stops the agent, the server and the CRL/OCSP server in order.
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = application.run(args.toArray(new String[0]));
        int actual = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
        return new DemoServer(context, actual);
    }

    int port() {
        return port;
    }

    /** A bean of the running server, for the demo's seeding and its tests. */
    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * A session of the platform operator made by the server's own session store, as its password login
     * would make one, but without the password: the demo's seeding must work whatever clients did to that
     * account (wrong passwords locking it, rate limits) and must not use up its attempts. Returns the
     * {@code SESSION} cookie's value.
     */
    String operatorSession() {
        Account operator = bean(AccountRepository.class)
                .findByLoginName(DemoData.OPERATOR.loginName())
                .orElseThrow(() -> new IllegalStateException(
                        "the platform operator " + DemoData.OPERATOR.loginName() + " does not exist"));
        CagateUser user = operator.toUser();
        SecurityContext security = SecurityContextHolder.createEmptyContext();
        security.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities()));
        @SuppressWarnings("unchecked")
        FindByIndexNameSessionRepository<Session> sessions = bean(FindByIndexNameSessionRepository.class);
        Session session = sessions.createSession();
        session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, security);
        session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user.loginName());
        sessions.save(session);
        // Spring Session's cookie carries the id base64-encoded (DefaultCookieSerializer).
        return Base64.getEncoder().encodeToString(session.getId().getBytes(StandardCharsets.US_ASCII));
    }

    /** Ends a session made by {@link #operatorSession()}. */
    void endSession(String cookie) {
        String id = new String(Base64.getDecoder().decode(cookie), StandardCharsets.US_ASCII);
        bean(FindByIndexNameSessionRepository.class).deleteById(id);
    }

    @Override
    public void close() {
        context.close();
    }
}
