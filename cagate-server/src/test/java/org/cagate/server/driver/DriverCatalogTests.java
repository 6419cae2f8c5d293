package org.cagate.server.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.web.PageRenderingTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the download centre offers where: {@code GET /api/drivers} groups each enabled provider's newest
 * package and the agent (for the providers its template sets up) by the regions where the provider is
 * offered; the agent is served with the platform's origin in its configuration and the checksum of
 * exactly those bytes; the page shows the same, or one provider's.
 */
@CagateServerTest
class DriverCatalogTests extends LocalAgentServerTest {

    private String region(String name) {
        String code = "R" + Fixtures.unique();
        ApiClient.Response response =
                operator().put("/api/admin/regions/" + code, Map.of("name", name, "caEnabled", true));
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return code;
    }

    private String provider(String name, boolean enabled, String... regions) {
        String code = "P" + Fixtures.unique();
        Map<String, Object> body = new LinkedHashMap<>(provider(name, agent().ca(LocalAgent.SCCA), regions));
        body.put("enabled", enabled);
        ApiClient.Response response = operator().put("/api/admin/ca-providers/" + code, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return code;
    }

    private JsonNode upload(String provider, String version, String name) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("provider", provider);
        fields.put("version", version);
        if (name != null) {
            fields.put("name", name);
        }
        ApiClient.Response response = Http.upload(
                operator(),
                port,
                "/api/admin/drivers",
                fields,
                provider + "-" + version + ".zip",
                DriverUploadTests.zip(1000, version.hashCode()));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** region code → [provider code/package version] of GET /api/drivers, for the regions asked about. */
    private Map<String, List<String>> offered(String... regions) {
        ApiClient.Response response = ApiClient.on(port).get("/api/drivers");
        assertThat(response.status()).isEqualTo(200);
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (JsonNode region : response.json()) {
            String code = region.path("region").path("code").asString();
            if (List.of(regions).contains(code)) {
                List<String> packages = new ArrayList<>();
                region.path("packages")
                        .forEach(p ->
                                packages.add(p.path("provider").path("code").asString() + "/"
                                        + p.path("version").asString()));
                found.put(code, packages);
            }
        }
        return found;
    }

    @Test
    void driversWhenProvidersOfferedInRegionsThenNewestPackagePerProviderUnderEachOfItsRegions() {
        String sichuan = region("四川省");
        String qinghai = region("青海省");
        String empty = region("西藏自治区");
        String scca = provider("四川CA", true, sichuan);
        String twca = provider("天威CA", true, sichuan, qinghai);
        String off = provider("停用CA", false, sichuan);
        String none = provider("无驱动CA", true, empty);
        upload(scca, "1.0", null);
        upload(scca, "1.1", "四川CA 驱动");
        upload(twca, "5.0", null);
        upload(off, "1.0", null);

        Map<String, List<String>> offered = offered(sichuan, qinghai, empty);

        assertThat(offered).containsOnlyKeys(sichuan, qinghai);
        assertThat(offered.get(sichuan)).containsExactlyInAnyOrder(scca + "/1.1", twca + "/5.0");
        assertThat(offered.get(qinghai)).containsExactly(twca + "/5.0");
        assertThat(none).isNotNull();

        JsonNode region = null;
        for (JsonNode r : ApiClient.on(port).get("/api/drivers").json()) {
            if (r.path("region").path("code").asString().equals(sichuan)) {
                region = r;
            }
        }
        assertThat(region.path("region").path("name").asString()).isEqualTo("四川省");
        JsonNode first = region.path("packages").get(0);
        assertThat(first.path("provider").path("name").asString()).isIn("四川CA", "天威CA");
        for (JsonNode p : region.path("packages")) {
            if (p.path("provider").path("code").asString().equals(scca)) {
                assertThat(p.path("name").asString()).isEqualTo("四川CA 驱动");
                assertThat(p.path("size").asLong()).isEqualTo(1000);
                assertThat(p.path("sha256").asString()).hasSize(64);
                assertThat(p.path("updatedAt").asString()).isNotBlank();
                assertThat(p.path("downloadUrl").asString()).startsWith(LocalAgent.ORIGIN + "/drivers/packages/");
            }
        }
    }

    @Test
    void driversWhenAgentServesProviderThenOfferedWithPlatformOriginFilledInAndMatchingChecksum() throws Exception {
        ensureWorld();

        JsonNode sccaAgent = null;
        JsonNode qinghaiAgent = null;
        for (JsonNode region : ApiClient.on(port).get("/api/drivers").json()) {
            for (JsonNode p : region.path("packages")) {
                boolean agentPackage = p.path("name").asString().equals("证书驱动＋签章服务");
                String code = region.path("region").path("code").asString();
                if (agentPackage
                        && code.equals(SICHUAN)
                        && p.path("provider").path("code").asString().equals(LocalAgent.SCCA)) {
                    sccaAgent = p;
                }
                if (agentPackage && code.equals(QINGHAI)) {
                    qinghaiAgent = p;
                }
            }
        }
        assertThat(sccaAgent).as("the agent for SCCA in 四川省").isNotNull();
        assertThat(qinghaiAgent.path("provider").path("code").asString()).isEqualTo(LocalAgent.QHCA);
        assertThat(sccaAgent.path("version").asString()).isEqualTo(agent().version());
        String path = Http.path(sccaAgent.path("downloadUrl").asString());
        assertThat(path).isEqualTo("/drivers/agent/cagate-agent-" + agent().version() + ".zip");

        HttpResponse<byte[]> download = Http.fetch(port, "GET", path);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(DriverUploadTests.sha256(download.body()))
                .isEqualTo(sccaAgent.path("sha256").asString());
        assertThat(download.headers().firstValue("X-Checksum-SHA256"))
                .contains(sccaAgent.path("sha256").asString());
        assertThat((long) download.body().length)
                .isEqualTo(sccaAgent.path("size").asLong());
        String template = null;
        int entries = 0;
        try (ZipInputStream zip =
                new ZipInputStream(new ByteArrayInputStream(download.body()), StandardCharsets.UTF_8)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries++;
                String content = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(content).as(e.getName()).doesNotContain("@PLATFORM_ORIGIN@");
                if (e.getName().equals("cagate-agent/conf/cagate-agent.properties")) {
                    template = content;
                }
            }
        }
        assertThat(entries).isEqualTo(5);
        assertThat(template)
                .contains("agent.allowedOrigins=" + LocalAgent.ORIGIN + "\n", "provider.SCCA.backend=pkcs12");
        ApiClient.Response providers = ApiClient.on(port).get("/api/ca/providers");
        providers.json().forEach(p -> {
            if (p.path("code").asString().equals(LocalAgent.QHCA)) {
                assertThat(p.path("driver").path("version").asString()).isEqualTo(agent().version());
                assertThat(p.path("driver").path("downloadUrl").asString()).endsWith(path);
            }
        });
    }

    @Test
    void driversWhenAgentZipReplacedThenNewVersionServedWithoutRestart() throws Exception {
        ensureWorld();
        try {
            agent().writeZip("99.1.0");

            ApiClient.Response drivers = ApiClient.on(port).get("/api/drivers");

            assertThat(drivers.body())
                    .contains("/drivers/agent/cagate-agent-99.1.0.zip")
                    .doesNotContain("cagate-agent-" + agent().version() + ".zip");
            assertThat(Http.fetch(port, "GET", "/drivers/agent/cagate-agent-" + agent().version() + ".zip")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(Http.fetch(port, "HEAD", "/drivers/agent/cagate-agent-99.1.0.zip")
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            agent().writeZip(agent().version());
        }
    }

    @Test
    void driversPageWhenProviderChosenThenOnlyItsPackagesAndEveryFactOfThem() {
        String region = region("青海省");
        String chosen = provider("青海CA", true, region);
        String other = provider("天威CA", true, region);
        JsonNode uploaded = upload(chosen, "2.4.0", null);
        upload(other, "7.0", null);

        String all = ApiClient.on(port).get("/drivers").body();
        String one = ApiClient.on(port).get("/drivers?provider=" + chosen).body();
        String unknown = ApiClient.on(port).get("/drivers?provider=NOPE").body();

        assertThat(all)
                .contains(
                        "客户端&amp;驱动下载",
                        "青海省",
                        "最近更新日期",
                        "立即下载",
                        "data-provider=\"" + other + "\"",
                        "data-provider=\"" + chosen + "\"");
        assertThat(one)
                .contains(
                        "以下为 <b>青海CA</b> 的驱动",
                        "2.4.0",
                        uploaded.path("sha256").asString(),
                        "1000 字节",
                        "data-provider=\"" + chosen + "\"",
                        Http.path(uploaded.path("downloadUrl").asString()),
                        "查看全部驱动");
        assertThat(one).doesNotContain("data-provider=\"" + other + "\"");
        assertThat(unknown).contains("未找到所选的 CA 服务商");
        for (String html : List.of(all, one, unknown)) {
            assertThat(PageRenderingTests.englishWords(html)).isEmpty();
            assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
            assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
        }
    }

    @Test
    void adminPageWhenOperatorThenUploadFormAgentPackageAndList() {
        String code = provider("四川CA", true, region("四川省"));
        upload(code, "3.0", null);

        String html = operator().get("/system/platform/drivers").body();

        assertThat(html)
                .contains(
                        "驱动管理",
                        "上传驱动",
                        "安装包",
                        "版本",
                        "3.0",
                        "在用",
                        "停用",
                        "证书驱动＋签章服务（本平台驱动）",
                        agent().version(),
                        "SCCA",
                        "/js/drivers-admin.js");
        assertThat(PageRenderingTests.englishWords(html)).isEmpty();
        assertThat(html).doesNotContainPattern("\\sstyle\\s*=");
    }
}
