package org.cagate.server.system;

import java.sql.DatabaseMetaData;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactions that begin with one PostgreSQL {@code SET LOCAL} (which lasts until the transaction ends),
 * and are plain transactions on any other database (H2 in the tests and the demo). What {@link CustomPlans}
 * and {@code throttle.AsyncCommit} are made of.
 */
public final class SetLocalTransactions {

    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final String setLocal;

    /**
     * @param setLocal the statement, e.g. {@code SET LOCAL synchronous_commit TO OFF}; run on PostgreSQL only
     */
    public SetLocalTransactions(
            PlatformTransactionManager transactionManager,
            JdbcTemplate jdbc,
            DataSource dataSource,
            String setLocal,
            boolean readOnly) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setReadOnly(readOnly);
        this.jdbc = jdbc;
        this.setLocal = isPostgres(dataSource) ? setLocal : null;
    }

    /** Runs {@code work} in such a transaction (joining the caller's, if there is one). */
    public <T> T run(Supplier<T> work) {
        return transactions.execute(status -> {
            if (setLocal != null) {
                jdbc.execute(setLocal);
            }
            return work.get();
        });
    }

    private static boolean isPostgres(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return "PostgreSQL".equalsIgnoreCase(product);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database this is", e);
        }
    }
}
