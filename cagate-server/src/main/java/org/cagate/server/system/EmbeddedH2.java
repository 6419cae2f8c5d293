package org.cagate.server.system;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What the embedded H2 database needs to stay usable under a long-running server (issue 16, item 5).
 *
 * <ul>
 *   <li>{@code DB_CLOSE_DELAY=-1}: H2 closes an embedded database when its last connection closes. The pool
 *       retires its connections ({@code max-lifetime}, 30 min by default) and a connection it opens while
 *       H2 is still closing the database belongs to a closed database: "The database has been closed
 *       [90098]" on every statement, while {@code isValid()} still says true.
 *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook would close the database while Spring
 *       still serves the requests in flight; the application closes the pool at its end instead.
 *   <li>A connection whose statement failed with 90098 / 90121 (closed) or 90067 (broken) is evicted from
 *       the pool ({@link Eviction}): HikariCP evicts only SQLSTATE class 08, and H2 reports these with its
 *       error code as the SQLSTATE. The next connection opens the database again.
 * </ul>
 *
 * A setting already in the URL wins.
 */
final class EmbeddedH2 {

    static final int DATABASE_IS_CLOSED = 90098;
    static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;
    static final int CONNECTION_BROKEN = 90067;

    private EmbeddedH2() {}

    /** An H2 database inside this JVM (file or memory), not one reached over TCP. */
    static boolean isEmbedded(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length()).toLowerCase(Locale.ROOT);
        return !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
    }

    /** The URL with DB_CLOSE_DELAY=-1 and DB_CLOSE_ON_EXIT=FALSE added unless it names them. */
    static String keepOpen(String jdbcUrl) {
        String url = jdbcUrl;
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.contains(";db_close_delay=")) {
            url += ";DB_CLOSE_DELAY=-1";
        }
        if (!lower.contains(";db_close_on_exit=")) {
            url += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return url;
    }

    /** HikariCP's eviction rule for H2's "closed" and "broken" codes; the pool's own rules for the rest. */
    public static final class Eviction implements SQLExceptionOverride {
        @java.lang.Override
        public Override adjudicate(SQLException e) {
            for (SQLException s = e; s != null; s = s.getNextException()) {
                int code = s.getErrorCode();
                if (code == DATABASE_IS_CLOSED || code == DATABASE_CALLED_AT_SHUTDOWN || code == CONNECTION_BROKEN) {
                    return Override.MUST_EVICT;
                }
            }
            return Override.CONTINUE_EVICT;
        }
    }
}
