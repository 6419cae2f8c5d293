package org.cagate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.AbstractDataSource;

/** {@link EmbeddedDatabaseWatch}, the H2 eviction rule and the health check, each without a server. */
class EmbeddedDatabaseWatchTests {

    private final List<Integer> exits = new ArrayList<>();

    @Test
    void checkWhenDatabaseAnswersThenTrueAndNoExit() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:watch-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        EmbeddedDatabaseWatch watch = new EmbeddedDatabaseWatch(h2, Duration.ofSeconds(1), Duration.ZERO, exits::add);

        assertThat(watch.check()).isTrue();
        assertThat(exits).isEmpty();
        assertThat(new DatabaseResilience().dbHealthIndicator(h2).health().getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void checkWhenDatabaseCannotBeOpenedForTheGiveUpTimeThenExitsNonZeroAndHealthIsDown() {
        DataSource gone = failing(new SQLNonTransientConnectionException(
                "Database may be already in use: \"cagate.mv.db\"", "90020", 90020));
        EmbeddedDatabaseWatch patient =
                new EmbeddedDatabaseWatch(gone, Duration.ofSeconds(1), Duration.ofMinutes(1), exits::add);
        EmbeddedDatabaseWatch giveUpNow =
                new EmbeddedDatabaseWatch(gone, Duration.ofSeconds(1), Duration.ZERO, exits::add);

        assertThat(patient.check()).isFalse();
        assertThat(exits).isEmpty();
        assertThat(giveUpNow.check()).isFalse();
        assertThat(exits).containsExactly(EmbeddedDatabaseWatch.EXIT_STATUS);
        assertThat(new DatabaseResilience().dbHealthIndicator(gone).health().getStatus())
                .isEqualTo(Status.DOWN);
    }

    @Test
    void evictionWhenH2SaysClosedOrBrokenThenMustEvictElseThePoolsOwnRule() {
        EmbeddedH2.Eviction eviction = new EmbeddedH2.Eviction();

        for (int code : new int[] {90098, 90121, 90067}) {
            assertThat(eviction.adjudicate(new SQLException("closed", String.valueOf(code), code)))
                    .isEqualTo(com.zaxxer.hikari.SQLExceptionOverride.Override.MUST_EVICT);
        }
        assertThat(eviction.adjudicate(new SQLException("duplicate", "23505", 23505)))
                .isEqualTo(com.zaxxer.hikari.SQLExceptionOverride.Override.CONTINUE_EVICT);
    }

    @Test
    void urlWhenEmbeddedThenKeptOpenUnlessItSaysOtherwise() {
        assertThat(EmbeddedH2.keepOpen("jdbc:h2:file:./data/cagate;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:./data/cagate;MODE=PostgreSQL;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(EmbeddedH2.keepOpen("jdbc:h2:mem:x;db_close_delay=10"))
                .isEqualTo("jdbc:h2:mem:x;db_close_delay=10;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(EmbeddedH2.isEmbedded("jdbc:h2:file:./data/cagate")).isTrue();
        assertThat(EmbeddedH2.isEmbedded("jdbc:h2:tcp://db/cagate")).isFalse();
        assertThat(EmbeddedH2.isEmbedded("jdbc:postgresql://db/cagate")).isFalse();
    }

    private static DataSource failing(SQLException failure) {
        return new AbstractDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                throw failure;
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                throw failure;
            }
        };
    }
}
