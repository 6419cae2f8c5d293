package org.cagate.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's JSON API as an operator uses it (DESIGN "Wire contract v1"): session cookie, the CSRF
 * cookie echoed in X-XSRF-TOKEN on every unsafe method, problem+json refusals as {@link ApiFailure}.
 */
final class PlatformClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A refusal of the API: status, problem code and the request that got it. */
    static final class ApiFailure extends IllegalStateException {
        private final int status;
        private final String body;

        ApiFailure(String request, int status, String body) {
            super(request + " answered " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        int status() {
            return status;
        }

        /** The problem code of a problem+json answer, e.g. CA_NOT_BOUND; empty for other bodies. */
        String code() {
            try {
                return JSON.readTree(body).path("code").asString();
            } catch (RuntimeException e) {
                return "";
            }
        }
    }

    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private String origin;

    PlatformClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Sends this Origin header, as a browser on the platform's page does (challenges, bindings, CA login). */
    PlatformClient origin(String origin) {
        this.origin = origin;
        return this;
    }

    /** Uses a session the server made (its {@code SESSION} cookie), instead of logging in. */
    PlatformClient session(String cookie) {
        HttpCookie session = new HttpCookie("SESSION", cookie);
        session.setPath("/");
        session.setVersion(0);
        cookies.getCookieStore().add(URI.create(base), session);
        return this;
    }

    PlatformClient login(String loginName, String password) {
        send("POST", "/api/auth/password", Map.of("loginName", loginName, "password", password));
        return this;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (!method.equals("GET")) {
            request.header("X-XSRF-TOKEN", csrfToken());
            if (origin != null) {
                request.header("Origin", origin);
            }
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
        if (response.statusCode() >= 300) {
            throw new ApiFailure(method + " " + path, response.statusCode(), response.body());
        }
        String text = response.body();
        return text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
    }

    /** The XSRF-TOKEN cookie, fetched from /api/auth/csrf when there is none yet. */
    private String csrfToken() {
        return cookie("XSRF-TOKEN").orElseGet(() -> {
            get("/api/auth/csrf");
            return cookie("XSRF-TOKEN").orElseThrow(() -> new IllegalStateException("the server set no XSRF-TOKEN"));
        });
    }

    private java.util.Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }
}
