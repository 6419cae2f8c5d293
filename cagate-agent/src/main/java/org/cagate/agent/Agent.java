package org.cagate.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running agent: an HTTP server on 127.0.0.1 serving the agent API. Embeddable, so the demo and
 * tests can run it in their own JVM:
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(config.withPort(0))) {
 *     URI status = URI.create("http://127.0.0.1:" + agent.port() + "/v1/status");
 * }
 * }</pre>
 *
 * PKCS#11 modules read their environment (SOFTHSM2_CONF) once per process and stay loaded until it
 * ends, so a PKCS#11 agent in tests runs as a child process ({@link AgentMain}).
 */
public final class Agent implements AutoCloseable {
    /** Requests are short; a client that takes longer to send one is cut off (JDK HttpServer settings). */
    static final String MAX_REQUEST_SECONDS = "10";

    static final String MAX_RESPONSE_SECONDS = "60";

    static {
        // Read once by the JDK when the first HttpServer is made; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
        }
        // Headers and body go out in two writes; without TCP_NODELAY, Nagle and the client's delayed
        // ACK hold the body back ~40 ms on every answer.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Backend> backends;

    private Agent(HttpServer server, ExecutorService executor, List<Backend> backends) {
        this.server = server;
        this.executor = executor;
        this.backends = backends;
    }

    public static Agent start(AgentConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /** Starts the agent; the clock dates CMS signatures, picks valid certificates and times the PIN delay. */
    public static Agent start(AgentConfig config, Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        List<Backend> backends = new ArrayList<>();
        for (ProviderConfig provider : config.providers()) {
            backends.add(
                    switch (provider.backend()) {
                        case PKCS11 -> new Pkcs11Backend(provider, clock);
                        case PKCS12 -> new Pkcs12Backend(provider, clock);
                        case SKF -> new SkfBackend(provider, clock);
                    });
        }
        AgentApi api = new AgentApi(backends, PinThrottle.sleeping(config.wrongPinDelay(), clock), version());
        InetAddress loopback = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        HttpServer server = HttpServer.create(new InetSocketAddress(loopback, config.port()), 50);
        AtomicInteger port = new AtomicInteger();
        server.createContext(
                "/",
                new AgentHandler(api, new HashSet<>(config.allowedOrigins()), config.maxRequestBytes(), port::get));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "cagate-agent-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        port.set(server.getAddress().getPort());
        return new Agent(server, executor, backends);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address the server is bound to: 127.0.0.1 and the port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops listening and lets requests in progress finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backends.forEach(Backend::close);
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
