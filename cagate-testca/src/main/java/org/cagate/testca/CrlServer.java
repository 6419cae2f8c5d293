package org.cagate.testca;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.security.cert.CRLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Publishes a test CA's current CRL (DER, application/pkix-crl) at {@link #url()}, made fresh for every
 * request so revocations show at once.
 *
 * <pre>{@code
 * try (CrlServer crl = CrlServer.start(ca)) {
 *     Credential user = ca.user("西子").crlDistributionPoint(crl.url()).issue();
 *     crl.nextUpdateIn(Duration.ofMinutes(5));
 * }
 * }</pre>
 */
public final class CrlServer extends ServerSwitches implements AutoCloseable {
    private final TestCa ca;
    private final LoopbackHttp http;
    private final boolean ownsHttp;
    private final String path;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Duration thisUpdateAge = Duration.ofMinutes(1);
    private volatile Duration nextUpdateIn = Duration.ofHours(1);
    private volatile Instant fixedThisUpdate;
    private volatile Instant fixedNextUpdate;
    private volatile byte[] body;

    private CrlServer(TestCa ca, LoopbackHttp http, boolean ownsHttp) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.path = "/crl/" + ca.providerCode() + ".crl";
        http.handle(path, this::serve);
    }

    /** Starts its own server on a free loopback port. */
    public static CrlServer start(TestCa ca) {
        return new CrlServer(ca, LoopbackHttp.start(0), true);
    }

    /** Attaches to a shared server; closing this CrlServer leaves the shared server running. */
    public static CrlServer on(LoopbackHttp http, TestCa ca) {
        return new CrlServer(ca, http, false);
    }

    /** e.g. http://127.0.0.1:41234/crl/ZJHX.crl */
    public String url() {
        return http.baseUrl() + path;
    }

    /** thisUpdate = now - age, nextUpdate = now + in, "now" from the CA's clock (the default: 1 minute, 1 hour). */
    public void window(Duration thisUpdateAge, Duration nextUpdateIn) {
        this.thisUpdateAge = Objects.requireNonNull(thisUpdateAge, "thisUpdateAge");
        this.nextUpdateIn = Objects.requireNonNull(nextUpdateIn, "nextUpdateIn");
        this.fixedThisUpdate = null;
        this.fixedNextUpdate = null;
    }

    /** nextUpdate = now + in; use a negative duration for a CRL that is already stale. */
    public void nextUpdateIn(Duration in) {
        window(thisUpdateAge, in);
    }

    /** Fixed thisUpdate and nextUpdate, whatever the clock says. */
    public void fixedTimes(Instant thisUpdate, Instant nextUpdate) {
        this.fixedThisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
        this.fixedNextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
    }

    /** Serves these bytes instead of a CRL (e.g. garbage or a huge body), until called with null. */
    public void serveBytes(byte[] body) {
        this.body = body == null ? null : body.clone();
    }

    /** The CRL the next request would get. */
    public byte[] currentCrl() {
        Instant now = ca.clock().instant();
        Instant thisUpdate = fixedThisUpdate != null ? fixedThisUpdate : now.minus(thisUpdateAge);
        Instant nextUpdate = fixedNextUpdate != null ? fixedNextUpdate : now.plus(nextUpdateIn);
        try {
            return ca.crl(thisUpdate, nextUpdate).getEncoded();
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode CRL", e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!admit(exchange)) {
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        if (!exchange.getRequestURI().getPath().equals(path)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] custom = body;
        byte[] crl = custom != null ? custom : currentCrl();
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        send(exchange, 200, "application/pkix-crl", crl);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ownsHttp) {
            http.close();
        } else {
            http.remove(path);
        }
    }
}
