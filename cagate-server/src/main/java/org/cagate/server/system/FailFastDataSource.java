package org.cagate.server.system;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, failing at once while the database is known to be unreachable, and noticing by itself
 * when it is back.
 *
 * <p>Without it, every database access during an outage waits the pool's whole {@code connection-timeout}
 * (3 s) for a connection that cannot be made, one request may access the database several times (Spring
 * Session loads the session in its filter and saves it at the end, the error dispatch asks again), and after
 * the database returns the pool's own retries decide when the node works again: HikariCP doubles its pause
 * between failed attempts up to 5 s, so a node could stay down for 5 s after the database came back.
 *
 * <p>Here, once a new connection could not be made because the database cannot be reached (the pool's
 * thread adding connections is refused, or a request's wait for the pool ends with such a failure as the
 * cause; see {@link #unreachable}), the database counts as down: every {@link #getConnection()}
 * fails at once with {@link DatabaseUnreachableException} (SQLSTATE 08001), which the web layer answers as
 * 503 SERVICE_UNAVAILABLE, and a background thread tries a connection of its own every {@code probeInterval}.
 * The pool makes its connections through {@link #gate()}: while the database is down, the pool's thread
 * that adds connections waits there instead of failing and backing off. The first probe that connects ends
 * the outage for every request and releases that thread, so the pool has a connection again within the
 * probe interval of the database's return. A pool that is merely busy (a timeout without a cause) changes
 * nothing: that is load, not an outage.
 */
final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

    private final DataSource database;
    private final Duration probeInterval;
    private final Object lock = new Object();
    private volatile boolean down;
    private boolean closed;
    private long downSince;
    private Thread prober;

    /**
     * @param pool the connection pool requests borrow from
     * @param database the database's own connections (unpooled), as the pool would open them: what the probe
     *     and {@link #gate()} connect with
     */
    FailFastDataSource(DataSource pool, DataSource database, Duration probeInterval) {
        super(pool);
        this.database = database;
        this.probeInterval = probeInterval;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return borrow(null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return borrow(username, password);
    }

    /** Whether the database counts as unreachable now. */
    boolean down() {
        return down;
    }

    /**
     * Where the pool makes its connections: the database's own, except that while the database counts as
     * down the caller waits (interruptibly) until a probe found it back.
     */
    DataSource gate() {
        return new Gate();
    }

    private Connection borrow(String username, String password) throws SQLException {
        if (down) {
            throw new DatabaseUnreachableException();
        }
        try {
            return username == null ? super.getConnection() : super.getConnection(username, password);
        } catch (SQLException e) {
            if (unreachable(e)) {
                trip(e);
            }
            throw e;
        }
    }

    /**
     * Whether a failure to get a connection means the database cannot be reached: a connection exception
     * (SQLSTATE class 08) or a server shutting down or starting (57P), from the driver or as the cause of the
     * pool's timeout (which names the driver's last connection failure), or a network failure underneath. A
     * timeout without a cause only means every connection was busy; "too many connections" (class 53) means
     * the database is overloaded: refusing every request while the pool's open connections still work would
     * make that worse, so neither trips.
     */
    static boolean unreachable(SQLException e) {
        if (e instanceof DatabaseUnreachableException) {
            return false;
        }
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; depth++) {
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
            if (state != null && state.startsWith("53")) {
                return false;
            }
            if (t instanceof IOException) {
                return true; // connect refused, host unreachable, connect timed out
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    private void trip(SQLException e) {
        synchronized (lock) {
            if (down || closed) {
                return;
            }
            down = true;
            downSince = System.nanoTime();
            prober = new Thread(this::probe, "cagate-database-probe");
            prober.setDaemon(true);
            prober.start();
        }
        log.warn(
                "The database is unreachable ({}); requests that need it fail at once (503), a connection is tried"
                        + " every {} ms",
                DatabaseOutage.describe(e),
                probeInterval.toMillis());
    }

    private void probe() {
        int validSeconds = (int) Math.max(1, probeInterval.toSeconds());
        String lastFailure = null;
        while (true) {
            try {
                Thread.sleep(probeInterval.toMillis());
            } catch (InterruptedException e) {
                return; // closed
            }
            synchronized (lock) {
                if (!down || closed) {
                    return;
                }
            }
            try (Connection connection = database.getConnection()) {
                if (connection.isValid(validSeconds)) {
                    recovered();
                    return;
                }
            } catch (SQLException e) {
                String failure = DatabaseOutage.describe(e);
                if (!failure.equals(lastFailure)) {
                    log.info("The database is still unreachable: {}", failure);
                    lastFailure = failure;
                }
            }
        }
    }

    private void recovered() {
        long millis;
        synchronized (lock) {
            down = false;
            prober = null;
            millis = (System.nanoTime() - downSince) / 1_000_000;
            lock.notifyAll();
        }
        log.warn("The database is reachable again, after {} ms", millis);
    }

    private void awaitReachable() throws SQLException {
        synchronized (lock) {
            try {
                while (down && !closed) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatabaseUnreachableException();
            }
            if (closed) {
                throw new SQLException("the data source is closed", "08003");
            }
        }
    }

    /** Stops the probe, releases whoever waits in the gate, and closes the pool (at the application's end). */
    @Override
    public void close() throws Exception {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = prober;
            lock.notifyAll();
        }
        if (running != null) {
            running.interrupt();
        }
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    /** A request needed the database while it counted as unreachable: answered at once, without trying. */
    static final class DatabaseUnreachableException extends SQLTransientConnectionException {

        private static final long serialVersionUID = 1L;

        DatabaseUnreachableException() {
            super("the database is unreachable (failing at once until a probe connects)", "08001");
        }
    }

    private final class Gate implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return connect(null, null);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connect(username, password);
        }

        // The pool's thread that adds connections is the first to learn that the database is gone: it trips
        // at once, before its own pauses between attempts grow, and then waits here for the probe.
        private Connection connect(String username, String password) throws SQLException {
            awaitReachable();
            try {
                return username == null ? database.getConnection() : database.getConnection(username, password);
            } catch (SQLException e) {
                if (unreachable(e)) {
                    trip(e);
                }
                throw e;
            }
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return database.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            database.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            database.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return database.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return database.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return database.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return database.isWrapperFor(type);
        }
    }
}
