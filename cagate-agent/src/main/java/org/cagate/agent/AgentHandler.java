package org.cagate.agent;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's HTTP front: every request passes the same gate before it reaches {@link AgentApi}.
 *
 * <ol>
 *   <li>The Host header names this machine (127.0.0.1 or localhost, with our port if any), so a page
 *       that rebinds its own DNS name to 127.0.0.1 is refused.
 *   <li>An Origin header, when present, is one of the configured platform origins; only those get
 *       CORS headers, and only those get Chrome's Private Network Access grant on preflight.
 *   <li>Signing needs an allowed Origin, a JSON body (so browsers always preflight) within the size
 *       limit.
 * </ol>
 */
final class AgentHandler implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(AgentHandler.class.getName());

    private final AgentApi api;
    private final Set<String> allowedOrigins;
    private final int maxRequestBytes;
    private final IntSupplier port;

    AgentHandler(AgentApi api, Set<String> allowedOrigins, int maxRequestBytes, IntSupplier port) {
        this.api = api;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.maxRequestBytes = maxRequestBytes;
        this.port = port;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        RequestLog log = new RequestLog(
                exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
        int status = 500;
        String outcome = ErrorCode.AGENT_ERROR.name();
        try {
            byte[] body;
            try {
                body = route(exchange, log);
                status = body == null ? 204 : 200;
                outcome = "OK";
            } catch (AgentException e) {
                status = e.code().status();
                outcome = e.code() + (e.retriesLeft() == null ? "" : " retriesLeft=" + e.retriesLeft());
                if (e.code() == ErrorCode.AGENT_ERROR) {
                    LOG.log(Level.WARNING, e.getMessage(), e);
                } else {
                    outcome += " (" + RequestLog.abbreviate(e.detail()) + ")";
                }
                body = Json.write(Views.error(e));
            } catch (ClientGone e) {
                // Cut off by the read timeout (or the client hung up) mid-request: the client's doing, and
                // there is nobody left to answer. A help desk must not read it as the agent failing.
                status = 408;
                outcome =
                        "CLIENT_TIMEOUT (request not received in time: " + RequestLog.abbreviate(e.getMessage()) + ")";
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "unexpected failure on " + log.method + " " + log.path, e);
                body = Json.write(Views.error(new AgentException(ErrorCode.AGENT_ERROR, "unexpected")));
            }
            send(exchange, status, body);
        } finally {
            exchange.close();
            log.write(status, outcome, System.nanoTime() - start);
        }
    }

    /** The answer body, or null for 204. */
    private byte[] route(HttpExchange exchange, RequestLog log) throws AgentException, IOException {
        Headers request = exchange.getRequestHeaders();
        if (!loopbackHost(request.getFirst("Host"))) {
            throw AgentException.withMessage(
                    ErrorCode.ORIGIN_NOT_ALLOWED,
                    "请通过 127.0.0.1 访问 CA 驱动",
                    "Host " + RequestLog.abbreviate(request.getFirst("Host")) + " is not this machine");
        }
        String origin = request.getFirst("Origin");
        log.origin = origin;
        if (origin != null) {
            if (!allowedOrigins.contains(origin)) {
                throw new AgentException(ErrorCode.ORIGIN_NOT_ALLOWED, "origin not in agent.allowedOrigins");
            }
            Headers response = exchange.getResponseHeaders();
            response.set("Access-Control-Allow-Origin", origin);
            response.set("Vary", "Origin");
        }
        String method = exchange.getRequestMethod();
        if (method.equals("OPTIONS")) {
            preflight(exchange, origin);
            return null;
        }
        String path = exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/v1/status" -> {
                requireMethod(exchange, "GET");
                return Json.write(api.status());
            }
            case "/v1/tokens" -> {
                requireMethod(exchange, "GET");
                return Json.write(api.tokens(query(exchange, "provider"), log));
            }
            case "/v1/sign" -> {
                requireMethod(exchange, "POST");
                if (origin == null) {
                    throw new AgentException(ErrorCode.ORIGIN_NOT_ALLOWED, "sign without an Origin header");
                }
                return sign(exchange, origin, log);
            }
            case "/v1/sign-document" -> {
                requireMethod(exchange, "POST");
                if (origin == null) {
                    throw new AgentException(ErrorCode.ORIGIN_NOT_ALLOWED, "sign-document without an Origin header");
                }
                return signDocument(exchange, origin, log);
            }
            default -> throw new AgentException(ErrorCode.NOT_FOUND, "no such path");
        }
    }

    private byte[] sign(HttpExchange exchange, String origin, RequestLog log) throws AgentException, IOException {
        requireJson(exchange);
        byte[] body = body(exchange);
        SignRequest request = SignRequest.parse(body);
        Arrays.fill(body, (byte) 0); // it held the PIN
        try {
            return Json.write(api.sign(request, origin, log));
        } finally {
            request.clearPin();
        }
    }

    private byte[] signDocument(HttpExchange exchange, String origin, RequestLog log)
            throws AgentException, IOException {
        requireJson(exchange);
        byte[] body = body(exchange);
        DocumentSignRequest request = DocumentSignRequest.parse(body);
        Arrays.fill(body, (byte) 0); // it held the PIN
        try {
            return Json.write(api.signDocument(request, origin, log));
        } finally {
            request.clearPin();
        }
    }

    private static void requireJson(HttpExchange exchange) throws AgentException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new AgentException(ErrorCode.BAD_REQUEST, "Content-Type must be application/json");
        }
    }

    private void preflight(HttpExchange exchange, String origin) throws AgentException {
        if (origin == null) {
            throw new AgentException(ErrorCode.BAD_REQUEST, "preflight without an Origin header");
        }
        Headers request = exchange.getRequestHeaders();
        Headers response = exchange.getResponseHeaders();
        response.set("Access-Control-Allow-Methods", "GET, POST");
        response.set("Access-Control-Allow-Headers", "Content-Type");
        response.set("Access-Control-Max-Age", "600");
        if ("true".equalsIgnoreCase(request.getFirst("Access-Control-Request-Private-Network"))) {
            response.set("Access-Control-Allow-Private-Network", "true");
        }
    }

    /** 127.0.0.1 or localhost, alone or with the port we listen on; anything else is a foreign name. */
    boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (!name.equals("127.0.0.1") && !name.equals("localhost")) {
            return false;
        }
        return colon < 0 || h.substring(colon + 1).equals(String.valueOf(port.getAsInt()));
    }

    private static void requireMethod(HttpExchange exchange, String allowed) throws AgentException {
        if (!exchange.getRequestMethod().equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed + ", OPTIONS");
            throw new AgentException(ErrorCode.BAD_REQUEST, "method " + exchange.getRequestMethod() + " not allowed");
        }
    }

    private static String query(HttpExchange exchange, String name) throws AgentException {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    String value = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                    return value.isEmpty() ? null : value;
                } catch (IllegalArgumentException e) {
                    throw new AgentException(ErrorCode.BAD_REQUEST, "bad query " + name);
                }
            }
        }
        return null;
    }

    /**
     * Reads at most maxRequestBytes; a longer body is refused whatever Content-Length claims. A little
     * more is read and dropped first, so that the client, still sending, reads our answer instead of a
     * reset connection; beyond that the connection is simply closed.
     */
    private byte[] body(HttpExchange exchange) throws AgentException, IOException {
        try {
            return readBody(exchange);
        } catch (ClientGone | AgentException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private byte[] readBody(HttpExchange exchange) throws AgentException, IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try (InputStream in = exchange.getRequestBody()) {
            if (length != null) {
                try {
                    if (Long.parseLong(length.strip()) > maxRequestBytes) {
                        drain(in);
                        throw tooLarge();
                    }
                } catch (NumberFormatException e) {
                    throw new AgentException(ErrorCode.BAD_REQUEST, "bad Content-Length");
                }
            }
            byte[] body = in.readNBytes(maxRequestBytes + 1);
            if (body.length > maxRequestBytes) {
                Arrays.fill(body, (byte) 0);
                drain(in);
                throw tooLarge();
            }
            return body;
        }
    }

    private void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = 4L * maxRequestBytes;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    /** Reading the request failed: the JDK server's request timer closed it, or the client went away. */
    static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super(String.valueOf(cause.getMessage()), cause);
        }
    }

    private AgentException tooLarge() {
        return AgentException.withMessage(
                ErrorCode.BAD_REQUEST, "请求过大", "body larger than " + maxRequestBytes + " bytes");
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        if (body == null || exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        headers.set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
