package org.cagate.server.testing;

import java.util.ArrayList;
import java.util.List;
import org.cagate.server.CagateServerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One cagate node started by a test itself, for tests that need several nodes on one database or a
 * database they stop: the whole application (as {@link CagateServerTest} starts it, with its test
 * settings, {@link TestClock} and {@link Fixtures}) on an ephemeral port of 127.0.0.1, against the JDBC URL
 * given. Nodes on the same URL share everything but their memory, like nodes behind a load balancer.
 *
 * <pre>{@code try (ServerNode one = ServerNode.start("node-1", url); ServerNode two = ServerNode.start("node-2", url)) {
 *     ApiClient client = ApiClient.on(one.port()); ... client.via(two.port()) ...
 * }}</pre>
 */
public final class ServerNode implements AutoCloseable {

    private final String name;
    private final ConfigurableApplicationContext context;

    private ServerNode(String name, ConfigurableApplicationContext context) {
        this.name = name;
        this.context = context;
    }

    /**
     * Starts a node; the first node on an empty database migrates it (start nodes one after the other).
     *
     * @param settings further {@code name=value} settings, e.g. {@code cagate.database.fail-fast=2s}
     */
    public static ServerNode start(String name, String jdbcUrl, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--server.forward-headers-strategy=native",
                "--spring.main.banner-mode=off",
                "--spring.application.name=cagate-" + name,
                "--cagate.public-origin=https://platform.example.gov.cn",
                "--cagate.bootstrap.admin.login-name=" + Fixtures.BOOTSTRAP_LOGIN,
                "--cagate.bootstrap.admin.password=" + Fixtures.BOOTSTRAP_PASSWORD,
                "--cagate.auth.bcrypt-strength=4",
                "--cagate.ca.expiry-summary-cron=-", // as in CagateServerTest: never on the hour mid-test
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--spring.datasource.hikari.minimum-idle=1",
                "--spring.datasource.hikari.pool-name=" + name,
                "--spring.thymeleaf.cache=true"));
        for (String setting : settings) {
            // A setting given here replaces the default above (Boot would bind both, as a list).
            String key = "--" + setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(key));
            args.add("--" + setting);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        CagateServerApplication.class, TestSupport.class)
                .run(args.toArray(String[]::new));
        return new ServerNode(name, context);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Fixtures fixtures() {
        return context.getBean(Fixtures.class);
    }

    public JdbcClient jdbc() {
        return context.getBean(JdbcClient.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return name + " on port " + (context.isActive() ? port() : -1);
    }
}
