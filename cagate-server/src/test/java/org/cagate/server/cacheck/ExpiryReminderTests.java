package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.PageRenderingTests;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The reminders of certificates that end within 30 days, where people see them: flagged on the CA绑定与解绑
 * list, and on the 应用中心 page of the binding's owner only. The bindings: one ending in 10 days, one in
 * 29, one in 31 (not flagged), one ended 3 days ago (a certificate cannot be bound once expired, so its end
 * is moved in the table, as the passing days would), and one ending in 10 days but unbound.
 */
@CagateServerTest
class ExpiryReminderTests {

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.of("Asia/Shanghai"));

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    private TestCa ca;
    private String provider;
    private String providerName;
    private TestAccount admin;
    private TestAccount owner;
    private ApiClient adminClient;

    @BeforeEach
    void organisationWithBindings() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        Fixtures.Org org = fixtures.organization();
        ca = kit.ca();
        provider = kit.provider(ca, org.regionCode());
        providerName = kit.operator()
                .get("/api/ca/providers")
                .json()
                .valueStream()
                .filter(p -> p.path("code").asString().equals(provider))
                .findFirst()
                .orElseThrow()
                .path("name")
                .asString();
        admin = fixtures.orgAdmin(org);
        owner = fixtures.user(org);
        adminClient = ApiClient.on(port).login(admin.loginName(), admin.password());
    }

    /** Binds a new key of the owner whose certificate is valid for this long, shown with this CA锁ID. */
    private JsonNode bind(TestAccount account, Duration validFor, String tokenSerial) {
        // Issued 400 days ago, so that moving its end into the past (endAgo) keeps it after its start.
        Instant now = clock.instant();
        Credential credential = ca.user(account.displayName())
                .notBefore(now.minus(Duration.ofDays(400)))
                .notAfter(now.plus(validFor))
                .issue();
        Map<String, Object> body = new LinkedHashMap<>(CaTestKit.forAccount(
                CaTestKit.assertion(adminClient, "BIND", provider, credential, SignatureFormat.RAW), account.id()));
        body.put("tokenSerial", tokenSerial);
        ApiClient.Response bound = adminClient.post("/api/ca/bindings", body);
        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        return bound.json();
    }

    private Instant endAgo(JsonNode binding, Duration ago) {
        Instant end = clock.instant().minus(ago);
        jdbc.sql("UPDATE ca_binding SET cert_not_after = :t WHERE id = :id")
                .param("t", end.atOffset(ZoneOffset.UTC))
                .param("id", binding.path("id").asLong())
                .update();
        return end;
    }

    private static String day(JsonNode binding) {
        return DAY.format(
                Instant.parse(binding.path("certificate").path("notAfter").asString()));
    }

    /** The page's text without tags, runs of white space as one space. */
    private static String text(String html) {
        return html.replaceAll("<[^>]+>", "").replaceAll("\\s+", " ");
    }

    /** The CA绑定与解绑 row of a binding, as text. */
    private static String row(String html, JsonNode binding) {
        Matcher row = Pattern.compile("data-binding-id=\"" + binding.path("id").asLong() + "\".*?</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(row.find()).as("row of binding " + binding.path("id")).isTrue();
        return text(row.group());
    }

    @Test
    void bindingListWhenCertificatesEndWithin30DaysThenEachRowFlaggedByItsOwnEnd() {
        String serial = Fixtures.unique();
        JsonNode soon = bind(owner, Duration.ofDays(10), "SOON" + serial);
        JsonNode edge = bind(owner, Duration.ofDays(29), "EDGE" + serial);
        JsonNode later = bind(owner, Duration.ofDays(31), "LATER" + serial);
        JsonNode ended = bind(owner, Duration.ofDays(200), "ENDED" + serial);
        String endedDay = DAY.format(endAgo(ended, Duration.ofDays(3)));

        String html = adminClient.get("/system/ca/bindings").body();

        assertThat(row(html, soon)).contains("CA锁ID: SOON" + serial, "到期时间: " + day(soon) + "（即将到期）");
        assertThat(row(html, edge)).contains("到期时间: " + day(edge) + "（即将到期）");
        assertThat(row(html, later)).contains("到期时间: " + day(later)).doesNotContain("即将到期", "已过期");
        assertThat(row(html, ended)).contains("到期时间: " + endedDay + "（已过期）");
    }

    @Test
    void appsWhenOwnBindingsEndWithin30DaysThenReminderListsThemAndOnlyForTheirOwner() {
        String serial = Fixtures.unique();
        JsonNode soon = bind(owner, Duration.ofDays(10), "SOON" + serial);
        bind(owner, Duration.ofDays(31), "LATER" + serial);
        JsonNode ended = bind(owner, Duration.ofDays(200), "ENDED" + serial);
        String endedDay = DAY.format(endAgo(ended, Duration.ofDays(3)));
        JsonNode unbound = bind(owner, Duration.ofDays(10), "UNBOUND" + serial);
        assertThat(adminClient
                        .delete("/api/ca/bindings/" + unbound.path("id").asLong())
                        .status())
                .isEqualTo(204);
        // The admin bound these keys for the owner, and has none of their own ending soon.
        bind(admin, Duration.ofDays(365), "ADMIN" + serial);

        String ownerApps = ApiClient.on(port)
                .login(owner.loginName(), owner.password())
                .get("/apps")
                .body();
        String adminApps = adminClient.get("/apps").body();

        assertThat(ownerApps).contains("data-testid=\"expiry-reminders\"");
        assertThat(text(ownerApps))
                .contains(
                        "CA 证书到期提醒",
                        providerName + " CA锁 SOON" + serial + " 的证书将于 " + day(soon) + " 到期（还有 9 天），请及时联系 CA 服务商更新证书。",
                        providerName + " CA锁 ENDED" + serial + " 的证书已于 " + endedDay
                                + " 过期，无法用于 CA 登录，请及时联系 CA 服务商更新证书。",
                        "查看 CA 绑定")
                .doesNotContain("LATER" + serial, "UNBOUND" + serial);
        assertThat(ownerApps.indexOf("ENDED" + serial))
                .as("soonest first")
                .isLessThan(ownerApps.indexOf("SOON" + serial));
        assertThat(count(ownerApps, "data-testid=\"expiry-reminder\"")).isEqualTo(2);
        assertThat(PageRenderingTests.englishWords(text(ownerApps).replaceAll("[A-Z0-9]*" + serial, "")))
                .isEmpty();
        assertThat(adminApps).doesNotContain("CA 证书到期提醒", serial);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
