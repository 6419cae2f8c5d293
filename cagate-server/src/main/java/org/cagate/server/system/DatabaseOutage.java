package org.cagate.server.system;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database itself (unreachable, restarting, refusing connections) from every other
 * failure, wherever it surfaced: a repository ({@code DataAccessResourceFailureException}), the start of a
 * transaction ({@code CannotCreateTransactionException}, which is no {@code DataAccessException}), Spring
 * Session loading a session in its filter, or a commit or rollback on a connection that broke
 * ({@code TransactionSystemException}: the pool hands out a closed connection's "Connection is closed"
 * without a SQLSTATE, and the statement's own failure is kept as the application exception). Such a request
 * is answered 503 SERVICE_UNAVAILABLE, never 500.
 */
public final class DatabaseOutage {

    private static final int MAX_DEPTH = 32;

    private DatabaseOutage() {}

    /** Whether {@code failure} or one of its causes says the database cannot be reached or used now. */
    public static boolean isOutage(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof DataAccessResourceFailureException // includes CannotGetJdbcConnectionException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return true;
            }
            if (t instanceof TransactionSystemException tx
                    && (tx.getCause() instanceof SQLException
                            || (tx.getApplicationException() != null && isOutage(tx.getApplicationException())))) {
                // JdbcTransactionManager translates every SQLSTATE it knows; a commit or rollback that failed
                // untranslated could not reach the database.
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    /**
     * SQLSTATE classes of a database that is gone or refusing work: 08 (connection exception), 57P
     * (administrator or crash shutdown, cannot connect now: a restart) and 53 (insufficient resources,
     * e.g. too many connections).
     */
    static boolean isConnectionState(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.startsWith("53"));
    }

    /**
     * Whether the failure is the node's own "the database is known to be down" ({@link FailFastDataSource}):
     * the outage was logged once when it began, so each request it refuses needs no line of its own.
     */
    public static boolean alreadyKnown(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof FailFastDataSource.DatabaseUnreachableException) {
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    /** The innermost message, for one log line instead of a stack trace per refused request. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < MAX_DEPTH; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
