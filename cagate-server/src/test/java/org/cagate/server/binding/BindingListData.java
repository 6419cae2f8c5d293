package org.cagate.server.binding;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Random;
import org.cagate.pki.Certificates;
import org.cagate.testca.TestPki;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The data of {@link BindingListBenchmark}, loaded into a migrated schema with COPY: {@code bindings}
 * active bindings over {@code bindings / 10} organisations, plus unbound ones kept as history (a tenth of
 * each organisation's count, rounded down). The first {@link #LARGE_ORGS} organisations are large ({@link
 * #LARGE_SIZE} active bindings each), the next {@link #MEDIUM_ORGS} medium ({@link #MEDIUM_SIZE} each: too
 * many of them for PostgreSQL's most-common-values statistics to list them all, so the planner cannot
 * always tell them from a small one); every other has at least one and they share the rest at random (8
 * on average). An organisation has 0.8 accounts per active binding, so accounts hold 1 to 2 keys; its
 * accounts and bindings are spread over the tables, as years of sign-ups between everybody else's leave
 * them.
 *
 * <p>Login names are {@code U} and the account id in 7 digits, so a prefix picks a known share of an
 * organisation's accounts (with 1,000,000 bindings, 800,000 accounts: all of them for {@code U0}, an
 * eighth for {@code U01}, 1 in 80 for {@code U012}, 1 in 800 for {@code U0123}); display names are a
 * common surname and two given-name characters, so a surname matches about 1 account in 20, a surname
 * and a given name about 1 in 600.
 */
final class BindingListData {

    static final String[] SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
    static final String[] GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红".split("");
    static final int LARGE_ORGS = 10;
    static final int LARGE_SIZE = 10_000;
    static final int MEDIUM_ORGS = 100;
    static final int MEDIUM_SIZE = 1_000;

    /** Organisation ids run from 1 to {@code organizations}; {@code membersOf[o]} are o's account ids. */
    record Loaded(int organizations, long accounts, long history, long[][] membersOf) {}

    private BindingListData() {}

    static String loginName(long account) {
        return "U" + String.format(Locale.ROOT, "%07d", account);
    }

    static Loaded load(Connection connection, int bindings) throws SQLException, IOException {
        Random random = new Random(7);
        int organizations = bindings / 10;
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
            accounts.append(account)
                    .append('\t')
                    .append(loginName(account))
                    .append('\t')
                    .append(name)
                    .append("\tx\t")
                    .append(o)
                    .append("\tUSER\tACTIVE\t0\t")
                    .append(now)
                    .append('\t')
                    .append(now)
                    .append('\n');
            if (accounts.length() > 8_000_000) {
                copyAccounts(copy, accounts);
            }
        }
        copyAccounts(copy, accounts);

        int[] bindingOrg = spread(sizes, 1.0, 0.1, random);
        int[] seen = new int[organizations + 1];
        StringBuilder rows = new StringBuilder();
        long id = 0;
        long history = 0;
        for (int o : bindingOrg) {
            id++;
            int i = seen[o]++;
            boolean active = i < sizes[o - 1];
            history += active ? 0 : 1;
            long holder = membersOf[o][i % membersOf[o].length];
            String keyId = String.format(Locale.ROOT, "%064x", id);
            rows.append(id)
                    .append('\t')
                    .append(holder)
                    .append('\t')
                    .append(o)
                    .append("\tZJHX\t")
                    .append(keyId)
                    .append('\t')
                    .append(active ? keyId : "\\N")
                    .append('\t')
                    .append(active ? "t" : "f")
                    .append("\t3304")
                    .append(String.format(Locale.ROOT, "%013d", id))
                    .append("SE\t")
                    .append(Long.toHexString(id).toUpperCase(Locale.ROOT))
                    .append("\tCN=用户,O=单位,C=CN\tCN=ZJHX Test Issuing CA,O=cagate test CA,C=CN\t")
                    .append(now)
                    .append("\t2027-11-28T10:00:00Z\t")
                    .append(keyId)
                    .append('\t')
                    .append(holder)
                    .append('\t')
                    .append(now)
                    .append('\t')
                    .append(active ? "\\N" : String.valueOf(holder))
                    .append('\t')
                    .append(active ? "\\N" : now)
                    .append('\n');
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
        return new Loaded(organizations, accountOrg.length, history, membersOf);
    }

    /** Active bindings per organisation: the large ones, the medium ones, the rest at random (at least one). */
    private static int[] sizes(int bindings, int organizations, Random random) {
        int[] sizes = new int[organizations];
        int sized = LARGE_ORGS + MEDIUM_ORGS;
        int rest = bindings - LARGE_ORGS * LARGE_SIZE - MEDIUM_ORGS * MEDIUM_SIZE - (organizations - sized);
        if (rest < 0) {
            throw new IllegalArgumentException("too few bindings for the large and medium organisations");
        }
        for (int o = 0; o < organizations; o++) {
            sizes[o] = o < LARGE_ORGS ? LARGE_SIZE : o < sized ? MEDIUM_SIZE : 1;
        }
        for (int i = 0; i < rest; i++) {
            sizes[sized + random.nextInt(organizations - sized)]++;
        }
        return sizes;
    }

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
}
