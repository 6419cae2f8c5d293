package org.cagate.server.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A browser-like client of the running server: keeps cookies (session, XSRF-TOKEN), echoes the
 * CSRF cookie in X-XSRF-TOKEN on unsafe methods (fetching it from /api/auth/csrf when absent), and
 * appears from its own client IP (X-Forwarded-For, honoured from loopback in tests).
 *
 * <pre>{@code ApiClient client = ApiClient.on(port).login(account.loginName(), account.password());
 * ApiClient.Response me = client.get("/api/me");}</pre>
 */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean csrf = true;
    private Consumer<Response> observer = response -> {};
    private Duration timeout = Duration.ofSeconds(30);

    private ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        headers.put("X-Forwarded-For", "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)));
    }

    public static ApiClient on(int port) {
        return new ApiClient(port);
    }

    /**
     * Sends the following requests to another node (port of 127.0.0.1), with the same cookies and client IP:
     * one browser behind a load balancer that picks a node per request.
     */
    public ApiClient via(int port) {
        this.base = "http://127.0.0.1:" + port;
        return this;
    }

    /** Tells the observer about every answer this client gets (for counting requests per node). */
    public ApiClient observe(Consumer<Response> observer) {
        this.observer = observer;
        return this;
    }

    /** How long a request may take before it fails (30 s unless set). */
    public ApiClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Another client IP for the following requests. */
    public ApiClient fromIp(String ip) {
        headers.put("X-Forwarded-For", ip);
        return this;
    }

    public String ip() {
        return headers.get("X-Forwarded-For");
    }

    public ApiClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Stops sending the CSRF header (to test the refusal). */
    public ApiClient withoutCsrf() {
        csrf = false;
        return this;
    }

    public ApiClient login(String loginName, String password) {
        Response response = post("/api/auth/password", Map.of("loginName", loginName, "password", password));
        if (response.status() != 200) {
            throw new AssertionError("login of " + loginName + " failed: " + response);
        }
        return this;
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    public void clearCookie(String name) {
        cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .toList()
                .forEach(c -> cookies.getCookieStore()
                        .getURIs()
                        .forEach(uri -> cookies.getCookieStore().remove(uri, c)));
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body == null ? null : JSON.writeValueAsString(body), "application/json");
    }

    public Response put(String path, Object body) {
        return send("PUT", path, JSON.writeValueAsString(body), "application/json");
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** Sends exactly the body given, with the content type given (for malformed-request tests). */
    public Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (csrf && !method.equals("GET") && !method.equals("HEAD")) {
            if (cookie("XSRF-TOKEN").isEmpty()) {
                get("/api/auth/csrf");
            }
            cookie("XSRF-TOKEN").ifPresent(token -> request.header("X-XSRF-TOKEN", token));
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            Response response = new Response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
            observer.accept(response);
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer: status, headers, body, and the body as JSON when it is JSON. */
    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The port of the node that answered. */
        public int port() {
            return raw.uri().getPort();
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        /** The problem code of a problem+json answer. */
        public String code() {
            return json().path("code").asString();
        }

        public String detail() {
            return json().path("detail").asString();
        }

        @Override
        public String toString() {
            return raw.request().method() + " " + raw.uri().getPath() + " -> " + status() + " " + body();
        }
    }
}
