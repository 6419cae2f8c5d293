package org.cagate.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test context at a database of its own: an H2 in-memory database in PostgreSQL mode, or
 * a new schema with a random name in the PostgreSQL of {@code CAGATE_TEST_PG_URL} (dropped again
 * when the context closes). Flyway then migrates it from empty, so concurrent runs never meet.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String DB_PROPERTY = "cagate.test.db";
    public static final String PG_URL_ENV = "CAGATE_TEST_PG_URL";

    public static boolean postgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty(DB_PROPERTY, "h2"));
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String url;
        if (postgres()) {
            String schema = createSchema();
            url = url(schema);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    dropSchema(schema);
                }
            });
        } else {
            url = "jdbc:h2:mem:cagate-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        }
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("cagate-test-database", Map.of("spring.datasource.url", url)));
    }

    /** A new, empty schema of {@code CAGATE_TEST_PG_URL} with a random name (for nodes a test starts itself). */
    public static String createSchema() {
        String schema =
                "cagate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(base(), "CREATE SCHEMA " + schema);
        return schema;
    }

    /** The JDBC URL of the schema. */
    public static String url(String schema) {
        String base = base();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void dropSchema(String schema) {
        execute(base(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static String base() {
        String base = System.getenv(PG_URL_ENV);
        if (base == null || base.isBlank()) {
            throw new IllegalStateException(PG_URL_ENV + " is not set"); // TestDatabaseCondition skips first
        }
        return base;
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL test database: " + sql + " failed", e);
        }
    }
}
