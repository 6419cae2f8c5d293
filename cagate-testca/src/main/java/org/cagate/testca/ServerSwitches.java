package org.cagate.testca;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** What tests do to a CRL or OCSP server: count requests, answer slowly, refuse with HTTP 500. */
abstract class ServerSwitches {
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean refusing;

    /** How many requests arrived so far, refused and malformed ones included. */
    public int requestCount() {
        return requests.get();
    }

    public void resetRequestCount() {
        requests.set(0);
    }

    /** Waits this long before answering each request, e.g. to exceed a client's timeout. */
    public void delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.delay = delay;
    }

    /** Answers every request with HTTP 500 and no body while true. */
    public void refuse(boolean refusing) {
        this.refusing = refusing;
    }

    /** Counts the request, waits the delay and returns false when the request was refused (already answered). */
    final boolean admit(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Duration wait = delay;
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (refusing) {
            exchange.sendResponseHeaders(500, -1);
            return false;
        }
        return true;
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
