package org.cagate.server.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips the PostgreSQL run, visibly, when CAGATE_TEST_PG_URL is not set. */
public final class TestDatabaseCondition implements ExecutionCondition {

    private static final AtomicBoolean warned = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestDatabase.postgres()) {
            return ConditionEvaluationResult.enabled("H2 run");
        }
        String url = System.getenv(TestDatabase.PG_URL_ENV);
        if (url == null || url.isBlank()) {
            String reason = TestDatabase.PG_URL_ENV
                    + " is not set: the PostgreSQL run of the server tests is SKIPPED"
                    + " (e.g. CAGATE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";
            if (warned.compareAndSet(false, true)) {
                System.out.println("[WARNING] " + reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
        return ConditionEvaluationResult.enabled(
                "PostgreSQL run on " + url.replaceAll("password=[^&]*", "password=***"));
    }
}
