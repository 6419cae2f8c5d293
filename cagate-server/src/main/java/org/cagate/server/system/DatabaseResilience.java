package org.cagate.server.system;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Bounds what a database outage can do to a request: on PostgreSQL the driver's socket and connect timeouts
 * ({@link DatabaseProperties}; a setting already in the JDBC URL or in
 * {@code spring.datasource.hikari.data-source-properties} wins), and around the pool a
 * {@link FailFastDataSource}, through whose gate the pool makes its connections. The pool itself (Boot's
 * {@code HikariDataSource}, with its {@code connection-timeout}) stays as configured; metrics and health
 * reach it through the wrapper, and closing the wrapper at the application's end closes it.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseResilience {

    private static final Logger log = LoggerFactory.getLogger(DatabaseResilience.class);

    @Bean
    static BeanPostProcessor databaseResiliencePostProcessor(Environment environment) {
        DatabaseProperties properties =
                Binder.get(environment).bindOrCreate("cagate.database", DatabaseProperties.class);
        return new PostProcessor(properties);
    }

    /** Health runs a statement: {@code isValid()} says true on an H2 connection whose database was closed. */
    @Bean
    HealthIndicator dbHealthIndicator(DataSource dataSource) {
        return new DataSourceHealthIndicator(dataSource, "SELECT 1");
    }

    @Bean
    @Conditional(EmbeddedH2Url.class)
    EmbeddedDatabaseWatch embeddedDatabaseWatch(
            DataSource dataSource, Environment environment, ConfigurableApplicationContext context) {
        DatabaseProperties properties =
                Binder.get(environment).bindOrCreate("cagate.database", DatabaseProperties.class);
        return new EmbeddedDatabaseWatch(
                dataSource, properties.embeddedCheckInterval(), properties.embeddedGiveUp(), status -> {
                    // Off the watch's thread: closing the context stops the watch.
                    Thread exit =
                            new Thread(() -> System.exit(SpringApplication.exit(context, () -> status)), "cagate-exit");
                    exit.start();
                });
    }

    static final class EmbeddedH2Url implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return EmbeddedH2.isEmbedded(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }

    static final class PostProcessor implements SmartInstantiationAwareBeanPostProcessor {

        private final DatabaseProperties properties;

        PostProcessor(DatabaseProperties properties) {
            this.properties = properties;
        }

        // Lets the bean factory know the pool bean becomes a FailFastDataSource (still a DataSource).
        @Override
        public Class<?> predictBeanType(Class<?> beanClass, String beanName) {
            return HikariDataSource.class.isAssignableFrom(beanClass) ? FailFastDataSource.class : null;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof HikariDataSource pool)) {
                return bean;
            }
            // The pool starts at its first connection, after this: its settings may still change.
            if (isPostgres(pool.getJdbcUrl())) {
                driverDefault(pool, "socketTimeout", properties.socketTimeout().toSeconds());
                driverDefault(
                        pool, "connectTimeout", properties.connectTimeout().toSeconds());
            }
            if (EmbeddedH2.isEmbedded(pool.getJdbcUrl())) {
                pool.setJdbcUrl(EmbeddedH2.keepOpen(pool.getJdbcUrl()));
                if (pool.getExceptionOverrideClassName() == null && pool.getExceptionOverride() == null) {
                    pool.setExceptionOverride(new EmbeddedH2.Eviction());
                }
            }
            DataSource database = database(pool);
            if (database == null) {
                log.warn("The pool {} names a data source class; database outages are not failed fast", beanName);
                return pool;
            }
            FailFastDataSource failFast = new FailFastDataSource(pool, database, properties.probeInterval());
            pool.setDataSource(failFast.gate());
            return failFast;
        }

        /** Unpooled connections as the pool would open them (Hikari's own driver data source), or null. */
        private static DataSource database(HikariDataSource pool) {
            if (pool.getDataSource() != null) {
                return pool.getDataSource();
            }
            if (pool.getJdbcUrl() == null || pool.getDataSourceClassName() != null) {
                return null;
            }
            return new DriverDataSource(
                    pool.getJdbcUrl(),
                    pool.getDriverClassName(),
                    pool.getDataSourceProperties(),
                    pool.getUsername(),
                    pool.getPassword());
        }

        static boolean isPostgres(String jdbcUrl) {
            return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
        }

        /** Sets a pgjdbc property (in seconds; 0 would mean none) unless the URL or the settings name it. */
        private static void driverDefault(HikariDataSource pool, String name, long seconds) {
            String url = pool.getJdbcUrl().toLowerCase(Locale.ROOT);
            String key = name.toLowerCase(Locale.ROOT) + "=";
            boolean inUrl = url.contains("?" + key) || url.contains("&" + key);
            if (!inUrl && !pool.getDataSourceProperties().containsKey(name)) {
                pool.addDataSourceProperty(name, Long.toString(Math.max(1, seconds)));
            }
        }
    }
}
