package org.cagate.server.docsign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.cagate.pki.sign.Signer;
import org.cagate.server.driver.LocalAgent;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * 签章 API: prepare (seal placed), the key signs the digest as the agent does (Signer.signDigest), complete
 * → a PDF that 验章 finds valid, and a DOCUMENT_SIGNED audit event; refused: an expired certificate, a
 * CMS over another document, an encrypted PDF.
 */
@CagateServerTest
class PdfSignApiTests extends LocalAgentServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    private ApiClient user;
    private Fixtures.TestAccount account;

    @BeforeEach
    void loggedInUser() {
        ensureWorld();
        long organization = sichuanOrganization();
        account = fixtures.account(organization, "USER");
        user = ApiClient.on(port).login(account.loginName(), account.password());
        Fixtures.TestAccount admin = fixtures.account(organization, "USER", "ORG_ADMIN");
        HttpResponse<byte[]> seal = new Multipart()
                .file("image", SealImages.png(100, 100))
                .put(ApiClient.on(port).login(admin.loginName(), admin.password()), port, "/api/seal");
        assertThat(seal.statusCode())
                .as(new String(seal.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
    }

    @Test
    void signWhenPreparedSignedAndCompletedThenVerifiesValidAndIsAudited() throws Exception {
        Credential credential = agent().ca(LocalAgent.SCCA).user("西子").issue();
        JsonNode prepared = prepare(document());

        HttpResponse<byte[]> completed = complete(prepared, credential, "投标文件.pdf");

        assertThat(completed.statusCode())
                .as(new String(completed.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(completed.headers().firstValue("Content-Type")).hasValue("application/pdf");
        HttpResponse<byte[]> verified =
                new Multipart().file("file", completed.body()).post(user, port, "/api/pdf/verify");
        JsonNode signature = JSON.readTree(verified.body()).get(0);
        assertThat(signature.get("valid").asBoolean()).as(signature.toString()).isTrue();
        // Other tests of the shared context may register providers with the same CA: any one that trusts it.
        assertThat(signature.get("provider").asString()).isNotBlank();
        String sha256 = HexFormat.of()
                .formatHex(Base64.getDecoder().decode(prepared.get("sha256").asString()));
        List<Map<String, Object>> events = jdbc.sql("select outcome, provider_code, key_id, detail from audit_event"
                        + " where action = 'DOCUMENT_SIGNED' and actor_account_id = ?")
                .param(account.id())
                .query()
                .listOfRows();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("OUTCOME").toString()).isEqualTo("SUCCESS");
        assertThat(events.get(0).get("PROVIDER_CODE"))
                .isEqualTo(signature.get("provider").asString());
        assertThat(events.get(0).get("KEY_ID")).isNotNull();
        assertThat(events.get(0).get("DETAIL").toString())
                .contains("投标文件.pdf")
                .contains("SHA-256=" + sha256)
                .endsWith("PAdES B-B");
    }

    @Test
    void completeWhenCertificateExpiredThenCertExpiredAndAuditedAsFailure() throws Exception {
        Instant now = Instant.now();
        Credential expired = agent().ca(LocalAgent.SCCA)
                .user("西子")
                .notBefore(now.minus(Duration.ofDays(400)))
                .notAfter(now.minus(Duration.ofDays(2)))
                .issue();

        HttpResponse<byte[]> completed = complete(prepare(document()), expired, "合同.pdf");

        assertThat(completed.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(completed.body()).get("code").asString()).isEqualTo("CERT_EXPIRED");
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'DOCUMENT_SIGNED'"
                                + " and outcome = 'FAILURE' and reason_code = 'CERT_EXPIRED' and actor_account_id = ?")
                        .param(account.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    @Test
    void completeWhenCmsSignsAnotherDocumentThenSignatureInvalid() throws Exception {
        Credential credential = agent().ca(LocalAgent.SCCA).user("西子").issue();
        JsonNode first = prepare(document());
        JsonNode second = prepare(document());
        byte[] cms = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                .clock(clock)
                .signDigest(Base64.getDecoder().decode(second.get("sha256").asString()))
                .signature();

        HttpResponse<byte[]> completed = new Multipart()
                .file("file", Base64.getDecoder().decode(first.get("document").asString()))
                .field("signature", Base64.getEncoder().encodeToString(cms))
                .field("documentName", "合同.pdf")
                .post(user, port, "/api/pdf/sign/complete");

        assertThat(completed.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(completed.body()).get("code").asString()).isEqualTo("SIGNATURE_INVALID");
    }

    @Test
    void prepareWhenEncryptedOrNoFileThenProblemInChinese() throws Exception {
        HttpResponse<byte[]> encrypted =
                new Multipart().file("file", encrypted()).post(user, port, "/api/pdf/sign/prepare");
        HttpResponse<byte[]> none = new Multipart().field("page", 1).post(user, port, "/api/pdf/sign/prepare");

        assertThat(encrypted.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(encrypted.body());
        assertThat(problem.get("code").asString()).isEqualTo("PDF_ENCRYPTED");
        assertThat(problem.get("detail").asString()).contains("已加密");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(none.body()).get("code").asString()).isEqualTo("VALIDATION");
    }

    private JsonNode prepare(byte[] pdf) throws Exception {
        HttpResponse<byte[]> response = new Multipart()
                .file("file", pdf)
                .field("page", 1)
                .field("x", 380)
                .field("y", 80)
                .field("width", 120)
                .field("height", 120)
                .post(user, port, "/api/pdf/sign/prepare");
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<byte[]> complete(JsonNode prepared, Credential credential, String name) throws Exception {
        Signer key = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                .chain(credential.caCertificates())
                .clock(clock);
        String digest = key.algorithm().digest().equals("SM3") ? "sm3" : "sha256";
        byte[] cms = key.signDigest(
                        Base64.getDecoder().decode(prepared.get(digest).asString()))
                .signature();
        return new Multipart()
                .file(
                        "file",
                        Base64.getDecoder().decode(prepared.get("document").asString()))
                .field("signature", Base64.getEncoder().encodeToString(cms))
                .field("documentName", name)
                .post(user, port, "/api/pdf/sign/complete");
    }

    private static byte[] document() throws Exception {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] encrypted() throws Exception {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
