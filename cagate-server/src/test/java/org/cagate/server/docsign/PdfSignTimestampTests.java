package org.cagate.server.docsign;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cagate.pki.sign.Signer;
import org.cagate.server.driver.LocalAgent;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.TsaServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cagate.signing.tsa-url}: with the test TSA (cagate-testca TsaServer) configured, 签章 completes
 * PAdES B-T (验章 shows the time-stamp); when the TSA stops answering, TIMESTAMP_UNAVAILABLE and no PDF.
 * This context also sets {@code cagate.signing.max-pdf-size=1MB}: a larger PDF is refused naming it.
 */
@CagateServerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PdfSignTimestampTests extends LocalAgentServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestCa TSA_CA = TestPki.provider("TSA21").build();
    private static final TsaServer TSA = TsaServer.start(TSA_CA);

    @DynamicPropertySource
    static void timeStampAuthority(DynamicPropertyRegistry registry) {
        registry.add("cagate.signing.tsa-url", TSA::url);
        registry.add("cagate.signing.max-pdf-size", () -> "1MB");
    }

    @AfterAll
    static void stopTsa() {
        try {
            TSA.close();
        } catch (RuntimeException e) {
            // closed already by the last test
        }
    }

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    private Fixtures.TestAccount account;
    private ApiClient user;

    @BeforeEach
    void signer() {
        ensureWorld();
        account = fixtures.account(sichuanOrganization(), "USER");
        user = ApiClient.on(port).login(account.loginName(), account.password());
    }

    @Test
    @Order(1)
    void signWhenTsaConfiguredThenTheSignatureCarriesItsTimeStamp() throws Exception {
        int before = TSA.requests.get();
        Credential credential = agent().ca(LocalAgent.SCCA).user("西子").issue();

        HttpResponse<byte[]> signed = sign(credential);

        assertThat(signed.statusCode()).as(text(signed)).isEqualTo(200);
        assertThat(TSA.requests.get()).isEqualTo(before + 1);
        JsonNode signature = JSON.readTree(new Multipart()
                        .file("file", signed.body())
                        .post(user, port, "/api/pdf/verify")
                        .body())
                .get(0);
        assertThat(signature.get("valid").asBoolean()).as(signature.toString()).isTrue();
        assertThat(signature.get("timestamp").isNull()).as(signature.toString()).isFalse();
        assertThat(user.send("GET", "/system/docsign/sign", null, null).body()).contains("签章附带可信时间戳");
        assertThat(jdbc.sql("select detail from audit_event where action = 'DOCUMENT_SIGNED' and outcome = 'SUCCESS'"
                                + " and actor_account_id = ?")
                        .param(account.id())
                        .query(String.class)
                        .single())
                .endsWith("PAdES B-T");
    }

    @Test
    @Order(2)
    void signWhenPdfLargerThanTheSettingThenPdfTooLargeNamesTheLimit() throws Exception {
        byte[] large = java.util.Arrays.copyOf(DocSignPagesTests.document(1, PDRectangle.A4), 1024 * 1024 + 10);

        HttpResponse<byte[]> preview = new Multipart().file("file", large).post(user, port, "/api/pdf/preview");
        HttpResponse<byte[]> prepare = new Multipart().file("file", large).post(user, port, "/api/pdf/sign/prepare");

        for (HttpResponse<byte[]> refused : java.util.List.of(preview, prepare)) {
            assertThat(refused.statusCode()).isEqualTo(413);
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.get("code").asString()).isEqualTo("PDF_TOO_LARGE");
            assertThat(problem.get("detail").asString()).contains("超过 1 MB");
        }
        assertThat(user.send("GET", "/system/docsign/sign", null, null).body()).contains("不超过 <span>1</span> MB");
    }

    @Test
    @Order(3)
    void signWhenCertificateExpiredThenRefusedWithoutAskingTheTsa() throws Exception {
        java.time.Instant now = clock.instant();
        Credential expired = agent().ca(LocalAgent.SCCA)
                .user("西子")
                .notBefore(now.minus(java.time.Duration.ofDays(400)))
                .notAfter(now.minus(java.time.Duration.ofDays(2)))
                .issue();
        int before = TSA.requests.get();

        HttpResponse<byte[]> refused = sign(expired);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).get("code").asString()).isEqualTo("CERT_EXPIRED");
        assertThat(TSA.requests.get()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void signWhenTsaStopsAnsweringThenTimestampUnavailableAndAudited() throws Exception {
        Credential credential = agent().ca(LocalAgent.SCCA).user("西子").issue();
        TSA.close();

        HttpResponse<byte[]> refused = sign(credential);

        assertThat(refused.statusCode()).isEqualTo(503);
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("code").asString()).isEqualTo("TIMESTAMP_UNAVAILABLE");
        assertThat(problem.get("detail").asString()).contains("时间戳服务暂时无法使用");
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'DOCUMENT_SIGNED'"
                                + " and outcome = 'FAILURE' and reason_code = 'TIMESTAMP_UNAVAILABLE'"
                                + " and actor_account_id = ?")
                        .param(account.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    private HttpResponse<byte[]> sign(Credential credential) throws Exception {
        HttpResponse<byte[]> prepared = new Multipart()
                .file("file", DocSignPagesTests.document(1, PDRectangle.A4))
                .post(user, port, "/api/pdf/sign/prepare");
        assertThat(prepared.statusCode()).as(text(prepared)).isEqualTo(200);
        JsonNode answer = JSON.readTree(prepared.body());
        Signer key = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                .chain(credential.caCertificates())
                .clock(clock);
        String digest = key.algorithm().digest().equals("SM3") ? "sm3" : "sha256";
        byte[] cms = key.signDigest(
                        Base64.getDecoder().decode(answer.get(digest).asString()))
                .signature();
        return new Multipart()
                .file("file", Base64.getDecoder().decode(answer.get("document").asString()))
                .field("signature", Base64.getEncoder().encodeToString(cms))
                .field("documentName", "承诺函.pdf")
                .post(user, port, "/api/pdf/sign/complete");
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
