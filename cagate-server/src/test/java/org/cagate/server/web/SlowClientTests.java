package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Hostile clients on a raw socket, with short limits so the tests do not wait long: a request head or
 * body sent byte by byte (slowloris), a connection that sends nothing, an idle kept-alive connection,
 * oversized headers and bodies, deeply nested JSON. Each is cut off with a clear status, or closed when
 * there is no request to answer. The time bounds are generous (the sweep runs every 500 ms here); they
 * check that the cut-off happens, not how fast the server is.
 */
@CagateServerTest
@TestPropertySource(
        properties = {
            "cagate.web.header-timeout=2s",
            "cagate.web.body-timeout=2s",
            "server.tomcat.connection-timeout=1500ms",
            "server.tomcat.keep-alive-timeout=2500ms"
        })
class SlowClientTests {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    private final ExecutorService trickler = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopTrickling() {
        trickler.shutdownNow();
    }

    @Test
    void headersWhenSentByteByByteThenRequestTimeoutAndClosed() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            write(socket, "GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            trickle(socket, 300);

            Answer answer = readUntilClosed(socket);

            assertThat(answer.text()).startsWith("HTTP/1.1 408").contains("\"code\":\"REQUEST_TIMEOUT\"", "请求超时");
            assertThat(answer.closed()).isTrue();
            assertThat(seconds(start)).isBetween(1.5, 10.0);
        }
    }

    @Test
    void bodyWhenSentByteByByteThenRequestTimeoutAndClosed() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            write(socket, jsonPostHead("/api/auth/password", 400) + "{\"loginName\": \"");
            trickle(socket, 300);

            Answer answer = readUntilClosed(socket);

            assertThat(answer.text()).startsWith("HTTP/1.1 408").contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(answer.closed()).isTrue();
            assertThat(seconds(start)).isBetween(1.5, 12.0);
        }
    }

    @Test
    void bodyWhenClientStopsSendingThenRequestTimeout() throws Exception {
        try (Socket socket = connect()) {
            write(socket, jsonPostHead("/api/auth/password", 400) + "{\"loginName\": \"");

            Answer answer = readUntilClosed(socket);

            assertThat(answer.text()).startsWith("HTTP/1.1 408").contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void connectionWhenNoRequestSentThenClosedAfterConnectionTimeout() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();

            Answer answer = readUntilClosed(socket);

            assertThat(answer.text()).isEmpty();
            assertThat(answer.closed()).isTrue();
            assertThat(seconds(start)).isBetween(1.0, 10.0);
        }
    }

    @Test
    void connectionWhenIdleAfterAnAnswerThenKeptAliveAndClosedAfterKeepAliveTimeout() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "GET /api/auth/csrf HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n");
            String first = readAnswer(socket.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 200");
            long idleFrom = System.nanoTime();
            Thread.sleep(1000);
            write(socket, "GET /api/auth/csrf HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n");
            assertThat(readAnswer(socket.getInputStream()))
                    .as("the connection is still usable after an idle second")
                    .startsWith("HTTP/1.1 200");
            idleFrom = System.nanoTime();

            Answer rest = readUntilClosed(socket);

            assertThat(rest.text()).isEmpty();
            assertThat(rest.closed()).isTrue();
            assertThat(seconds(idleFrom)).isBetween(2.0, 12.0);
        }
    }

    @Test
    void headersWhenLargerThanLimitThenBadRequest() throws Exception {
        try (Socket socket = connect()) {
            write(
                    socket,
                    "GET /api/auth/csrf HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");

            Answer answer = readUntilClosed(socket);

            assertThat(answer.text()).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void bodyWhenDeclaredLargerThanLimitThenPayloadTooLargeBeforeItIsSent() throws Exception {
        try (Socket socket = connect()) {
            write(socket, jsonPostHead("/api/auth/password", 10_000_000));

            String answer = readAnswer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
        }
    }

    @Test
    void bodyWhenSentInPartsWithinTheLimitsThenAnswered() throws Exception {
        ApiClient client = ApiClient.on(port);
        client.get("/api/auth/csrf");
        String body = "{\"loginName\": \"NOBODY1\", \"password\": \"Wrong-Pass-1\"}";
        try (Socket socket = connect()) {
            write(
                    socket,
                    jsonPostHead(
                            "/api/auth/password",
                            body.length(),
                            client.cookie("XSRF-TOKEN").orElseThrow()));
            for (int i = 0; i < body.length(); i += 10) {
                write(socket, body.substring(i, Math.min(body.length(), i + 10)));
                Thread.sleep(100);
            }

            String answer = readAnswer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 401").contains("\"code\":\"BAD_CREDENTIALS\"");
        }
    }

    @Test
    void jsonWhenNestedDeeperThanLimitThenValidationNamingTheDepth() {
        String tooDeep = "{\"loginName\": " + "[".repeat(20) + "]".repeat(20) + ", \"password\": \"x\"}";
        String deepInAString = "{\"loginName\": \"" + "[".repeat(50) + "\", \"password\": \"Wrong-Pass-1\"}";

        ApiClient.Response refused = ApiClient.on(port).send("POST", "/api/auth/password", tooDeep, "application/json");
        ApiClient.Response inString =
                ApiClient.on(port).send("POST", "/api/auth/password", deepInAString, "application/json");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION");
        assertThat(refused.detail()).isEqualTo("请求内容的嵌套层数超过 20 层。");
        assertThat(inString.code()).as(inString.toString()).isNotEqualTo("VALIDATION");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
        return socket;
    }

    private String jsonPostHead(String path, long contentLength) {
        ApiClient client = ApiClient.on(port);
        client.get("/api/auth/csrf");
        return jsonPostHead(path, contentLength, client.cookie("XSRF-TOKEN").orElseThrow());
    }

    private static String jsonPostHead(String path, long contentLength, String csrf) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json\r\nX-Forwarded-For: 10.99." + (int) (Math.random() * 250) + ".7\r\n"
                + "Cookie: XSRF-TOKEN=" + csrf + "\r\nX-XSRF-TOKEN: " + csrf + "\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    /** Sends one byte every {@code millis} until the server closes the connection or the test ends. */
    private void trickle(Socket socket, long millis) {
        Future<?> unused = trickler.submit(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(millis);
                    out.write('a');
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server (or the test ended): stop
            }
        });
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    record Answer(String text, boolean closed) {}

    /** Everything the server sends until it closes the connection (or the read times out: not closed). */
    private static Answer readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return new Answer(out.toString(StandardCharsets.UTF_8), true);
        } catch (SocketTimeoutException e) {
            return new Answer(out.toString(StandardCharsets.UTF_8), false);
        } catch (IOException e) { // connection reset after the answer: closed as well
            return new Answer(out.toString(StandardCharsets.UTF_8), true);
        }
    }

    /** One HTTP answer with a Content-Length body, leaving the connection open. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        boolean chunked = false;
        for (String line : headers.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!chunked) {
            body.writeBytes(in.readNBytes(length));
        } else {
            int size;
            while ((size = Integer.parseInt(line(in), 16)) > 0) {
                body.writeBytes(in.readNBytes(size));
                line(in);
            }
            line(in);
        }
        return headers + body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString().trim();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
