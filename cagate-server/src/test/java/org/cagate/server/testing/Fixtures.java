package org.cagate.server.testing;

import java.security.SecureRandom;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Makes test data straight in the database, each with a unique name, so tests sharing a context do
 * not see each other's rows. Passwords are stored hashed, like the application does.
 */
public final class Fixtures {

    public static final String BOOTSTRAP_LOGIN = "bootadmin";
    public static final String BOOTSTRAP_PASSWORD = "Boot-Admin-2026!";
    public static final String PASSWORD = "Xizi-Trade-2021!";

    private static final SecureRandom random = new SecureRandom();

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final TestClock clock;
    private final String hash;

    Fixtures(JdbcClient jdbc, PasswordEncoder encoder, TestClock clock) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.clock = clock;
        this.hash = encoder.encode(PASSWORD);
    }

    public record Org(long id, String name, String regionCode, String regionName) {}

    public record TestAccount(long id, String loginName, String password, Long organizationId, String displayName) {}

    /** A short random suffix for unique names. */
    public static String unique() {
        String chars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            out.append(chars.charAt(random.nextInt(chars.length())));
        }
        return out.toString();
    }

    public String region(boolean caEnabled) {
        String code = "R" + unique();
        jdbc.sql("INSERT INTO region (code, name, ca_enabled, updated_at) VALUES (:code, :name, :ca, :now)")
                .param("code", code)
                .param("name", "培训省本级" + code)
                .param("ca", caEnabled)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        return code;
    }

    /** An organisation in a new region with CA business open. */
    public Org organization() {
        String region = region(true);
        String name = "培训省西子贸易集团" + unique();
        var keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO organization (name, region_code, created_at) VALUES (:name, :region, :now)")
                .param("name", name)
                .param("region", region)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update(keys, "id");
        return new Org(keys.getKey().longValue(), name, region, "培训省本级" + region);
    }

    public long department(long organizationId, String name) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO department (organization_id, name, created_at) VALUES (:org, :name, :now)")
                .param("org", organizationId)
                .param("name", name)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** An account of the organisation (null for none) with the roles given, password {@link #PASSWORD}. */
    public TestAccount account(Long organizationId, String... roles) {
        String login = "PG" + unique();
        String name = "西子" + unique().substring(0, 3);
        String roleList = Arrays.stream(roles.length == 0 ? new String[] {"USER"} : roles)
                .sorted()
                .distinct()
                .collect(Collectors.joining(","));
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO account (login_name, display_name, password_hash, organization_id, roles, status,
                            failed_logins, created_at, updated_at)
                        VALUES (:login, :name, :hash, :org, :roles, 'ACTIVE', 0, :now, :now)""")
                .param("login", login)
                .param("name", name)
                .param("hash", hash)
                .param("org", organizationId, Types.BIGINT)
                .param("roles", roleList)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update(keys, "id");
        return new TestAccount(keys.getKey().longValue(), login, PASSWORD, organizationId, name);
    }

    public TestAccount user(Org org) {
        return account(org.id(), "USER");
    }

    public TestAccount orgAdmin(Org org) {
        return account(org.id(), "ORG_ADMIN", "USER");
    }

    public TestAccount platformAdmin() {
        return account(null, "PLATFORM_ADMIN");
    }

    public String encode(String password) {
        return encoder.encode(password);
    }
}
