package org.cagate.server.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.cagate.server.testing.ApiClient;

/** What {@link ApiClient} does not do: multipart uploads with the client's session, and binary downloads. */
final class Http {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    /** POST multipart/form-data as the client (its session, CSRF token and client IP). */
    static ApiClient.Response upload(
            ApiClient client, int port, String path, Map<String, String> fields, String fileName, byte[] file) {
        if (client.cookie("XSRF-TOKEN").isEmpty()) {
            client.get("/api/auth/csrf");
        }
        String boundary = "----cagate" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> write(
                body,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                        + "\r\n"));
        if (fileName != null) {
            write(
                    body,
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(file);
            write(body, "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Cookie", cookies(client))
                .header("X-XSRF-TOKEN", client.cookie("XSRF-TOKEN").orElseThrow())
                .header("X-Forwarded-For", client.ip())
                .header("Accept-Language", "zh-CN")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return new ApiClient.Response(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** GET or HEAD with extra headers, the body as bytes. */
    static HttpResponse<byte[]> fetch(int port, String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The path of an absolute download URL the API hands out. */
    static String path(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath();
    }

    private static String cookies(ApiClient client) {
        StringJoiner joined = new StringJoiner("; ");
        for (String name : new String[] {"SESSION", "XSRF-TOKEN"}) {
            client.cookie(name).ifPresent(value -> joined.add(name + "=" + value));
        }
        return joined.toString();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
