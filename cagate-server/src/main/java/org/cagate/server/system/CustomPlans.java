package org.cagate.server.system;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Runs the statements of a list whose best plan depends on its parameters in one read-only transaction in
 * which PostgreSQL plans every statement for the values it is given ({@code SET LOCAL plan_cache_mode =
 * force_custom_plan}). pgjdbc turns a statement run five times on a connection into a server-side prepared
 * statement, and PostgreSQL then settles on a generic plan if it looks no dearer than the custom ones so
 * far: for "an organisation's bindings filtered by name" a plan sized for the typical organisation of a few
 * accounts, which walks a large organisation's thousands one index probe at a time. With the values, the
 * statistics tell a large organisation from a small one and the planner picks a hash join for the first and
 * a few lookups for the second. Planning each call and the transaction's two round trips (the SET, the
 * COMMIT) cost under a millisecond (docs/benchmarks.md, "CA binding list"). On H2 (tests, the demo) this is
 * a plain read-only transaction. Joins the caller's transaction if there is one (the setting then lasts
 * until it ends).
 */
@Component
public class CustomPlans {

    private final SetLocalTransactions transactions;

    public CustomPlans(PlatformTransactionManager transactionManager, JdbcTemplate jdbc, DataSource dataSource) {
        this.transactions = new SetLocalTransactions(
                transactionManager, jdbc, dataSource, "SET LOCAL plan_cache_mode = force_custom_plan", true);
    }

    public <T> T run(Supplier<T> work) {
        return transactions.run(work);
    }
}
