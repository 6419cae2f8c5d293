package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Whatever a client sends, the answer is a problem+json with a code, never a 500 or a stack trace. */
@CagateServerTest
class ProblemResponseTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    private ApiClient signedIn() {
        TestAccount operator = fixtures.platformAdmin();
        return ApiClient.on(port).login(operator.loginName(), operator.password());
    }

    private static void assertProblem(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("title").asString()).isNotBlank();
        assertThat(response.detail()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void bodyWhenNotJsonThenValidation() {
        ApiClient.Response response =
                ApiClient.on(port).send("POST", "/api/auth/password", "{\"loginName\": ", "application/json");

        assertProblem(response, 400, "VALIDATION");
        assertThat(response.detail()).isEqualTo("请求内容无法解析。");
    }

    @Test
    void bodyWhenMissingThenValidation() {
        assertProblem(
                ApiClient.on(port).send("POST", "/api/auth/password", null, "application/json"), 400, "VALIDATION");
    }

    @Test
    void bodyWhenFieldsBlankThenValidationListingFields() {
        ApiClient.Response response =
                ApiClient.on(port).post("/api/auth/password", Map.of("loginName", "", "password", ""));

        assertProblem(response, 400, "VALIDATION");
        assertThat(response.json().path("errors").toString()).contains("loginName", "password");
    }

    @Test
    void bodyWhenWrongJsonTypeThenValidation() {
        ApiClient.Response response = signedIn()
                .send(
                        "PUT",
                        "/api/admin/regions/R1",
                        "{\"name\": \"地区\", \"caEnabled\": \"maybe\"}",
                        "application/json");

        assertProblem(response, 400, "VALIDATION");
    }

    @Test
    void bodyWhenDeeplyNestedThenValidation() {
        String nested = "[".repeat(3000) + "]".repeat(3000);
        ApiClient.Response response = ApiClient.on(port).send("POST", "/api/auth/password", nested, "application/json");

        assertProblem(response, 400, "VALIDATION");
    }

    @Test
    void parameterWhenWrongTypeThenValidation() {
        ApiClient client = signedIn();

        assertProblem(client.get("/api/admin/accounts?page=abc"), 400, "VALIDATION");
        assertProblem(client.get("/api/admin/accounts/not-a-number"), 400, "VALIDATION");
        assertProblem(client.get("/api/admin/accounts?page=0"), 400, "VALIDATION");
    }

    @Test
    void pathWhenUnknownThenNotFound() {
        assertProblem(signedIn().get("/api/no-such-thing"), 404, "NOT_FOUND");
        assertProblem(signedIn().get("/api/admin/accounts/999999999"), 404, "NOT_FOUND");
    }

    @Test
    void methodWhenNotSupportedThenMethodNotAllowed() {
        ApiClient.Response response = ApiClient.on(port).get("/api/auth/password");

        assertProblem(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains("POST");
    }

    @Test
    void contentTypeWhenNotJsonThenUnsupportedMediaType() {
        assertProblem(
                ApiClient.on(port).send("POST", "/api/auth/password", "loginName=a&password=b", "text/plain"),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void acceptWhenNotJsonThenNotAcceptableProblem() {
        ApiClient.Response response =
                signedIn().header("Accept", "application/xml").get("/api/me");

        assertThat(response.status()).isEqualTo(406);
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void bodyWhenLargerThanLimitThenPayloadTooLarge() {
        String big = "{\"loginName\": \"" + "x".repeat(70_000) + "\", \"password\": \"y\"}";

        assertProblem(
                ApiClient.on(port).send("POST", "/api/auth/password", big, "application/json"),
                413,
                "PAYLOAD_TOO_LARGE");
    }

    @Test
    void chunkedBodyWhenLargerThanLimitThenPayloadTooLarge() throws Exception {
        ApiClient client = ApiClient.on(port);
        client.get("/api/auth/csrf");
        byte[] big = ("{\"loginName\": \"" + "x".repeat(70_000) + "\", \"password\": \"y\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/password"))
                .header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + client.cookie("XSRF-TOKEN").orElseThrow())
                .header("X-XSRF-TOKEN", client.cookie("XSRF-TOKEN").orElseThrow())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }

    @Test
    void detailWhenEnglishAskedThenEnglishOtherwiseChinese() {
        Map<String, String> body = Map.of("loginName", "NOBODY" + Fixtures.unique(), "password", "x");

        ApiClient.Response chinese = ApiClient.on(port).post("/api/auth/password", body);
        ApiClient.Response english =
                ApiClient.on(port).header("Accept-Language", "en-US,en;q=0.9").post("/api/auth/password", body);
        ApiClient.Response french =
                ApiClient.on(port).header("Accept-Language", "fr").post("/api/auth/password", body);

        assertThat(chinese.detail()).isEqualTo("账号或密码错误，请重新输入。");
        assertThat(chinese.json().path("title").asString()).isEqualTo("账号或密码错误");
        assertThat(english.detail()).isEqualTo("The account name or password is wrong.");
        assertThat(english.code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(french.detail()).isEqualTo(chinese.detail());
    }

    @Test
    void apiWhenUnauthenticatedThenProblemNotRedirect() {
        ApiClient.Response response = ApiClient.on(port).get("/api/me");

        assertProblem(response, 401, "UNAUTHENTICATED");
        assertThat(response.detail()).isEqualTo("请先登录。");
    }

    @Test
    void pageWhenUnknownThenChineseErrorPage() {
        ApiClient.Response response = signedIn().get("/system/no-such-page");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains("未找到").contains("请求的内容不存在。");
    }
}
