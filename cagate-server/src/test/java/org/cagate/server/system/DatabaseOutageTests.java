package org.cagate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** {@link DatabaseOutage}: the database being gone, as each layer reports it, and nothing else. */
class DatabaseOutageTests {

    @Test
    void isOutageWhenConnectionCouldNotBeHadThenTrue() {
        SQLTransientConnectionException poolTimeout = FailFastDataSourceTests.poolTimeout(new ConnectException());

        assertThat(DatabaseOutage.isOutage(poolTimeout)).isTrue();
        assertThat(DatabaseOutage.isOutage(new CannotGetJdbcConnectionException("no connection", poolTimeout)))
                .isTrue();
        assertThat(DatabaseOutage.isOutage(new CannotCreateTransactionException("no connection", poolTimeout)))
                .isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLNonTransientConnectionException("gone")))
                .isTrue();
    }

    @Test
    void isOutageWhenStatementFailedWithConnectionStateThenTrue() {
        for (String state : new String[] {"08001", "08003", "08006", "57P01", "57P02", "57P03", "53300"}) {
            SQLException failure = new SQLException("PostgreSQL says " + state, state);
            assertThat(DatabaseOutage.isOutage(failure)).as(state).isTrue();
            assertThat(DatabaseOutage.isOutage(new UncategorizedSQLException("query", "SELECT 1", failure)))
                    .as(state)
                    .isTrue();
        }
        assertThat(DatabaseOutage.isOutage(new DataAccessResourceFailureException("I/O error")))
                .isTrue();
    }

    @Test
    void isOutageWhenRollbackFailedOnBrokenConnectionThenTrue() {
        // What TransactionTemplate throws when the statement broke the connection and the rollback then failed.
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        TransactionSystemException overridden = new TransactionSystemException("JDBC rollback failed");
        overridden.initApplicationException(new DataAccessResourceFailureException("I/O error"));

        assertThat(DatabaseOutage.isOutage(rollback)).isTrue();
        assertThat(DatabaseOutage.isOutage(overridden)).isTrue();
    }

    @Test
    void isOutageWhenAnythingElseThenFalse() {
        RuntimeException loop = new RuntimeException("one");
        RuntimeException other = new RuntimeException("two", loop);
        loop.initCause(other);
        RuntimeException deep = new IllegalStateException("bottom");
        for (int i = 0; i < 100; i++) {
            deep = new RuntimeException("level " + i, deep);
        }

        assertThat(DatabaseOutage.isOutage(new DuplicateKeyException("unique"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new SQLException("duplicate key", "23505")))
                .isFalse();
        assertThat(DatabaseOutage.isOutage(
                        new BadSqlGrammarException("query", "SELECT x", new SQLException("no such column", "42703"))))
                .isFalse();
        assertThat(DatabaseOutage.isOutage(new SQLException("no state"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new TransactionSystemException("no transaction in progress")))
                .isFalse();
        assertThat(DatabaseOutage.isOutage(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseOutage.isOutage(loop)).isFalse();
        assertThat(DatabaseOutage.isOutage(deep)).isFalse();
        assertThat(DatabaseOutage.isOutage(null)).isFalse();
    }

    @Test
    void describeWhenNestedThenInnermostOnly() {
        Exception failure = new CannotCreateTransactionException(
                "Could not open JDBC Connection",
                FailFastDataSourceTests.poolTimeout(new ConnectException("Connection refused")));

        assertThat(DatabaseOutage.describe(failure)).isEqualTo("ConnectException: Connection refused");
        assertThat(DatabaseOutage.alreadyKnown(failure)).isFalse();
    }
}
