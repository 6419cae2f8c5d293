package org.cagate.server.docsign;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cagate.server.driver.LocalAgentServerTest;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 签章 and 验章 pages and what the 签章 page calls before the agent: the menu and tile, the seal status
 * (and who sets it), the page preview (PDFRenderer), and prepare's refusals in Chinese.
 */
@CagateServerTest
class DocSignPagesTests extends LocalAgentServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private long organization;
    private ApiClient user;
    private ApiClient admin;

    @BeforeEach
    void organisation() {
        ensureWorld();
        organization = sichuanOrganization();
        Fixtures.TestAccount plain = fixtures.account(organization, "USER");
        user = ApiClient.on(port).login(plain.loginName(), plain.password());
        Fixtures.TestAccount orgAdmin = fixtures.account(organization, "USER", "ORG_ADMIN");
        admin = ApiClient.on(port).login(orgAdmin.loginName(), orgAdmin.password());
    }

    @Test
    void signPageWhenNoSealThenSaysSoAndWhoSetsIt() {
        ApiClient.Response page = user.send("GET", "/system/docsign/sign", null, null);
        ApiClient.Response forAdmin = admin.send("GET", "/system/docsign/sign", null, null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("data-testid=\"doc-sign-page\"", "选择 PDF 文件", "不超过 <span>20</span> MB")
                .contains("本单位尚未设置印章", "本单位管理员", "印章管理")
                .contains("四川CA")
                .doesNotContain("现在上传印章");
        assertThat(forAdmin.body()).contains("现在上传印章", ">印章管理</a>");
    }

    @Test
    void signPageWhenSealSetThenShowsIt() {
        new Multipart().file("image", SealImages.png(100, 100)).put(admin, port, "/api/seal");

        ApiClient.Response page = user.send("GET", "/system/docsign/sign", null, null);

        assertThat(page.body())
                .contains("本单位印章", "data-testid=\"sign-seal-mark\"")
                .doesNotContain("尚未设置印章");
    }

    @Test
    void appsWhenSignedInThenElectronicSealTileLeadsToSign() {
        ApiClient.Response apps = user.send("GET", "/apps", null, null);
        ApiClient.Response verify = user.send("GET", "/system/docsign/verify", null, null);

        assertThat(apps.body()).contains("电子签章", "href=\"/system/docsign/sign\"");
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body()).contains("data-testid=\"doc-verify-page\"", "验章", "签章后文档是否被修改");
    }

    @Test
    void previewWhenSecondPageThenItsImageAndPointSize() throws Exception {
        HttpResponse<byte[]> answer = new Multipart()
                .file("file", document(2, PDRectangle.A4))
                .field("page", 2)
                .post(user, port, "/api/pdf/preview");

        assertThat(answer.statusCode()).as(text(answer)).isEqualTo(200);
        JsonNode view = JSON.readTree(answer.body());
        assertThat(view.get("pages").asInt()).isEqualTo(2);
        assertThat(view.get("page").asInt()).isEqualTo(2);
        assertThat(view.get("width").asDouble())
                .isEqualTo(PDRectangle.A4.getWidth(), org.assertj.core.data.Offset.offset(0.01));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(view.get("image").asString())));
        assertThat(image.getWidth())
                .isEqualTo(
                        Math.round(PDRectangle.A4.getWidth() * view.get("scale").floatValue()));
        assertThat(image.getWidth()).isLessThanOrEqualTo(PdfPreview.MAX_WIDTH_PX);
    }

    @Test
    void previewWhenPageBeyondTheLastThenValidationNamesThePageCount() throws Exception {
        HttpResponse<byte[]> answer = new Multipart()
                .file("file", document(2, PDRectangle.A4))
                .field("page", 3)
                .post(user, port, "/api/pdf/preview");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("detail").asString()).contains("只有 2 页");
    }

    @Test
    void previewWhenNotAPdfThenDamagedInChinese() throws Exception {
        HttpResponse<byte[]> answer = new Multipart()
                .file("file", "投标文件".getBytes(StandardCharsets.UTF_8))
                .post(user, port, "/api/pdf/preview");

        assertThat(answer.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("code").asString()).isEqualTo("PDF_DAMAGED");
        assertThat(problem.get("detail").asString()).contains("已损坏");
    }

    @Test
    void prepareWhenPlacedButOrganisationHasNoSealThenValidationTellsWhoSetsIt() throws Exception {
        HttpResponse<byte[]> answer = new Multipart()
                .file("file", document(1, PDRectangle.A4))
                .field("page", 1)
                .field("x", 100)
                .field("y", 100)
                .post(user, port, "/api/pdf/sign/prepare");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("detail").asString()).contains("尚未设置印章", "管理员");
    }

    @Test
    void prepareWhenSealOffThePageThenPlacementProblem() throws Exception {
        new Multipart().file("image", SealImages.png(100, 100)).put(admin, port, "/api/seal");

        HttpResponse<byte[]> answer = new Multipart()
                .file("file", document(1, PDRectangle.A4))
                .field("page", 1)
                .field("x", 560)
                .field("y", 100)
                .post(user, port, "/api/pdf/sign/prepare");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("detail").asString()).contains("印章位置");
    }

    @Test
    void prepareWhenNoPlacementThenAnInvisibleSignatureIsPrepared() throws Exception {
        HttpResponse<byte[]> answer =
                new Multipart().file("file", document(1, PDRectangle.A4)).post(user, port, "/api/pdf/sign/prepare");

        assertThat(answer.statusCode()).as(text(answer)).isEqualTo(200);
        JsonNode prepared = JSON.readTree(answer.body());
        assertThat(Base64.getDecoder().decode(prepared.get("sha256").asString()))
                .hasSize(32);
        assertThat(Base64.getDecoder().decode(prepared.get("sm3").asString())).hasSize(32);
    }

    static byte[] document(int pages, PDRectangle size) throws Exception {
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < pages; i++) {
                document.addPage(new PDPage(size));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
