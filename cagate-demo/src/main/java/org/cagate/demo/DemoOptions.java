package org.cagate.demo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to start the demo.
 *
 * @param dataFolder H2 database, test CAs, keys, SoftHSM2 token and logs; a second start reuses them
 * @param serverPort the platform's port on 127.0.0.1 (8080); 0 picks a free one
 * @param agentPort the agent's port (21777, as the real agent); 0 picks a free one
 * @param host the host name in the platform's URL (and origin): localhost, or 127.0.0.1
 * @param serverSettings further server settings (as {@code --key=value}), e.g. for tests
 */
public record DemoOptions(
        Path dataFolder, int serverPort, int agentPort, String host, Map<String, String> serverSettings) {

    public DemoOptions {
        Objects.requireNonNull(dataFolder, "dataFolder");
        Objects.requireNonNull(host, "host");
        checkPort(serverPort, "serverPort");
        checkPort(agentPort, "agentPort");
        serverSettings = Map.copyOf(serverSettings);
    }

    /** ./demo-data, ports 8080 and 21777, http://localhost:8080. */
    public static DemoOptions defaults() {
        return new DemoOptions(Path.of("demo-data"), 8080, 21777, "localhost", Map.of());
    }

    /** Free ports, 127.0.0.1, and the folder given: for tests that must not collide with anything. */
    public static DemoOptions forTests(Path dataFolder) {
        return new DemoOptions(dataFolder, 0, 0, "127.0.0.1", Map.of());
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0-65535, got " + port);
        }
    }
}
