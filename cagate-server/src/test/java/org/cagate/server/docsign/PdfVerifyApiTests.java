package org.cagate.server.docsign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cagate.pki.pdf.PdfSigner;
import org.cagate.pki.pdf.PreparedPdf;
import org.cagate.pki.sign.Signer;
import org.cagate.server.driver.LocalAgent;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** 验章 API: POST /api/pdf/verify with PDFs signed by a provider's key, changed, damaged, and without a session. */
@CagateServerTest
class PdfVerifyApiTests extends LocalAgentServerTest {

    @Autowired
    TestClock clock;

    private ApiClient user;

    @BeforeEach
    void loggedInUser() {
        ensureWorld();
        var account = fixtures.account(sichuanOrganization(), "USER");
        user = ApiClient.on(port).login(account.loginName(), account.password());
    }

    @Test
    void verifyWhenSignedByAProvidersKeyThenValidWithSignerProviderAndWholeDocument() throws Exception {
        byte[] signed = signed(agent().ca(LocalAgent.SCCA).user("西子").issue());

        ApiClient.Response response = upload(user, signed);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode signature = response.json().get(0);
        assertThat(signature.get("valid").asBoolean()).as(response.body()).isTrue();
        assertThat(signature.get("intact").asBoolean()).isTrue();
        assertThat(signature.get("coverage").asString()).isEqualTo("WHOLE_DOCUMENT");
        // Other tests of the shared context may register providers with the same CA: any one that trusts it.
        assertThat(signature.get("provider").asString()).isNotBlank();
        assertThat(signature.get("providerName").asString()).isNotBlank();
        assertThat(signature.get("signer").asString()).contains("CN=西子");
        assertThat(signature.get("findings").size()).isZero();
    }

    @Test
    void verifyWhenAByteChangedAfterSigningThenNotIntactNotValid() throws Exception {
        byte[] signed = signed(agent().ca(LocalAgent.SCCA).user("西子").issue());
        signed[7] = (byte) (signed[7] == '4' ? '5' : '4'); // %PDF-1.x: the header's minor version

        JsonNode signature = upload(user, signed).json().get(0);

        assertThat(signature.get("intact").asBoolean()).isFalse();
        assertThat(signature.get("valid").asBoolean()).isFalse();
    }

    @Test
    void verifyWhenNotAPdfThenPdfDamagedProblemInChinese() {
        ApiClient.Response response = upload(user, "not a pdf".getBytes(StandardCharsets.US_ASCII));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("code").asString()).isEqualTo("PDF_DAMAGED");
        assertThat(response.json().get("detail").asString()).contains("已损坏");
    }

    @Test
    void verifyWhenNoSessionThenUnauthenticated() throws Exception {
        ApiClient anonymous = ApiClient.on(port);

        ApiClient.Response response =
                upload(anonymous, signed(agent().ca(LocalAgent.SCCA).user("西子").issue()));

        assertThat(response.status()).isIn(401, 403);
    }

    private byte[] signed(Credential credential) throws Exception {
        PdfSigner signer = new PdfSigner(clock, 20L * 1024 * 1024);
        PreparedPdf prepared = signer.prepare(document(), null, null, "签章");
        Signer key = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                .chain(credential.caCertificates())
                .clock(clock);
        byte[] digest = key.algorithm().digest().equals("SM3") ? prepared.sm3() : prepared.sha256();
        return signer.complete(prepared, key.signDigest(digest).signature());
    }

    private static byte[] document() throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    /** multipart/form-data POST with the client's session and CSRF token. */
    private ApiClient.Response upload(ApiClient client, byte[] pdf) {
        if (client.cookie("XSRF-TOKEN").isEmpty()) {
            client.get("/api/auth/csrf");
        }
        String boundary = "----cagate" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"投标文件.pdf\""
                        + "\r\nContent-Type: application/pdf\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(pdf);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        StringJoiner cookies = new StringJoiner("; ");
        for (String name : new String[] {"SESSION", "XSRF-TOKEN"}) {
            client.cookie(name).ifPresent(value -> cookies.add(name + "=" + value));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pdf/verify"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-Forwarded-For", client.ip())
                .header("Accept-Language", "zh-CN")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (cookies.length() > 0) {
            request.header("Cookie", cookies.toString());
        }
        client.cookie("XSRF-TOKEN").ifPresent(token -> request.header("X-XSRF-TOKEN", token));
        try {
            return new ApiClient.Response(
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
