package org.cagate.server.cacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.server.web.WebProperties;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The daily CA 证书到期汇总 for ORG_ADMINs: one audit event per organisation and day, whichever nodes run
 * the job and however often, listing the organisation's bound keys whose certificate has ended or ends
 * within 30 days, and read on the 审计日志 page by that organisation's ORG_ADMIN. Nodes are instances of
 * the job on the one database, each on a clock stopped at the test's instant (the tests' own schedule is
 * off, {@code cagate.ca.expiry-summary-cron=-}, so nothing else writes a summary meanwhile).
 */
@CagateServerTest
class ExpirySummaryTests {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZONE);
    private static final String ACTION = "CA_EXPIRY_SUMMARY";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ExpiryRepository repository;

    @Autowired
    CaProviderRegistry providers;

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    WebProperties web;

    private CaTestKit kit;
    private TestCa ca;
    private String provider;
    private String providerName;

    @BeforeEach
    void ca() {
        kit = new CaTestKit(port, clock, fixtures);
        ca = kit.ca();
    }

    /** The provider of the test's CA, offered in the organisations' regions. */
    private void offer(Org... orgs) {
        provider =
                kit.provider(ca, Stream.of(orgs).map(o -> o.org().regionCode()).toArray(String[]::new));
        providerName = providers.find(provider).orElseThrow().name();
    }

    /** The job as one node runs it, at the instant given. */
    private ExpirySummary node(Instant at) {
        return new ExpirySummary(repository, providers, audit, transactions, Clock.fixed(at, ZoneOffset.UTC), web);
    }

    /** An organisation with its ORG_ADMIN signed in. */
    private record Org(Fixtures.Org org, TestAccount admin, ApiClient client) {}

    private Org organisation() {
        Fixtures.Org org = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(org);
        return new Org(org, admin, ApiClient.on(port).login(admin.loginName(), admin.password()));
    }

    /** Binds a new key for the account, valid for this long; returns the binding's id. */
    private long bind(Org org, TestAccount account, Duration validFor, String tokenSerial) {
        // Issued 400 days ago, so that moving its end into the past keeps it after its start.
        Instant now = clock.instant();
        Credential credential = ca.user(account.displayName())
                .notBefore(now.minus(Duration.ofDays(400)))
                .notAfter(now.plus(validFor))
                .issue();
        Map<String, Object> body = new LinkedHashMap<>(CaTestKit.forAccount(
                CaTestKit.assertion(org.client(), "BIND", provider, credential, SignatureFormat.RAW), account.id()));
        body.put("tokenSerial", tokenSerial);
        ApiClient.Response bound = org.client().post("/api/ca/bindings", body);
        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
        return bound.json().path("id").asLong();
    }

    private Instant notAfter(long binding) {
        return jdbc.sql("SELECT cert_not_after FROM ca_binding WHERE id = :id")
                .param("id", binding)
                .query((rs, n) ->
                        rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                .single();
    }

    private List<String> summaries(long organizationId) {
        return jdbc.sql("SELECT detail FROM audit_event WHERE action = :a AND organization_id = :o ORDER BY id")
                .param("a", ACTION)
                .param("o", organizationId)
                .query(String.class)
                .list();
    }

    private String listed(TestAccount account, String serial, long binding, String end) {
        return account.displayName() + "（" + account.loginName() + "）" + providerName + " CA锁 " + serial + " "
                + DAY.format(notAfter(binding)) + end;
    }

    @Test
    void summarizeWhenTwoNodesRunTheSameDayThenOneSummaryPerOrganisationListingItsExpiringKeys() throws Exception {
        String serial = Fixtures.unique();
        Org a = organisation();
        Org b = organisation();
        Org quiet = organisation();
        offer(a, b, quiet);
        TestAccount staff = fixtures.user(a.org());
        long soon = bind(a, staff, Duration.ofDays(10), "SOON" + serial);
        long ended = bind(a, a.admin(), Duration.ofDays(200), "ENDED" + serial);
        // A certificate cannot be bound once ended: its end is moved in the table, as passing days would.
        jdbc.sql("UPDATE ca_binding SET cert_not_after = :t WHERE id = :id")
                .param("t", clock.instant().minus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC))
                .param("id", ended)
                .update();
        bind(a, staff, Duration.ofDays(31), "LATER" + serial);
        long unbound = bind(a, staff, Duration.ofDays(5), "UNBOUND" + serial);
        assertThat(a.client().delete("/api/ca/bindings/" + unbound).status()).isEqualTo(204);
        long other = bind(b, b.admin(), Duration.ofDays(20), "OTHER" + serial);
        bind(quiet, quiet.admin(), Duration.ofDays(300), "QUIET" + serial);
        Instant at = clock.instant();
        LocalDate day = LocalDate.ofInstant(at, ZONE);
        int claimedBefore = claims(day);

        List<Integer> written = runTogether(node(at), node(at));
        int again = node(at).summarize();

        assertThat(summaries(a.org().id()))
                .containsExactly("2 个 CA 证书已过期或将在 30 天内到期，请提醒持有人联系 CA 服务商更新证书："
                        + listed(a.admin(), "ENDED" + serial, ended, " 已过期") + "；"
                        + listed(staff, "SOON" + serial, soon, " 到期") + "。");
        assertThat(summaries(b.org().id()))
                .containsExactly("1 个 CA 证书已过期或将在 30 天内到期，请提醒持有人联系 CA 服务商更新证书："
                        + listed(b.admin(), "OTHER" + serial, other, " 到期") + "。");
        assertThat(summaries(quiet.org().id())).isEmpty();
        assertThat(written.get(0) + written.get(1))
                .as("every organisation's summary written once by one of the nodes")
                .isEqualTo(claims(day) - claimedBefore);
        assertThat(again).isZero();
        assertThat(jdbc.sql("SELECT bindings FROM ca_expiry_summary WHERE organization_id = :o AND summary_day = :d")
                        .param("o", a.org().id())
                        .param("d", day)
                        .query(Integer.class)
                        .list())
                .containsExactly(2);

        // The next day (in the platform's zone) has a summary of its own.
        Instant nextDay =
                LocalDateTime.of(day.plusDays(1), LocalTime.NOON).atZone(ZONE).toInstant();
        assertThat(node(nextDay).summarize()).isPositive();
        assertThat(summaries(a.org().id())).hasSize(2);
        assertThat(summaries(b.org().id())).hasSize(2);
    }

    private int claims(LocalDate day) {
        return jdbc.sql("SELECT COUNT(*) FROM ca_expiry_summary WHERE summary_day = :d")
                .param("d", day)
                .query(Integer.class)
                .single();
    }

    /** Both nodes' runs at once, as two nodes woken by the same schedule. */
    private static List<Integer> runTogether(ExpirySummary first, ExpirySummary second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (ExpirySummary node : List.of(first, second)) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return node.summarize();
                }));
            }
            start.countDown();
            List<Integer> written = new ArrayList<>();
            for (Future<Integer> run : runs) {
                written.add(run.get(60, TimeUnit.SECONDS));
            }
            return written;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void auditPageWhenSummaryWrittenThenItsOrganisationsAdminReadsItAndNoOtherAccount() {
        String serial = Fixtures.unique();
        Org a = organisation();
        Org b = organisation();
        offer(a, b);
        TestAccount staff = fixtures.user(a.org());
        bind(a, staff, Duration.ofDays(10), "SOON" + serial);
        bind(b, b.admin(), Duration.ofDays(10), "OTHER" + serial);
        node(clock.instant()).summarize();
        String filter = "?action=" + ACTION;

        String adminPage = a.client().get("/system/audit" + filter).body();
        JsonNode adminApi = a.client().get("/api/audit/events" + filter).json();
        String otherAdminPage = b.client().get("/system/audit" + filter).body();
        ApiClient staffClient = ApiClient.on(port).login(staff.loginName(), staff.password());

        assertThat(adminPage)
                .contains(">CA 证书到期汇总<", ">系统<", "1 个 CA 证书已过期或将在 30 天内到期", "CA锁 SOON" + serial)
                .doesNotContain("OTHER" + serial);
        assertThat(adminApi.path("total").asInt()).isEqualTo(1);
        JsonNode event = adminApi.path("items").get(0);
        assertThat(event.path("actionName").asString()).isEqualTo("CA 证书到期汇总");
        assertThat(event.path("organization").path("id").asLong())
                .isEqualTo(a.org().id());
        assertThat(event.path("detail").asString()).contains("SOON" + serial);
        assertThat(otherAdminPage).contains("CA锁 OTHER" + serial).doesNotContain("SOON" + serial);
        assertThat(b.client()
                        .get("/api/audit/events" + filter + "&organizationId="
                                + a.org().id())
                        .code())
                .isEqualTo("FORBIDDEN");
        assertThat(staffClient.get("/system/audit" + filter).status()).isEqualTo(403);
        assertThat(staffClient.get("/api/audit/events" + filter).status()).isEqualTo(403);
    }

    @Test
    void scheduleWhenNotSetThenHourlyInThePlatformsZoneSoADownNodeMissesNoDay() throws Exception {
        Scheduled scheduled = ExpirySummary.class.getMethod("summarize").getAnnotation(Scheduled.class);
        String cron = scheduled.cron();
        String defaultCron = cron.substring(cron.indexOf(':') + 1, cron.length() - 1);

        Instant first = CronExpression.parse(defaultCron)
                .next(Instant.parse("2026-03-01T00:00:00Z").atZone(ZONE))
                .toInstant();
        Instant second =
                CronExpression.parse(defaultCron).next(first.atZone(ZONE)).toInstant();

        assertThat(cron).startsWith("${cagate.ca.expiry-summary-cron:");
        assertThat(Duration.between(first, second)).isEqualTo(Duration.ofHours(1));
        assertThat(scheduled.zone()).isEqualTo("${cagate.web.time-zone:Asia/Shanghai}");
    }
}
