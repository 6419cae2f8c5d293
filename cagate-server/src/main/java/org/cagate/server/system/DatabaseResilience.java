package org.cagate.server.system;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.SmartInstantiationAwareBeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Bounds what a database outage can do to a request: on PostgreSQL the driver's socket and connect timeouts
 * ({@link DatabaseProperties}; a setting already in the JDBC URL or in
 * {@code spring.datasource.hikari.data-source-properties} wins), and around the pool a
 * {@link FailFastDataSource}. The pool itself (Boot's {@code HikariDataSource}, with its
 * {@code connection-timeout}) stays as configured; metrics and health reach it through the wrapper.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseResilience {

    @Bean
    static BeanPostProcessor databaseResiliencePostProcessor(Environment environment) {
        DatabaseProperties properties = Binder.get(environment)
                .bindOrCreate("cagate.database", DatabaseProperties.class);
        return new PostProcessor(properties);
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
            // The pool starts at its first connection, after this: the driver properties still apply.
            if (isPostgres(pool.getJdbcUrl())) {
                driverDefault(pool, "socketTimeout", properties.socketTimeout().toSeconds());
                driverDefault(pool, "connectTimeout", properties.connectTimeout().toSeconds());
            }
            return new FailFastDataSource(pool, properties.failFast(), System::nanoTime);
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
