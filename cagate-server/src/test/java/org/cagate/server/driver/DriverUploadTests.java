package org.cagate.server.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Operators upload driver packages: the rules (type by content, size, duplicate version), what is
 * stored (the bytes, their SHA-256 computed by the server) and how it is downloaded (headers, HEAD,
 * 304, retirement).
 */
@CagateServerTest
class DriverUploadTests extends LocalAgentServerTest {

    @Autowired
    JdbcClient jdbc;

    /** A zip-looking file of the given size (a local file header, then random bytes). */
    static byte[] zip(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        bytes[0] = 0x50;
        bytes[1] = 0x4B;
        bytes[2] = 0x03;
        bytes[3] = 0x04;
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private ApiClient.Response upload(String provider, String version, String fileName, byte[] file) {
        return Http.upload(
                operator(),
                port,
                "/api/admin/drivers",
                Map.of("provider", provider, "version", version),
                fileName,
                file);
    }

    /** A provider of its own (the operator API), offered in 四川省. */
    private String newProvider() {
        String code = "P" + Fixtures.unique();
        ApiClient.Response created = operator()
                .put("/api/admin/ca-providers/" + code, provider("天威CA" + code, agent().ca(LocalAgent.SCCA), SICHUAN));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return code;
    }

    @Test
    void uploadWhenZipOverTwoChunksThenStoredWithServerChecksumAndDownloadedWhole() throws Exception {
        String provider = newProvider();
        byte[] file = zip(DriverPackageRepository.CHUNK_BYTES * 2 + 12345, 1);

        ApiClient.Response created = upload(provider, "3.2.1", "四川CA 驱动 v3.2.1.zip", file);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("sha256").asString()).isEqualTo(sha256(file));
        assertThat(created.json().path("size").asLong()).isEqualTo(file.length);
        assertThat(created.json().path("kind").asString()).isEqualTo("ZIP");
        assertThat(created.json().path("name").asString()).isEqualTo("天威CA" + provider + " 驱动");
        assertThat(created.json().path("fileName").asString()).isEqualTo("四川CA 驱动 v3.2.1.zip");
        String path = Http.path(created.json().path("downloadUrl").asString());
        assertThat(created.json().path("downloadUrl").asString()).startsWith(LocalAgent.ORIGIN + "/drivers/packages/");

        HttpResponse<byte[]> download = Http.fetch(port, "GET", path);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(file);
        assertThat(download.headers().firstValue("Content-Length")).contains(String.valueOf(file.length));
        assertThat(download.headers().firstValue("Content-Type")).contains("application/zip");
        assertThat(download.headers().firstValue("ETag")).contains("\"" + sha256(file) + "\"");
        assertThat(download.headers().firstValue("X-Checksum-SHA256")).contains(sha256(file));
        assertThat(download.headers().firstValue("Repr-Digest"))
                .contains("sha-256=:"
                        + Base64.getEncoder()
                                .encodeToString(
                                        MessageDigest.getInstance("SHA-256").digest(file)) + ":");
        String disposition =
                download.headers().firstValue("Content-Disposition").orElseThrow();
        assertThat(disposition).startsWith("attachment;").contains("filename*=UTF-8''");
        assertThat(URLDecoder.decode(disposition.substring(disposition.indexOf("UTF-8''") + 7), StandardCharsets.UTF_8))
                .isEqualTo("四川CA 驱动 v3.2.1.zip");
        Long chunks = jdbc.sql("SELECT COUNT(*) FROM driver_package_chunk WHERE package_id = :id")
                .param("id", created.json().path("id").asLong())
                .query(Long.class)
                .single();
        assertThat(chunks).isEqualTo(3);
    }

    @Test
    void downloadWhenHeadOrSameEtagThenHeadersWithoutBody() throws Exception {
        String provider = newProvider();
        byte[] file = zip(5000, 2);
        String path = Http.path(upload(provider, "1.0", "driver.zip", file)
                .json()
                .path("downloadUrl")
                .asString());

        HttpResponse<byte[]> head = Http.fetch(port, "HEAD", path);
        HttpResponse<byte[]> cached = Http.fetch(port, "GET", path, "If-None-Match", "\"" + sha256(file) + "\"");
        HttpResponse<byte[]> stale = Http.fetch(port, "GET", path, "If-None-Match", "\"0000\"");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains("5000");
        assertThat(head.headers().firstValue("X-Checksum-SHA256")).contains(sha256(file));
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(file);
        assertThat(Http.fetch(port, "GET", path.replace("driver.zip", "other.zip"))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void uploadWhenContentIsNotAnInstallerOrDoesNotFitTheNameThenUnsupportedMediaType() {
        String provider = newProvider();
        byte[] text = "这不是安装包，只是改了扩展名的文本。".getBytes(StandardCharsets.UTF_8);
        byte[] exe = PackageKindTests.portableExecutable();

        ApiClient.Response renamedText = upload(provider, "1.0", "driver.zip", text);
        ApiClient.Response exeNamedZip = upload(provider, "1.1", "driver.zip", exe);
        ApiClient.Response html =
                upload(provider, "1.2", "driver.exe", "<html></html>".getBytes(StandardCharsets.UTF_8));
        ApiClient.Response exeAsExe = upload(provider, "1.3", "setup.exe", exe);

        for (ApiClient.Response refused : new ApiClient.Response[] {renamedText, exeNamedZip, html}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(415);
            assertThat(refused.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertThat(refused.detail()).contains("ZIP、EXE、MSI");
        }
        assertThat(exeAsExe.status()).as(exeAsExe.toString()).isEqualTo(201);
        assertThat(exeAsExe.json().path("kind").asString()).isEqualTo("EXE");
        assertThat(versions(provider)).containsExactly("1.3");
    }

    @Test
    void uploadWhenLargerThanTheLimitThenPayloadTooLargeAndNothingStored() {
        String provider = newProvider();

        ApiClient.Response tooLarge = upload(provider, "9.0", "big.zip", zip(3 * 1024 * 1024 + 1, 3));
        ApiClient.Response atLimit = upload(provider, "9.1", "max.zip", zip(3 * 1024 * 1024, 4));

        assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
        assertThat(tooLarge.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(tooLarge.detail()).isEqualTo("安装包不能超过 3.0 MB。");
        assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(201);
        assertThat(versions(provider)).containsExactly("9.1");
    }

    @Test
    void uploadWhenVersionExistsThenConflictAlsoAfterItWasRetired() {
        String provider = newProvider();
        ApiClient.Response first = upload(provider, "2.0.0", "a.zip", zip(100, 5));

        ApiClient.Response again = upload(provider, "2.0.0", "b.zip", zip(200, 6));
        ApiClient.Response retired =
                operator().post("/api/admin/drivers/" + first.json().path("id").asLong() + "/retire", null);
        ApiClient.Response afterRetire = upload(provider, "2.0.0", "c.zip", zip(300, 7));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("CONFLICT");
        assertThat(again.detail()).isEqualTo("该 CA 服务商已有此版本的驱动（包括已停用的版本），请使用新的版本号。");
        assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
        assertThat(afterRetire.status()).isEqualTo(409);
    }

    @Test
    void retireWhenPackageOnOfferThenNotDownloadableNotListedAndBytesDeleted() {
        String provider = newProvider();
        ApiClient.Response older = upload(provider, "1.0", "old.zip", zip(100, 8));
        ApiClient.Response newer = upload(provider, "1.1", "new.zip", zip(100, 9));
        long id = newer.json().path("id").asLong();

        ApiClient.Response retired = operator().post("/api/admin/drivers/" + id + "/retire", null);
        ApiClient.Response twice = operator().post("/api/admin/drivers/" + id + "/retire", null);

        assertThat(retired.json().path("retiredAt").isNull()).isFalse();
        assertThat(retired.json().path("downloadUrl").isNull()).isTrue();
        assertThat(twice.status()).isEqualTo(409);
        assertThat(Http.fetch(
                                port,
                                "GET",
                                Http.path(newer.json().path("downloadUrl").asString()))
                        .statusCode())
                .isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM driver_package_chunk WHERE package_id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isZero();
        ApiClient.Response offered = ApiClient.on(port).get("/api/ca/providers");
        offered.json().forEach(p -> {
            if (p.path("code").asString().equals(provider)) {
                assertThat(p.path("driver").path("version").asString()).isEqualTo("1.0");
                assertThat(p.path("driver").path("sha256").asString())
                        .isEqualTo(older.json().path("sha256").asString());
            }
        });
        assertThat(operator().post("/api/admin/drivers/999999999/retire", null).status())
                .isEqualTo(404);
    }

    @Test
    void uploadWhenFieldsWrongThenTypedRefusals() {
        String provider = newProvider();

        ApiClient.Response badVersion = upload(provider, "1.0 beta", "a.zip", zip(100, 10));
        ApiClient.Response unknownProvider = upload("NOPE" + Fixtures.unique(), "1.0", "a.zip", zip(100, 11));
        ApiClient.Response noFile = Http.upload(
                operator(), port, "/api/admin/drivers", Map.of("provider", provider, "version", "1.0"), null, null);
        ApiClient.Response emptyFile = upload(provider, "1.0", "a.zip", new byte[0]);
        ApiClient.Response hiddenName = upload(provider, "1.0", ".zip", zip(100, 12));
        ApiClient.Response json = operator().post("/api/admin/drivers", Map.of("provider", provider));

        assertThat(badVersion.status()).isEqualTo(400);
        assertThat(badVersion.code()).isEqualTo("VALIDATION");
        assertThat(unknownProvider.code()).isEqualTo("PROVIDER_UNKNOWN");
        assertThat(noFile.status()).as(noFile.toString()).isEqualTo(400);
        assertThat(emptyFile.status()).isEqualTo(400);
        assertThat(hiddenName.status()).isEqualTo(400);
        assertThat(json.status()).as(json.toString()).isEqualTo(415);
        assertThat(versions(provider)).isEmpty();
    }

    @Test
    void adminDriversWhenNotPlatformAdminThenRefusedButDownloadCentrePublic() {
        Fixtures.Org org = fixtures.organization();
        Fixtures.TestAccount orgAdmin = fixtures.orgAdmin(org);
        ApiClient admin = ApiClient.on(port).login(orgAdmin.loginName(), orgAdmin.password());
        ApiClient anonymous = ApiClient.on(port);

        assertThat(admin.get("/api/admin/drivers").status()).isEqualTo(403);
        assertThat(Http.upload(
                                admin,
                                port,
                                "/api/admin/drivers",
                                Map.of("provider", "SCCA", "version", "1"),
                                "a.zip",
                                zip(10, 1))
                        .status())
                .isEqualTo(403);
        assertThat(anonymous.get("/api/admin/drivers").status()).isEqualTo(401);
        assertThat(admin.get("/system/platform/drivers").status()).isEqualTo(403);
        assertThat(anonymous.get("/api/drivers").status()).isEqualTo(200);
        assertThat(anonymous.get("/drivers").status()).isEqualTo(200);
        assertThat(anonymous.get("/ca-check").status()).isEqualTo(200);
    }

    private java.util.List<String> versions(String provider) {
        return jdbc.sql("SELECT version FROM driver_package WHERE provider_code = :p ORDER BY id")
                .param("p", provider)
                .query(String.class)
                .list();
    }
}
