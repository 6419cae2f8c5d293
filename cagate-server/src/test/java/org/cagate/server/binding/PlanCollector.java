package org.cagate.server.binding;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A JdbcTemplate that keeps the plans PostgreSQL's auto_explain sends while {@link #collect} runs:
 * with {@code client_min_messages = log} they arrive as notices (SQL warnings) of the statement that
 * ran, so the benchmark shows the plan each statement of {@link BindingRepository#list} really used
 * (generic or custom, after thousands of executions of the same prepared statement), not the plan a
 * fresh EXPLAIN of hand-copied SQL would get.
 */
final class PlanCollector extends JdbcTemplate {

    private List<String> plans;

    PlanCollector(DataSource dataSource) {
        super(dataSource);
    }

    /**
     * Runs {@code work} with auto_explain on (ANALYZE, BUFFERS) and returns the plans of its statements
     * in order. auto_explain must be loaded in the session already ({@code LOAD 'auto_explain'}).
     */
    List<String> collect(Runnable work) {
        execute("SET auto_explain.log_analyze = on");
        execute("SET auto_explain.log_buffers = on");
        execute("SET auto_explain.log_min_duration = 0");
        execute("SET client_min_messages = log");
        plans = new ArrayList<>();
        try {
            work.run();
            // A statement's executor ends, and auto_explain reports, when its portal is dropped: at the next
            // statement, or in a transaction's COMMIT, whose notices the connection keeps.
            execute((ConnectionCallback<Void>) connection -> {
                for (SQLWarning w = connection.getWarnings(); w != null; w = w.getNextWarning()) {
                    plans.add(w.getMessage());
                }
                connection.clearWarnings();
                return null;
            });
            return plans;
        } finally {
            plans = null;
            execute("SET auto_explain.log_min_duration = -1");
            execute("RESET client_min_messages");
        }
    }

    @Override
    protected void handleWarnings(Statement statement) throws SQLException {
        if (plans == null) {
            super.handleWarnings(statement);
            return;
        }
        for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
            plans.add(w.getMessage());
        }
    }
}
