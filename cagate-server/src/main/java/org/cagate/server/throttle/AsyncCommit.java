package org.cagate.server.throttle;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.cagate.server.system.SetLocalTransactions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs writes whose loss in a PostgreSQL crash does no harm in one transaction that does not wait for
 * its WAL record to reach the disk ({@code SET LOCAL synchronous_commit = off}): the password login's
 * throttle counts ({@link LoginThrottle}). Until issue 19 also the challenge's issue and spending and the
 * CA login's counts; a CA login is now one synchronous transaction, and a challenge writes nothing. Such a
 * transaction is atomic and at once visible to every node like any other; only its durability waits, for
 * the WAL writer (within three {@code wal_writer_delay}, 600 ms by default) or for the next synchronous
 * commit of any session, which flushes the WAL up to its own record and so everything committed before
 * it. A request that ends with a synchronous commit (the password login's new session, the audit record
 * of a refusal) therefore answers only when its earlier writes are durable too, after one WAL flush
 * instead of one per statement. Bindings, accounts and providers never go through here. On H2 (tests,
 * the demo) this is a plain transaction. docs/decisions.md has the reasoning.
 */
@Component
public class AsyncCommit {

    private final SetLocalTransactions transactions;

    AsyncCommit(PlatformTransactionManager transactionManager, JdbcTemplate jdbc, DataSource dataSource) {
        this.transactions = new SetLocalTransactions(
                transactionManager, jdbc, dataSource, "SET LOCAL synchronous_commit TO OFF", false);
    }

    /**
     * Runs {@code work} in a new transaction committed without waiting for the disk. An exception thrown
     * by {@code work} rolls everything back: return refusals instead of throwing them when the writes made
     * before must count, and throw after this returns.
     *
     * @throws IllegalStateException inside another transaction, whose writes this must not relax
     */
    public <T> T run(Supplier<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("an asynchronous commit inside another transaction would relax it");
        }
        return transactions.run(work);
    }
}
