package org.cagate.testca;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 (port 0 picks a free port) that {@link CrlServer}s and {@link OcspResponder}s
 * attach to; several providers may share one. Requests run on their own threads, so a responder told to
 * answer slowly does not hold up the others.
 */
public final class LoopbackHttp implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackHttp(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on 127.0.0.1 at the given port, 0 for any free one. */
    public static LoopbackHttp start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            AtomicInteger count = new AtomicInteger();
            ThreadFactory threads = r -> {
                Thread t = new Thread(r, "testca-http-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ExecutorService executor = Executors.newCachedThreadPool(threads);
            server.setExecutor(executor);
            server.start();
            return new LoopbackHttp(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. http://127.0.0.1:41234 (no trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                handler.handle(exchange);
            } catch (RuntimeException e) {
                // A bug here must not hang the client: answer 500 if nothing was sent yet.
                sendIfPossible(exchange, 500);
            }
        });
    }

    void remove(String path) {
        server.removeContext(path);
    }

    private static void sendIfPossible(HttpExchange exchange, int status) {
        try {
            exchange.sendResponseHeaders(status, -1);
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent; closing the exchange is all that is left
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
