package org.cagate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FailFastDataSource} over a pool and a database that tests make fail: only a pool that could not
 * connect trips it (not a busy one), then it fails at once without asking the pool, probes the database
 * every interval in the background, and the first probe that connects ends the outage for requests and for
 * the pool's own connection thread waiting in the gate.
 */
class FailFastDataSourceTests {

    private static final Duration PROBE = Duration.ofMillis(50);

    private final FakeDataSource pool = new FakeDataSource();
    private final FakeDataSource database = new FakeDataSource();
    private final FailFastDataSource failFast = new FailFastDataSource(pool, database, PROBE);

    @AfterEach
    void close() throws Exception {
        failFast.close();
    }

    /** What HikariCP throws when it could not make a connection within connection-timeout. */
    static SQLTransientConnectionException poolTimeout(Throwable lastConnectionFailure) {
        return new SQLTransientConnectionException(
                "pool - Connection is not available, request timed out after 3000ms", null, lastConnectionFailure);
    }

    @Test
    void getConnectionWhenPoolMerelyBusyThenFailureReturnedAndNothingTripped() {
        pool.failWith(poolTimeout(null));

        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);

        assertThat(failFast.down()).isFalse();
        assertThat(pool.calls()).isEqualTo(2);
        assertThat(database.calls()).isZero();
    }

    @Test
    void getConnectionWhenDatabaseHasNoConnectionLeftThenNothingTripped() {
        // The pool's open connections still work: an overloaded database is not an outage.
        pool.failWith(poolTimeout(new SQLException("sorry, too many clients already", "53300")));

        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);

        assertThat(failFast.down()).isFalse();
    }

    @Test
    void gateWhenPoolCannotConnectThenTrippedAtOnce() {
        database.failWith(new SQLException("Connection refused", "08001", new ConnectException()));

        assertThatThrownBy(() -> failFast.gate().getConnection()).hasMessageContaining("refused");

        assertThat(failFast.down()).isTrue();
        assertThatThrownBy(failFast::getConnection).isInstanceOf(FailFastDataSource.DatabaseUnreachableException.class);
        assertThat(pool.calls()).isZero();
    }

    @Test
    void getConnectionWhenStatementFailedOtherwiseThenNothingTripped() {
        pool.failWith(new SQLException("relation does not exist", "42P01"));

        assertThatThrownBy(failFast::getConnection).hasMessageContaining("relation");

        assertThat(failFast.down()).isFalse();
    }

    @Test
    void getConnectionWhenPoolCouldNotConnectThenTrippedAndLaterCallsFailAtOnceWithoutThePool() {
        SQLTransientConnectionException timeout = poolTimeout(new ConnectException("Connection refused"));
        pool.failWith(timeout);
        database.failWith(new SQLException("Connection refused", "08001"));

        assertThatThrownBy(failFast::getConnection).isSameAs(timeout);
        assertThat(failFast.down()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(failFast::getConnection)
                    .isInstanceOf(FailFastDataSource.DatabaseUnreachableException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                    .satisfies(e -> assertThat(DatabaseOutage.isOutage(e)).isTrue())
                    .satisfies(e -> assertThat(DatabaseOutage.alreadyKnown(e)).isTrue());
        }

        assertThat(pool.calls()).isEqualTo(1);
    }

    @Test
    void getConnectionWhenPoolFailsWithConnectionStateThenTripped() {
        pool.failWith(new SQLException("the database system is starting up", "57P03"));

        assertThatThrownBy(failFast::getConnection).hasMessageContaining("starting up");

        assertThat(failFast.down()).isTrue();
    }

    @Test
    void probeWhenDatabaseStaysUnreachableThenTriesOncePerIntervalAndStaysDown() throws Exception {
        pool.failWith(poolTimeout(new ConnectException("Connection refused")));
        database.failWith(new SQLException("Connection refused", "08001"));
        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);

        Thread.sleep(PROBE.toMillis() * 10);

        assertThat(failFast.down()).isTrue();
        // One try per interval (a busy machine may let it fall behind, never run ahead).
        assertThat(database.calls()).isBetween(3, 11);
        assertThat(pool.calls()).isEqualTo(1);
    }

    @Test
    void probeWhenDatabaseBackThenOutageEndsAndRequestsUseThePoolAgain() throws Exception {
        pool.failWith(poolTimeout(new ConnectException("Connection refused")));
        database.failWith(new SQLException("Connection refused", "08001"));
        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        Thread.sleep(PROBE.toMillis() * 3);

        database.succeed();
        pool.succeed();
        long back = System.nanoTime();
        await(() -> !failFast.down());
        long recovered = System.nanoTime();

        assertThat(Duration.ofNanos(recovered - back)).isLessThan(PROBE.multipliedBy(10));
        assertThat(failFast.getConnection()).isNotNull();
        assertThat(pool.calls()).isEqualTo(2);
    }

    @Test
    void gateWhenDatabaseDownThenPoolThreadWaitsUntilAProbeConnects() throws Exception {
        pool.failWith(poolTimeout(new ConnectException("Connection refused")));
        database.failWith(new SQLException("Connection refused", "08001"));
        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        DataSource gate = failFast.gate();
        int before = database.calls();

        CompletableFuture<Connection> adder = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(PROBE.toMillis() * 4);
        assertThat(adder).isNotDone();
        database.succeed();

        assertThat(adder.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(failFast.down()).isFalse();
        assertThat(database.calls()).isGreaterThan(before + 1); // the probes, then the gate's own connection
    }

    @Test
    void gateWhenDatabaseUpThenConnectsAtOnce() throws Exception {
        assertThat(failFast.gate().getConnection()).isNotNull();
        assertThat(database.calls()).isEqualTo(1);
    }

    @Test
    void closeWhenDownThenProbeStopsGateReleasedAndPoolClosed() throws Exception {
        pool.failWith(poolTimeout(new ConnectException("Connection refused")));
        database.failWith(new SQLException("Connection refused", "08001"));
        assertThatThrownBy(failFast::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        CompletableFuture<Connection> adder = CompletableFuture.supplyAsync(() -> {
            try {
                return failFast.gate().getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(PROBE.toMillis() * 2);

        failFast.close();

        assertThatThrownBy(() -> adder.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SQLException.class);
        assertThat(pool.closed).isTrue();
        int probes = database.calls();
        Thread.sleep(PROBE.toMillis() * 4);
        assertThat(database.calls()).isEqualTo(probes);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException, TimeoutException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new TimeoutException("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }

    /** A data source that fails with a given exception or hands out connections that are valid. */
    static final class FakeDataSource implements DataSource, AutoCloseable {

        private final AtomicInteger calls = new AtomicInteger();
        private volatile SQLException failure;
        volatile boolean closed;

        void failWith(SQLException failure) {
            this.failure = failure;
        }

        void succeed() {
            this.failure = null;
        }

        int calls() {
            return calls.get();
        }

        @Override
        public Connection getConnection() throws SQLException {
            calls.incrementAndGet();
            SQLException f = failure;
            if (f != null) {
                throw f;
            }
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "isValid" -> true;
                        case "close" -> null;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "fake connection";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
