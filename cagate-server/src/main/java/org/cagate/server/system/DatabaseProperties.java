package org.cagate.server.system;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a node behaves when its database is slow or gone ({@code cagate.database.*}); docs/operations.md,
 * "Database outage". The pool's own limits are Spring Boot's {@code spring.datasource.hikari.*}.
 *
 * @param socketTimeout PostgreSQL only (pgjdbc {@code socketTimeout}): the longest a node waits for the
 *     database's answer to one statement before it drops the connection, so a database host that vanished
 *     without closing the connection (a network partition, a power cut) cannot hold a request forever
 * @param connectTimeout PostgreSQL only (pgjdbc {@code connectTimeout}): the longest the pool waits for a
 *     new connection's TCP connect
 * @param probeInterval once the pool could not make a connection, every request that needs the database
 *     fails at once (503) while a connection is tried this often; the first that succeeds ends the outage
 * @param embeddedCheckInterval embedded H2 only: how often the server checks that its database answers
 *     ({@link EmbeddedDatabaseWatch})
 * @param embeddedGiveUp embedded H2 only: after this long without a usable connection the server logs why
 *     and exits (status 70), for its supervisor to restart it
 */
@Validated
@ConfigurationProperties("cagate.database")
public record DatabaseProperties(
        @DefaultValue("30s") @NotNull Duration socketTimeout,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("1s") @NotNull Duration probeInterval,
        @DefaultValue("2s") @NotNull Duration embeddedCheckInterval,
        @DefaultValue("60s") @NotNull Duration embeddedGiveUp) {}
