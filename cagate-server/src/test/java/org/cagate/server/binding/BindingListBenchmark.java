package org.cagate.server.binding;

import static org.cagate.server.binding.BindingListData.GIVEN;
import static org.cagate.server.binding.BindingListData.LARGE_ORGS;
import static org.cagate.server.binding.BindingListData.LARGE_SIZE;
import static org.cagate.server.binding.BindingListData.MEDIUM_ORGS;
import static org.cagate.server.binding.BindingListData.SURNAMES;
import static org.cagate.server.binding.BindingListData.loginName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.cagate.server.system.CustomPlans;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The binding list of CA绑定与解绑 on PostgreSQL with 1,000,000 active bindings (data: {@link
 * BindingListData}), timed through {@link BindingRepository#list}, the code the page and {@code GET
 * /api/ca/bindings} run: one call is the total the page shows (共有N条) and the page itself. Not a test:
 * {@code cagate-server/binding-list-bench.sh} runs it (docs/benchmarks.md). It migrates a schema of its
 * own with Flyway, loads it with COPY, ANALYZEs, times every case on one connection (as a pooled
 * connection runs them: prepared statements reused, so PostgreSQL may switch to generic plans), prints
 * a table, then the plans auto_explain reports for the call at the 99th percentile of the slowest cases,
 * and drops the schema.
 *
 * <pre>args: [jdbc url] [active bindings] [measured calls per case]</pre>
 */
public final class BindingListBenchmark {

    private static final int WARMUP = 200;
    private static final double TARGET_P99_MS = 20;
    private static final int PLANS = 3;

    private final PlanCollector jdbc;
    private final BindingRepository repository;
    private final Random random = new Random(42);
    private final BindingListData.Loaded data;

    private BindingListBenchmark(Connection connection, BindingListData.Loaded data) {
        var dataSource = new SingleConnectionDataSource(connection, true);
        this.jdbc = new PlanCollector(dataSource);
        this.repository = new BindingRepository(
                JdbcClient.create(jdbc),
                new CustomPlans(new DataSourceTransactionManager(dataSource), jdbc, dataSource));
        this.data = data;
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        int bindings = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        String schema = "cagate_binding_bench_" + Long.toHexString(System.nanoTime());
        try (Connection admin = DriverManager.getConnection(url)) {
            admin.createStatement().execute("CREATE SCHEMA " + schema);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + "&ApplicationName=cagate-binding-list-bench";
        try {
            Flyway.configure()
                    .dataSource(schemaUrl, null, null)
                    .schemas(schema)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            try (Connection connection = DriverManager.getConnection(schemaUrl)) {
                System.out.println("load average before loading: " + loadAverage());
                long started = System.nanoTime();
                BindingListData.Loaded data = BindingListData.load(connection, bindings);
                System.out.printf(
                        Locale.ROOT,
                        "loaded %,d active + %,d unbound bindings, %,d accounts, %,d organisations in %.1f s%n",
                        bindings,
                        data.history(),
                        data.accounts(),
                        data.organizations(),
                        (System.nanoTime() - started) / 1e9);
                new BindingListBenchmark(connection, data).run(calls);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(url)) {
                admin.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private record Call(BindingRepository.Filter filter, PageQuery page) {
        @Override
        public String toString() {
            BindingRepository.Filter f = filter;
            return "organizationId=" + f.organizationId() + (f.accountId() == null ? "" : " accountId=" + f.accountId())
                    + (f.loginName() == null ? "" : " account=" + f.loginName())
                    + (f.displayName() == null ? "" : " name=" + f.displayName()) + " page=" + page.page() + " size="
                    + page.size();
        }
    }

    /** A case of the page; {@code target} false: not an organisation's list, measured with a tenth of the calls. */
    private record Case(String name, boolean target, Supplier<Call> draw) {
        Case(String name, Supplier<Call> draw) {
            this(name, true, draw);
        }
    }

    private record Result(
            Case c, double p50, double p90, double p99, double max, double total, double rows, Call atP99) {}

    private List<Case> cases() {
        return List.of(
                new Case("small organisation (avg 8), page 1 of 10", () -> org(small(), null, null, 1, 10)),
                new Case("small organisation, 账户 = a member's login name", () -> {
                    int o = small();
                    return org(o, loginName(member(o)), null, 1, 10);
                }),
                new Case("small organisation, 姓名 = a surname", () -> org(small(), null, surname(), 1, 10)),
                new Case("medium organisation (1,000), page 1 of 20", () -> org(medium(), null, null, 1, 20)),
                new Case(
                        "medium organisation, 账户 = U (every member), page 1 of 20",
                        () -> org(medium(), "U", null, 1, 20)),
                new Case("medium organisation, 姓名 = a surname", () -> org(medium(), null, surname(), 1, 10)),
                new Case("large organisation (10,000), page 1 of 10", () -> org(large(), null, null, 1, 10)),
                new Case("large organisation, page 1 of 20", () -> org(large(), null, null, 1, 20)),
                new Case("large organisation, page 1 of 50", () -> org(large(), null, null, 1, 50)),
                new Case(
                        "large organisation, last page of 10 (offset 9,990)",
                        () -> org(large(), null, null, LARGE_SIZE / 10, 10)),
                new Case(
                        "large organisation, random page of 50",
                        () -> org(large(), null, null, page(LARGE_SIZE / 50), 50)),
                new Case("large organisation, 账户 = a member's login name", () -> {
                    int o = large();
                    return org(o, loginName(member(o)), null, 1, 10);
                }),
                new Case(
                        "large organisation, 账户 = 5 characters of a login name (~10 members)",
                        () -> byPrefix(large(), 5, 1, 10)),
                new Case(
                        "large organisation, 账户 = 4 characters (~100 members), page 1 of 20",
                        () -> byPrefix(large(), 4, 1, 20)),
                new Case(
                        "large organisation, 账户 = 3 characters (~1,000 members), random page of 50",
                        () -> byPrefix(large(), 3, page(25), 50)),
                new Case(
                        "large organisation, 账户 = U (every member), page 1 of 50",
                        () -> org(large(), "U", null, 1, 50)),
                new Case(
                        "large organisation, 账户 = U (every member), last page of 50",
                        () -> org(large(), "U", null, LARGE_SIZE / 50, 50)),
                new Case(
                        "large organisation, 姓名 = a surname (~500), page 1 of 10",
                        () -> org(large(), null, surname(), 1, 10)),
                new Case(
                        "large organisation, 姓名 = a surname, random page of 50",
                        () -> org(large(), null, surname(), page(10), 50)),
                new Case(
                        "large organisation, 姓名 = surname + given name (~17), page 1 of 20",
                        () -> org(large(), null, surname() + GIVEN[random.nextInt(GIVEN.length)], 1, 20)),
                new Case("large organisation, 姓名 matching nobody", () -> org(large(), null, "鑫", 1, 10)),
                new Case("large organisation, 账户 = 3 characters and 姓名 = a surname", () -> {
                    int o = large();
                    return org(o, loginName(member(o)).substring(0, 3), surname(), 1, 10);
                }),
                new Case(
                        "one account's own bindings (USER)",
                        () -> new Call(
                                new BindingRepository.Filter(null, member(small()), null, null), new PageQuery(1, 10))),
                new Case(
                        "not the target: every organisation (PLATFORM_ADMIN), page 1 of 10",
                        false,
                        () -> new Call(new BindingRepository.Filter(null, null, null, null), new PageQuery(1, 10))),
                new Case(
                        "not the target: every organisation (PLATFORM_ADMIN), 账户 = a login name",
                        false,
                        () -> new Call(
                                new BindingRepository.Filter(null, null, loginName(member(small())), null),
                                new PageQuery(1, 10))));
    }

    private void run(int calls) {
        System.out.println("load average before measuring: " + loadAverage());
        jdbc.query(
                "SELECT name, setting, COALESCE(unit, '') FROM pg_settings WHERE name IN ('server_version',"
                        + " 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit',"
                        + " 'plan_cache_mode', 'max_parallel_workers_per_gather') ORDER BY name",
                rs -> {
                    System.out.println("    " + rs.getString(1) + " = " + rs.getString(2) + " " + rs.getString(3));
                });
        System.out.println();
        System.out.println("| case | 共有N条 (mean) | rows (mean) | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        List<Result> results = new ArrayList<>();
        for (Case c : cases()) {
            Result r = measure(c, c.target() ? calls : Math.max(100, calls / 10));
            results.add(r);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,.0f | %.1f | %.2f | %.2f | %.2f | %.2f |%n",
                    c.name(),
                    r.total(),
                    r.rows(),
                    r.p50(),
                    r.p90(),
                    r.p99(),
                    r.max());
        }
        System.out.println();
        System.out.println("load average after measuring: " + loadAverage());
        System.out.println();
        explainSlowest(results);
    }

    private Result measure(Case c, int calls) {
        for (int i = 0; i < WARMUP; i++) {
            Call call = c.draw().get();
            repository.list(call.filter(), call.page());
        }
        Call[] drawn = new Call[calls];
        long[] nanos = new long[calls];
        long total = 0;
        long rows = 0;
        for (int i = 0; i < calls; i++) {
            drawn[i] = c.draw().get();
            long start = System.nanoTime();
            PageResult<Binding> page = repository.list(drawn[i].filter(), drawn[i].page());
            nanos[i] = System.nanoTime() - start;
            total += page.total();
            rows += page.items().size();
        }
        int[] order = IntStream.range(0, calls)
                .boxed()
                .sorted(Comparator.comparingLong(i -> nanos[i]))
                .mapToInt(Integer::intValue)
                .toArray();
        int p99 = order[(int) Math.ceil(calls * 0.99) - 1];
        return new Result(
                c,
                nanos[order[calls / 2]] / 1e6,
                nanos[order[(int) (calls * 0.9)]] / 1e6,
                nanos[p99] / 1e6,
                nanos[order[calls - 1]] / 1e6,
                (double) total / calls,
                (double) rows / calls,
                drawn[p99]);
    }

    /** The plans of the call at p99 of the slowest cases of the target, and of every case over it. */
    private void explainSlowest(List<Result> results) {
        List<Result> slowest = results.stream()
                .sorted(Comparator.comparing((Result r) -> !r.c().target())
                        .thenComparing(Comparator.comparingDouble(Result::p99).reversed()))
                .toList();
        List<Result> shown = new ArrayList<>();
        for (int i = 0; i < slowest.size(); i++) {
            if (i < PLANS || slowest.get(i).p99() >= TARGET_P99_MS) {
                shown.add(slowest.get(i));
            }
        }
        try {
            jdbc.execute("LOAD 'auto_explain'");
        } catch (RuntimeException e) {
            System.out.println("no plans: auto_explain cannot be loaded (" + e.getMessage() + ")");
            return;
        }
        for (Result r : shown) {
            System.out.printf(
                    Locale.ROOT,
                    "plans of \"%s\" (p99 %.2f ms), the call at p99: %s%n",
                    r.c().name(),
                    r.p99(),
                    r.atP99());
            for (String plan : jdbc.collect(
                    () -> repository.list(r.atP99().filter(), r.atP99().page()))) {
                System.out.println("    " + plan.replace("\n", "\n    "));
            }
            System.out.println();
        }
    }

    private Call org(int organization, String loginName, String displayName, int page, int size) {
        return new Call(
                new BindingRepository.Filter((long) organization, null, loginName, displayName),
                new PageQuery(page, size));
    }

    private Call byPrefix(int organization, int length, int page, int size) {
        return org(organization, loginName(member(organization)).substring(0, length), null, page, size);
    }

    private int small() {
        int sized = LARGE_ORGS + MEDIUM_ORGS;
        return sized + 1 + random.nextInt(data.organizations() - sized);
    }

    private int medium() {
        return LARGE_ORGS + 1 + random.nextInt(MEDIUM_ORGS);
    }

    private int large() {
        return 1 + random.nextInt(LARGE_ORGS);
    }

    private long member(int organization) {
        long[] members = data.membersOf()[organization];
        return members[random.nextInt(members.length)];
    }

    private String surname() {
        return SURNAMES[random.nextInt(SURNAMES.length)];
    }

    private int page(int pages) {
        return 1 + random.nextInt(pages);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
