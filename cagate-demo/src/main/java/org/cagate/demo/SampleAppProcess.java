package org.cagate.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.cagate.demo.rp.SampleApp;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * 示例应用 in the demo: registered once in 应用管理 through the admin API (as an operator registers an
 * application: name, address, exact redirect URI; the client secret, shown once, is kept in {@code
 * <data>/sample-app.properties} with the port it was registered for), then started as its own Spring Boot
 * application ({@link SampleApp}) on that port, a tile of 应用中心 for every user.
 */
final class SampleAppProcess implements AutoCloseable {

    static final String NAME = "示例应用";
    static final String FILE = "sample-app.properties";

    private final ConfigurableApplicationContext context;
    private final String url;

    private SampleAppProcess(ConfigurableApplicationContext context, String url) {
        this.context = context;
        this.url = url;
    }

    /**
     * @param preferredPort the port at the first start (8090 for ./demo; 0: a free one), kept afterwards since the
     *     registered redirect URI names it
     */
    static SampleAppProcess start(Path data, String host, String platformUrl, DemoServer server, int preferredPort)
            throws IOException {
        Path file = data.resolve(FILE);
        Properties registration = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                registration.load(in);
            }
        } else {
            int port = preferredPort != 0 ? preferredPort : freePort();
            registration = register(server, host, port);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(file)) {
                registration.store(out, "示例应用's registration in 应用管理 (the secret is shown only once)");
            }
        }
        int port = Integer.parseInt(registration.getProperty("port"));
        ConfigurableApplicationContext context = SampleApp.start(
                "127.0.0.1",
                port,
                platformUrl,
                registration.getProperty("client-id"),
                registration.getProperty("client-secret"),
                Map.of(
                        "logging.file.name",
                        data.resolve("logs")
                                .resolve("sample-app.log")
                                .toAbsolutePath()
                                .toString(),
                        "logging.threshold.console",
                        "WARN"));
        return new SampleAppProcess(context, "http://" + host + ":" + port + "/");
    }

    private static Properties register(DemoServer server, String host, int port) {
        String base = "http://" + host + ":" + port;
        String session = server.operatorSession();
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", NAME);
            body.put("description", "单点登录示例：显示平台发来的登录信息");
            body.put("homeUrl", base + "/");
            body.put("redirectUris", List.of(base + "/login/oauth2/code/cagate"));
            body.put("caLoginRequired", false);
            body.put("regions", List.of());
            body.put("roles", List.of());
            JsonNode app = new PlatformClient(server.port()).session(session).post("/api/admin/applications", body);
            Properties registration = new Properties();
            registration.setProperty("port", String.valueOf(port));
            registration.setProperty("client-id", app.path("clientId").asString());
            registration.setProperty("client-secret", app.path("clientSecret").asString());
            return registration;
        } finally {
            server.endSession(session);
        }
    }

    /** Where its tile leads, e.g. http://localhost:8090/. */
    String url() {
        return url;
    }

    @Override
    public void close() {
        context.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
