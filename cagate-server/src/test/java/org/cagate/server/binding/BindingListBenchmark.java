package org.cagate.server.binding;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import org.cagate.pki.Certificates;
import org.cagate.server.web.PageQuery;
import org.cagate.testca.TestPki;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The binding list query of an organisation on PostgreSQL with 1,000,000 active bindings (plus
 * 100,000 unbound ones kept as history), timed through {@link BindingRepository#list}, the code the
 * page and {@code GET /api/ca/bindings} run. Not a test: run it by hand (docs/benchmarks.md has the
 * command). It migrates a schema of its own with Flyway, loads it with COPY, ANALYZEs, measures every
 * case on one connection, prints a table and the plans, and drops the schema.
 *
 * <p>Data: 100,000 organisations; 10 large ones with 10,000 bindings each, the others share 900,000
 * at random (9 on average); an organisation's accounts and bindings are spread over the tables, as
 * years of sign-ups leave them. Accounts hold 1 to 2 keys; display names are drawn from common Chinese
 * surnames and given names, so a one-character name filter matches about 1 row in 20.
 *
 * <pre>args: [jdbc url] [active bindings] [measured queries per case]</pre>
 */
public final class BindingListBenchmark {

    private static final String[] SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
    private static final String[] GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红".split("");
    private static final int LARGE_ORGS = 10;
    private static final int LARGE_SIZE = 10_000;

    private final JdbcClient jdbc;
    private final BindingRepository repository;
    private final Random random = new Random(42);
    private final int organizations;
    private final long[][] membersOf;

    private BindingListBenchmark(Connection connection, int organizations, long[][] membersOf) {
        this.jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
        this.repository = new BindingRepository(jdbc);
        this.organizations = organizations;
        this.membersOf = membersOf;
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        int bindings = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        String schema = "cagate_bench_" + Long.toHexString(System.nanoTime());
        try (Connection admin = DriverManager.getConnection(url)) {
            admin.createStatement().execute("CREATE SCHEMA " + schema);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            Flyway.configure()
                    .dataSource(schemaUrl, null, null)
                    .schemas(schema)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            try (Connection connection = DriverManager.getConnection(schemaUrl)) {
                long started = System.nanoTime();
                Loaded loaded = load(connection, bindings);
                System.out.printf(
                        Locale.ROOT,
                        "loaded %,d active + %,d unbound bindings, %,d accounts, %,d organisations in %.1f s%n",
                        bindings,
                        bindings / 10,
                        loaded.accounts(),
                        loaded.organizations(),
                        (System.nanoTime() - started) / 1e9);
                new BindingListBenchmark(
                                connection, loaded.organizations(), loaded.membersOf())
                        .run(queries);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(url)) {
                admin.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private record Loaded(int organizations, long accounts, long[][] membersOf) {}

    /**
     * One entry per row to create, holding its organisation: {@code share} of each organisation's size
     * (at least one), plus {@code extra} of it (history rows), in random order.
     */
    private static int[] spread(int[] sizes, double share, double extra, Random random) {
        int total = 0;
        int[] counts = new int[sizes.length];
        for (int o = 0; o < sizes.length; o++) {
            counts[o] = Math.max(1, (int) Math.ceil(sizes[o] * share)) + (int) (sizes[o] * extra);
            total += counts[o];
        }
        int[] rows = new int[total];
        int next = 0;
        for (int o = 0; o < sizes.length; o++) {
            for (int i = 0; i < counts[o]; i++) {
                rows[next++] = o + 1;
            }
        }
        for (int i = rows.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = rows[i];
            rows[i] = rows[j];
            rows[j] = swap;
        }
        return rows;
    }

    /** Bindings per organisation: the large ones first, the rest at random. */
    private static int[] sizes(int bindings, int organizations, Random random) {
        int[] sizes = new int[organizations];
        int rest = bindings;
        for (int o = 0; o < LARGE_ORGS; o++) {
            sizes[o] = LARGE_SIZE;
            rest -= LARGE_SIZE;
        }
        for (int i = 0; i < organizations - LARGE_ORGS; i++) {
            sizes[LARGE_ORGS + i] = 1; // every organisation has at least one
        }
        rest -= organizations - LARGE_ORGS;
        for (int i = 0; i < rest; i++) {
            sizes[LARGE_ORGS + random.nextInt(organizations - LARGE_ORGS)]++;
        }
        return sizes;
    }

    private static Loaded load(Connection connection, int bindings) throws SQLException, IOException {
        Random random = new Random(7);
        int organizations = Math.max(LARGE_ORGS + 1, bindings / 10);
        int[] sizes = sizes(bindings, organizations, random);
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        String now =
                Instant.parse("2026-11-28T10:00:00Z").atOffset(ZoneOffset.UTC).toString();
        String pem =
                Certificates.toPem(TestPki.provider("ZJHX").ec().build().root()).replace("\n", "\\n");
        try (Statement s = connection.createStatement()) {
            s.execute("INSERT INTO region (code, name, ca_enabled, updated_at) VALUES ('330000', '浙江省', TRUE, now())");
            s.execute("INSERT INTO ca_provider (code, name, enabled, trust_anchors, identity_source, revocation_mode,"
                    + " revocation_fail_open, version, updated_at) VALUES ('ZJHX', '浙江汇信CA', TRUE, E'" + pem
                    + "', 'SPKI_SHA256', 'NONE', FALSE, 1, now())");
        }
        StringBuilder orgs = new StringBuilder();
        for (int o = 1; o <= organizations; o++) {
            orgs.append(o)
                    .append("\t单位")
                    .append(o)
                    .append("\t330000\t")
                    .append(now)
                    .append('\n');
        }
        copy.copyIn(
                "COPY organization (id, name, region_code, created_at) FROM STDIN", new StringReader(orgs.toString()));

        // Accounts and bindings of one organisation are created over years, between everybody else's:
        // spread them over the tables as a real database has them, not clustered by organisation.
        int[] accountOrg = spread(sizes, 0.8, 0, random);
        long[][] membersOf = new long[organizations + 1][];
        int[] filled = new int[organizations + 1];
        for (int o = 1; o <= organizations; o++) {
            membersOf[o] = new long[Math.max(1, (int) Math.ceil(sizes[o - 1] * 0.8))];
        }
        StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < accountOrg.length; i++) {
            long account = i + 1;
            int o = accountOrg[i];
            membersOf[o][filled[o]++] = account;
            String name = SURNAMES[random.nextInt(SURNAMES.length)]
                    + GIVEN[random.nextInt(GIVEN.length)]
                    + GIVEN[random.nextInt(GIVEN.length)];
            accounts.append(account).append('\t').append(loginName(account)).append('\t').append(name)
                    .append("\tx\t").append(o).append("\tUSER\tACTIVE\t0\t").append(now).append('\t')
                    .append(now).append('\n');
            if (accounts.length() > 8_000_000) {
                copyAccounts(copy, accounts);
            }
        }
        copyAccounts(copy, accounts);

        int[] bindingOrg = spread(sizes, 1.0, 0.1, random);
        int[] seen = new int[organizations + 1];
        StringBuilder rows = new StringBuilder();
        long id = 0;
        for (int o : bindingOrg) {
            id++;
            int i = seen[o]++;
            boolean active = i < sizes[o - 1];
            long holder = membersOf[o][i % membersOf[o].length];
            String keyId = String.format(Locale.ROOT, "%064x", id);
            rows.append(id).append('\t').append(holder).append('\t').append(o).append("\tZJHX\t").append(keyId)
                    .append('\t').append(active ? keyId : "\\N").append('\t').append(active ? "t" : "f")
                    .append("\t3304").append(String.format(Locale.ROOT, "%013d", id)).append("SE\t")
                    .append(Long.toHexString(id).toUpperCase(Locale.ROOT))
                    .append("\tCN=用户,O=单位,C=CN\tCN=ZJHX Test Issuing CA,O=cagate test CA,C=CN\t").append(now)
                    .append("\t2027-11-28T10:00:00Z\t").append(keyId).append('\t').append(holder).append('\t')
                    .append(now).append('\t').append(active ? "\\N" : String.valueOf(holder)).append('\t')
                    .append(active ? "\\N" : now).append('\n');
            if (rows.length() > 8_000_000) {
                copyBindings(copy, rows);
            }
        }
        copyBindings(copy, rows);
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT setval(pg_get_serial_sequence('ca_binding', 'id'), " + id + ")");
            s.execute("VACUUM ANALYZE organization");
            s.execute("VACUUM ANALYZE account");
            s.execute("VACUUM ANALYZE ca_binding");
        }
        return new Loaded(organizations, accountOrg.length, membersOf);
    }

    private static String loginName(long account) {
        return "U" + String.format(Locale.ROOT, "%07d", account);
    }

    private static void copyAccounts(CopyManager copy, StringBuilder rows) throws SQLException, IOException {
        copy.copyIn(
                "COPY account (id, login_name, display_name, password_hash, organization_id, roles, status,"
                        + " failed_logins, created_at, updated_at) FROM STDIN",
                new StringReader(rows.toString()));
        rows.setLength(0);
    }

    private static void copyBindings(CopyManager copy, StringBuilder rows) throws SQLException, IOException {
        copy.copyIn(
                "COPY ca_binding (id, account_id, organization_id, provider_code, key_id, active_key_id, active,"
                        + " token_serial, cert_serial, cert_subject, cert_issuer, cert_not_before, cert_not_after,"
                        + " cert_sha256, bound_by, bound_at, unbound_by, unbound_at) FROM STDIN",
                new StringReader(rows.toString()));
        rows.setLength(0);
    }

    private record Case(String name, IntFunction<BindingRepository.Filter> filter, IntFunction<PageQuery> page) {}

    private void run(int queries) throws SQLException {
        int small = organizations - LARGE_ORGS;
        IntFunction<Integer> anySmall = i -> LARGE_ORGS + 1 + random.nextInt(small);
        IntFunction<Integer> anyLarge = i -> 1 + random.nextInt(LARGE_ORGS);
        List<Case> cases = List.of(
                new Case(
                        "typical organisation (avg 9), page 1",
                        i -> new BindingRepository.Filter((long) anySmall.apply(i), null, null, null),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "typical organisation, filter 账户 (login name)",
                        i -> byAccount(anySmall.apply(i)),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "typical organisation, filter 姓名 (one character)",
                        i -> byName((long) anySmall.apply(i), SURNAMES[random.nextInt(SURNAMES.length)]),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "large organisation (10,000), page 1",
                        i -> new BindingRepository.Filter((long) anyLarge.apply(i), null, null, null),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "large organisation, random page of 50 (deep offset)",
                        i -> new BindingRepository.Filter((long) anyLarge.apply(i), null, null, null),
                        i -> new PageQuery(1 + random.nextInt(LARGE_SIZE / 50), 50)),
                new Case(
                        "large organisation, filter 账户 (login name)",
                        i -> byAccount(anyLarge.apply(i)),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "large organisation, filter 账户 prefix (~10 accounts)",
                        i -> byAccountPrefix(anyLarge.apply(i)),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "large organisation, filter 姓名 (one character, ~500 rows)",
                        i -> byName((long) anyLarge.apply(i), SURNAMES[random.nextInt(SURNAMES.length)]),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "large organisation, filter 姓名 (two characters)",
                        i -> byName(
                                (long) anyLarge.apply(i),
                                SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]),
                        i -> new PageQuery(1, 10)),
                new Case(
                        "one account's own bindings (USER)",
                        i -> new BindingRepository.Filter(null, membersOf[anySmall.apply(i)][0], null, null),
                        i -> new PageQuery(1, 10)));
        System.out.println();
        System.out.println("| case | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        for (Case c : cases) {
            for (int i = 0; i < Math.min(500, queries); i++) {
                repository.list(c.filter().apply(i), c.page().apply(i));
            }
            long[] nanos = new long[queries];
            for (int i = 0; i < queries; i++) {
                BindingRepository.Filter filter = c.filter().apply(i);
                PageQuery page = c.page().apply(i);
                long start = System.nanoTime();
                repository.list(filter, page);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.2f |%n",
                    c.name(),
                    nanos[queries / 2] / 1e6,
                    nanos[(int) (queries * 0.9)] / 1e6,
                    nanos[(int) Math.ceil(queries * 0.99) - 1] / 1e6,
                    nanos[queries - 1] / 1e6);
        }
        System.out.println();
        explain(
                "COUNT, large organisation, 姓名 filter",
                "SELECT COUNT(*) FROM ca_binding b JOIN account a ON a.id = b.account_id WHERE b.active = TRUE"
                        + " AND b.organization_id = 1 AND a.organization_id = 1"
                        + " AND LOWER(a.display_name) LIKE LOWER('%王%') ESCAPE '\\'");
        explain(
                "page 200 of 50, large organisation, no filter",
                "SELECT b.id, a.login_name, bb.display_name FROM (SELECT b.id FROM ca_binding b WHERE b.active = TRUE"
                        + " AND b.organization_id = 1 ORDER BY b.id DESC LIMIT 50 OFFSET 9950) p"
                        + " JOIN ca_binding b ON b.id = p.id JOIN account a ON a.id = b.account_id"
                        + " JOIN account bb ON bb.id = b.bound_by ORDER BY b.id DESC");
    }

    private BindingRepository.Filter byAccount(int organization) {
        long account = membersOf[organization][random.nextInt(membersOf[organization].length)];
        return new BindingRepository.Filter((long) organization, null, loginName(account), null);
    }

    private BindingRepository.Filter byAccountPrefix(int organization) {
        long account = membersOf[organization][random.nextInt(membersOf[organization].length)];
        String login = loginName(account);
        return new BindingRepository.Filter((long) organization, null, login.substring(0, login.length() - 1), null);
    }

    private static BindingRepository.Filter byName(long organization, String name) {
        return new BindingRepository.Filter(organization, null, null, name);
    }

    private void explain(String title, String sql) {
        System.out.println("EXPLAIN ANALYZE " + title + ":");
        jdbc.sql("EXPLAIN ANALYZE " + sql).query((ResultSet rs) -> {
            System.out.println("    " + rs.getString(1));
        });
        System.out.println();
    }
}
