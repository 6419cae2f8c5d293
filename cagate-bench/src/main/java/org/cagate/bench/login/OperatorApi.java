package org.cagate.bench.login;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cagate.pki.Certificates;

/**
 * The platform operator's part of the setup, through the real JSON API (password login, CSRF, the admin
 * endpoints): the region with CA business open, the organisation, the CA provider. Not on the measured
 * path, so plain {@link HttpClient} with a cookie jar.
 */
final class OperatorApi {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;

    OperatorApi(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    void login(String loginName, String password) throws IOException, InterruptedException {
        send("GET", "/api/auth/csrf", null, 200);
        send(
                "POST",
                "/api/auth/password",
                "{\"loginName\":" + Json.string(loginName) + ",\"password\":" + Json.string(password) + "}",
                200);
    }

    void region(String code, String name) throws IOException, InterruptedException {
        send("PUT", "/api/admin/regions/" + code, "{\"name\":" + Json.string(name) + ",\"caEnabled\":true}", 200, 201);
    }

    /** @return the new organisation's id */
    long organization(String name, String regionCode) throws IOException, InterruptedException {
        String answer = send(
                "POST",
                "/api/admin/organizations",
                "{\"name\":" + Json.string(name) + ",\"regionCode\":" + Json.string(regionCode) + "}",
                201);
        Matcher id = ID.matcher(answer);
        if (!id.find()) {
            throw new IllegalStateException("no organisation id in " + answer);
        }
        return Long.parseLong(id.group(1));
    }

    /**
     * An enabled provider trusting the CA certificates, key id SPKI_SHA256, revocation by CRL (fail closed)
     * from the distribution point in the certificates: the benchmark's CRL server on 127.0.0.1, which the
     * provider must allow (revocation.fetchHosts and fetchPrivateAddresses, docs/operations.md).
     */
    void provider(String code, String name, List<X509Certificate> caCertificates, String regionCode)
            throws IOException, InterruptedException {
        List<String> trustAnchors =
                caCertificates.stream().map(Certificates::toPem).toList();
        String body = "{\"name\":" + Json.string(name) + ",\"enabled\":true,\"trustAnchors\":"
                + Json.array(trustAnchors) + ",\"identity\":{\"source\":\"SPKI_SHA256\"},"
                + "\"revocation\":{\"mode\":\"CRL\",\"failOpen\":false,\"fetchHosts\":[\"127.0.0.1\"],"
                + "\"fetchPrivateAddresses\":true},\"regions\":[" + Json.string(regionCode)
                + "]}";
        send("PUT", "/api/admin/ca-providers/" + code, body, 201);
    }

    private String send(String method, String path, String json, int... expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Origin", BenchServer.PUBLIC_ORIGIN);
        String token = csrfToken();
        if (token != null) {
            request.header("X-XSRF-TOKEN", token);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        throw new IllegalStateException(
                method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }

    private String csrfToken() {
        return cookie("XSRF-TOKEN");
    }

    /** The value of a cookie the server set for this client (SESSION, XSRF-TOKEN), or null. */
    String cookie(String name) {
        for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }
}
