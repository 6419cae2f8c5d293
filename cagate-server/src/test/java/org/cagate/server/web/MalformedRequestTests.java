package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hostile query strings and headers (the probe of issue 22 found {@code ?name=%ff%fe%c3} answered 500):
 * whatever the bytes, the answer is 400 problem+json with a code, signed in or not, for API paths and
 * pages alike, and never a 500.
 */
@CagateServerTest
class MalformedRequestTests {

    /** Paths whose handlers read query parameters, as the probe sent them. */
    private static final List<String> PATHS = List.of(
            "/api/ca/bindings",
            "/api/audit/events",
            "/api/admin/accounts",
            "/api/auth/csrf",
            "/system/platform/accounts");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    private ApiClient signedIn() {
        TestAccount operator = fixtures.platformAdmin();
        return ApiClient.on(port).login(operator.loginName(), operator.password());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/ca/bindings?name=%ff%fe%c3",
                "/api/ca/bindings?account=%ff",
                "/api/audit/events?actor=%ff",
                "/api/audit/events?actor=%e4%b8",
                "/api/ca/bindings?%ff=1",
                "/api/admin/accounts?loginName=%c0%af"
            })
    void queryWhenPercentEncodingMalformedThenValidationProblem(String pathAndQuery) {
        ApiClient.Response response =
                signedIn().header("Accept", "application/json").get(pathAndQuery);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("VALIDATION");
        assertThat(response.detail()).isEqualTo("请求参数的编码无效。");
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void pageQueryWhenPercentEncodingMalformedThenChineseErrorPage() {
        ApiClient.Response response = signedIn().get("/system/platform/accounts?name=%ff%fe");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains("请求参数的编码无效。");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/ca/bindings?name=%", "/api/ca/bindings?name=%zz", "/api/ca/bindings?name=%e"})
    void queryWhenEscapeIncompleteThenValidationProblem(String pathAndQuery) throws Exception {
        String answer = raw("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                + "Cookie: " + sessionCookie() + "\r\nConnection: close\r\n\r\n");

        assertThat(status(answer)).as(answer).isEqualTo(400);
        assertThat(answer).contains("application/problem+json").contains("\"code\":\"VALIDATION\"");
    }

    @Test
    void queryWhenMalformedAndNotSignedInThenValidationNotServerError() {
        ApiClient.Response response = ApiClient.on(port).get("/api/ca/bindings?name=%ff%fe%c3");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION");
    }

    @Test
    void queryWhenWellFormedUtf8ThenAnsweredNormally() {
        ApiClient.Response response = signedIn().get("/api/ca/bindings?name=%E8%A5%BF%E5%AD%90&account=a%20b");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /**
     * Random query strings from a fixed seed: percent signs with zero to two hex digits, arbitrary bytes
     * as escapes, separators. Every answer is a 200 or a 4xx (problem+json for the API, the error page
     * for pages), never a 5xx.
     */
    @Test
    void queryWhenRandomBytesThenNeverServerError() throws Exception {
        Random random = new Random(22);
        String cookie = sessionCookie();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String path = PATHS.get(random.nextInt(PATHS.size())) + "?" + randomQuery(random);
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                    + "Cookie: " + cookie + "\r\nConnection: close\r\n\r\n");
            int status = status(answer);
            boolean problem = path.startsWith("/api/") ? answer.contains("\"code\":\"") : answer.contains("text/html");
            if (status >= 500 || status == 0 || (status >= 400 && !problem)) {
                failures.add(path + " -> " + answer.lines().findFirst().orElse(""));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void headerWhenBytesNotAsciiOrEncodingMalformedThenNeverServerError() throws Exception {
        String cookie = sessionCookie();
        List<String> headers = List.of(
                "Accept-Language: \u00ff\u00fe",
                "X-Forwarded-For: %ff%fe",
                "Accept-Language: zz-%ff;q=abc",
                "Accept: application/%ff",
                "Cookie: SESSION=%ff%fe; " + cookie,
                "X-XSRF-TOKEN: %ff\u00c3",
                "Content-Type: text/%ff; charset=%ff");
        List<String> failures = new ArrayList<>();
        for (String header : headers) {
            for (String path : List.of("/api/me", "/api/ca/bindings?name=x", "/system/platform/accounts")) {
                String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\nCookie: "
                        + cookie + "\r\nConnection: close\r\n\r\n");
                int status = status(answer);
                if (status >= 500 || status == 0) {
                    failures.add(header + " " + path + " -> "
                            + answer.lines().findFirst().orElse(""));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void formBodyWhenPercentEncodingMalformedThenBadRequestNotServerError() throws Exception {
        String body = "_csrf=%ff%fe&loginName=%c3";
        for (String path : List.of("/api/auth/logout", "/api/auth/password", "/logout")) {
            String answer = raw("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                    + "Cookie: " + sessionCookie() + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body);

            assertThat(status(answer)).as(path + " -> " + answer).isBetween(400, 499);
        }
    }

    @Test
    void requestLineWhenTargetMalformedThenBadRequestNotServerError() throws Exception {
        for (String target : List.of("/api/%ff", "/api/ca/%2e%2e/%2e%2e/x", "/api/ca/bindings?a=%ff%", "/%")) {
            String answer = raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n");

            assertThat(status(answer)).as(target + " -> " + answer).isBetween(400, 499);
        }
    }

    private String sessionCookie() {
        ApiClient client = signedIn();
        return "SESSION=" + client.cookie("SESSION").orElseThrow();
    }

    private static String randomQuery(Random random) {
        StringBuilder query = new StringBuilder();
        String[] names = {"name", "account", "actor", "page", "size", "loginName", "ip", "action"};
        int parts = 1 + random.nextInt(3);
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                query.append('&');
            }
            query.append(names[random.nextInt(names.length)]).append('=');
            int length = random.nextInt(8);
            for (int c = 0; c < length; c++) {
                switch (random.nextInt(5)) {
                    case 0 -> query.append('%');
                    case 1 -> query.append('%').append(hex(random));
                    case 2, 3 -> query.append('%').append(hex(random)).append(hex(random));
                    default -> query.append((char) ('a' + random.nextInt(26)));
                }
            }
        }
        return query.toString();
    }

    private static char hex(Random random) {
        return "0123456789abcdefABCDEFxz".charAt(random.nextInt(24));
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static int status(String answer) {
        if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12) {
            return 0;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }
}
