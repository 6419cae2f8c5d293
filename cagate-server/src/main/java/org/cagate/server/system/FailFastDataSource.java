package org.cagate.server.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, failing at once while the database is known to be unreachable.
 *
 * <p>Without it, every database access during an outage waits the pool's whole {@code connection-timeout}
 * (3 s) for a connection that cannot be made, and one request may access the database several times
 * (Spring Session loads the session in its filter, Spring Security and the error page ask for it again),
 * so answers took 10 s and more. Here, once the pool failed to make a connection (its timeout names the
 * driver's failure as the cause), every {@link #getConnection()} for the next {@code window} fails at once
 * with {@link SQLTransientConnectionException} (SQLSTATE 08001), which the web layer answers as 503
 * SERVICE_UNAVAILABLE. After the window one caller at a time tries the pool again, while the others keep
 * failing at once; its success ends the outage for everyone. A pool that is merely busy (a timeout without a
 * cause) changes nothing: that is load, not an outage.
 */
final class FailFastDataSource extends DelegatingDataSource {

    private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** When the current window of failing at once ends ({@link System#nanoTime()}); meaningless unless down. */
    private volatile long failingUntil;

    private volatile boolean down;
    private volatile long downSince;

    FailFastDataSource(DataSource pool, Duration window, LongSupplier nanoTime) {
        super(pool);
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(username, password);
    }

    /** Whether the last attempt found the database unreachable (for tests and the log). */
    boolean down() {
        return down;
    }

    private Connection connect(String username, String password) throws SQLException {
        if (!down) {
            try {
                return open(username, password);
            } catch (SQLException e) {
                if (unreachable(e)) {
                    trip(e);
                }
                throw e;
            }
        }
        if (nanoTime.getAsLong() - failingUntil < 0 || !probing.compareAndSet(false, true)) {
            throw new SQLTransientConnectionException(
                    "the database is unreachable (failing at once until a connection succeeds)", "08001");
        }
        try {
            Connection connection = open(username, password);
            recovered();
            return connection;
        } catch (SQLException e) {
            failingUntil = nanoTime.getAsLong() + windowNanos;
            throw e;
        } finally {
            probing.set(false);
        }
    }

    private Connection open(String username, String password) throws SQLException {
        return username == null ? super.getConnection() : super.getConnection(username, password);
    }

    /**
     * The pool's timeout carries the driver's last connection failure as its cause when it could not make a
     * connection; a timeout without a cause only means every connection was busy.
     */
    private static boolean unreachable(SQLException e) {
        return e.getCause() != null || DatabaseOutage.isConnectionState(e.getSQLState());
    }

    private synchronized void trip(SQLException e) {
        if (down) {
            return;
        }
        long now = nanoTime.getAsLong();
        failingUntil = now + windowNanos;
        downSince = now;
        down = true;
        log.warn(
                "The database is unreachable ({}); requests that need it fail at once (503), one try every {} ms",
                DatabaseOutage.describe(e),
                windowNanos / 1_000_000);
    }

    private synchronized void recovered() {
        if (down) {
            down = false;
            log.warn("The database is reachable again, after {} ms", (nanoTime.getAsLong() - downSince) / 1_000_000);
        }
    }
}
