package org.cagate.server.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches an embedded database, which no one but this server can bring back: every {@code interval} it
 * runs {@code SELECT 1} through the pool. A failure evicts the connection (H2's closed codes, {@link
 * EmbeddedH2.Eviction}), so the next check, and every request, gets a new connection that opens the
 * database again. When no connection could be used for {@code giveUp} (the file is gone, locked by another
 * process, damaged, the disk full), the server logs why and exits with status 70, so that its supervisor
 * (systemd, Docker, ./demo) restarts it, instead of answering 503 to every request forever.
 */
final class EmbeddedDatabaseWatch implements SmartLifecycle {

    static final int EXIT_STATUS = 70; // EX_SOFTWARE

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseWatch.class);

    private final DataSource pool;
    private final Duration interval;
    private final Duration giveUp;
    private final IntConsumer exit;
    private volatile Thread thread;
    private long failingSince = -1;
    private String lastFailure;

    EmbeddedDatabaseWatch(DataSource pool, Duration interval, Duration giveUp, IntConsumer exit) {
        this.pool = pool;
        this.interval = interval;
        this.giveUp = giveUp;
        this.exit = exit;
    }

    /** One check; true when the database answered. Package-private for tests. */
    boolean check() {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, interval.toSeconds()));
            statement.execute("SELECT 1");
            if (failingSince >= 0) {
                log.warn(
                        "The embedded database is usable again, after {} ms",
                        (System.nanoTime() - failingSince) / 1_000_000);
            }
            failingSince = -1;
            lastFailure = null;
            return true;
        } catch (SQLException | RuntimeException e) {
            String failure = DatabaseOutage.describe(e);
            if (failingSince < 0) {
                failingSince = System.nanoTime();
            }
            if (!failure.equals(lastFailure)) {
                log.warn("The embedded database cannot be used ({}); trying a new connection", failure);
                lastFailure = failure;
            }
            if (System.nanoTime() - failingSince >= giveUp.toNanos()) {
                log.error(
                        "The embedded database could not be used for {} s ({}): exiting with status {} so that"
                                + " the server is restarted (cagate.database.embedded-give-up)",
                        giveUp.toSeconds(),
                        failure,
                        EXIT_STATUS);
                exit.accept(EXIT_STATUS);
            }
            return false;
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            check();
        }
    }

    @Override
    public void start() {
        Thread watch = new Thread(this::run, "cagate-embedded-database-watch");
        watch.setDaemon(true);
        thread = watch;
        watch.start();
    }

    @Override
    public void stop() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
