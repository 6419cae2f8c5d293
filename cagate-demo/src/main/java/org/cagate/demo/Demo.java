package org.cagate.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The whole demo in one object: test CAs with their CRL / OCSP server, 西子's keys, the agent (a child
 * JVM) and cagate-server on an H2 file database, seeded with the seed's regions, organisation, accounts
 * and CA providers through the admin API, and 示例应用, a relying party of the platform's logins.
 *
 * <pre>{@code try (Demo demo = Demo.start(DemoOptions.defaults())) {
 *     System.out.println(demo.url());     // http://localhost:8080
 * }}</pre>
 *
 * Tests start it on free ports with {@link DemoOptions#forTests(Path)} and may stop and restart the
 * agent ({@link #stopAgent()}, {@link #startAgent()}) to show what a user sees without the driver.
 */
public final class Demo implements AutoCloseable {

    private final DemoOptions options;
    private final DemoPki pki;
    private final AgentProcess agent;
    private final DemoServer server;
    private final SampleAppProcess sampleApp;
    private final String url;

    private Demo(
            DemoOptions options,
            DemoPki pki,
            AgentProcess agent,
            DemoServer server,
            SampleAppProcess sampleApp,
            String url) {
        this.options = options;
        this.pki = pki;
        this.agent = agent;
        this.server = server;
        this.sampleApp = sampleApp;
        this.url = url;
    }

    /**
     * Starts everything in order (CAs and keys, the agent, the server, then the seeding); what started is
     * stopped again when a later step fails.
     */
    public static Demo start(DemoOptions options) throws IOException {
        Path data = options.dataFolder().toAbsolutePath();
        Files.createDirectories(data);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            DemoPki pki = DemoPki.open(data, revocationPort(data));
            started.add(pki);
            // The origin names the port, and both the agent and the server need it before they start.
            int serverPort = options.serverPort() != 0 ? options.serverPort() : freePort();
            String url = "http://" + options.host() + ":" + serverPort;
            AgentProcess agent =
                    AgentProcess.start(data, url, pki.keys(), pki.softHsm2().orElse(null), options.agentPort());
            started.add(0, agent);
            Map<String, String> settings = new LinkedHashMap<>();
            agentZip().ifPresent(zip -> {
                // 客户端&驱动下载 offers the agent's zip (made by cagate-agent's build) for every demo provider.
                settings.put("cagate.drivers.agent-package", zip.toString());
                settings.put(
                        "cagate.drivers.agent-providers",
                        String.join(
                                ",",
                                DemoData.PROVIDERS.stream()
                                        .map(DemoData.ProviderSpec::code)
                                        .toList()));
            });
            // And the agent's Debian package, when the build made it (on Debian, or mvn -Pdeb elsewhere).
            agentDeb().ifPresent(deb -> settings.put("cagate.drivers.agent-deb", deb.toString()));
            // 签章 with a time-stamp (PAdES B-T) from the demo's test TSA.
            settings.put("cagate.signing.tsa-url", pki.tsaUrl());
            settings.putAll(options.serverSettings());
            DemoServer server = DemoServer.start(data, serverPort, url, "http://127.0.0.1:" + agent.port(), settings);
            started.add(0, server);
            seedOnce(data, server, pki);
            // 示例应用: a relying party of the platform's logins, a tile of 应用中心 (8090 beside 8080, else a free port).
            SampleAppProcess sampleApp =
                    SampleAppProcess.start(data, options.host(), url, server, options.serverPort() == 0 ? 0 : 8090);
            started.add(0, sampleApp);
            return new Demo(options, pki, agent, server, sampleApp, url);
        } catch (IOException | RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /**
     * The seed's regions, organisation, accounts and providers, put in through the admin API on a session
     * the server made for the operator (no password login), at the first start only: a marker file records
     * it, so later starts leave whatever the operator changed since (a renamed region, a provider's
     * settings) as it is.
     */
    private static void seedOnce(Path data, DemoServer server, DemoPki pki) throws IOException {
        Path marker = data.resolve(SEEDED);
        if (Files.exists(marker)) {
            return;
        }
        String session = server.operatorSession();
        try {
            new DemoSeeder(new PlatformClient(server.port()).session(session), pki).seed();
        } finally {
            server.endSession(session);
        }
        Files.writeString(marker, "seeded by the first start of the demo; delete the data folder to start over\n");
    }

    /** The marker of {@link #seedOnce}, in the data folder. */
    static final String SEEDED = "seeded";

    /** A bean of the running server (tests read its database). */
    <T> T serverBean(Class<T> type) {
        return server.bean(type);
    }

    /** Where to open the platform, e.g. http://localhost:8080 (also the origin the agent allows). */
    public String url() {
        return url;
    }

    /** 示例应用, the demo's relying party (its tile in 应用中心 leads there). */
    public String sampleAppUrl() {
        return sampleApp.url();
    }

    public int serverPort() {
        return server.port();
    }

    public int agentPort() {
        return agent.port();
    }

    public Path dataFolder() {
        return options.dataFolder().toAbsolutePath();
    }

    /** The test CAs and 西子's keys. */
    public DemoPki pki() {
        return pki;
    }

    public boolean agentRunning() {
        return agent.isRunning();
    }

    /** Stops the agent, as a user who never started 证书驱动 + 签章服务 has it. */
    public void stopAgent() {
        agent.stop();
    }

    /** Starts the agent again on the same port. */
    public void startAgent() throws IOException {
        agent.start();
    }

    /** Stops 示例应用, the agent, the server and the CRL/OCSP server, in that order. */
    @Override
    public void close() {
        closeAll(List.of(sampleApp, agent, server, pki), null);
    }

    private static void closeAll(List<AutoCloseable> parts, Exception cause) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    /** cagate-agent/target/cagate-agent-*.zip of this checkout (from its root, or a module folder), if built. */
    static Optional<Path> agentZip() throws IOException {
        return built("cagate-agent-.*\\.zip");
    }

    /** cagate-agent/target/cagate-agent_*_amd64.deb of this checkout, if built (mvn -Pdeb package). */
    static Optional<Path> agentDeb() throws IOException {
        return built("cagate-agent_.*_amd64\\.deb");
    }

    private static Optional<Path> built(String pattern) throws IOException {
        for (Path target : List.of(Path.of("cagate-agent", "target"), Path.of("..", "cagate-agent", "target"))) {
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    Optional<Path> found = files.filter(
                                    f -> f.getFileName().toString().matches(pattern))
                            .map(f -> f.toAbsolutePath().normalize())
                            .findFirst();
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The CRL / OCSP server's port: chosen at the first start and kept in the data folder, because the
     * providers' revocation URLs (and the certificates) name it.
     */
    private static int revocationPort(Path data) throws IOException {
        Path file = data.resolve("revocation-port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int port = freePort();
        Files.writeString(file, port + "\n");
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
