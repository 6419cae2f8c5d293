package org.cagate.server.docsign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.cagate.server.testing.ApiClient;

/** multipart/form-data POSTs with an {@link ApiClient}'s session and CSRF token; the answer as bytes. */
final class Multipart {
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    Multipart field(String name, Object value) {
        fields.put(name, String.valueOf(value));
        return this;
    }

    Multipart file(String name, byte[] bytes) {
        files.put(name, bytes);
        return this;
    }

    HttpResponse<byte[]> post(ApiClient client, int port, String path) {
        return send("POST", client, port, path);
    }

    HttpResponse<byte[]> put(ApiClient client, int port, String path) {
        return send("PUT", client, port, path);
    }

    HttpResponse<byte[]> send(String method, ApiClient client, int port, String path) {
        if (client.cookie("XSRF-TOKEN").isEmpty()) {
            client.get("/api/auth/csrf");
        }
        String boundary = "----cagate" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        files.forEach((name, bytes) -> {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                            + name + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        StringJoiner cookies = new StringJoiner("; ");
        for (String name : new String[] {"SESSION", "XSRF-TOKEN"}) {
            client.cookie(name).ifPresent(value -> cookies.add(name + "=" + value));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-Forwarded-For", client.ip())
                .header("Accept-Language", "zh-CN")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (cookies.length() > 0) {
            request.header("Cookie", cookies.toString());
        }
        client.cookie("XSRF-TOKEN").ifPresent(token -> request.header("X-XSRF-TOKEN", token));
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
