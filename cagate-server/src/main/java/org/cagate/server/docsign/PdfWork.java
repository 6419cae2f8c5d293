package org.cagate.server.docsign;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.stereotype.Component;

/**
 * The node's bound on PDF work at once (page preview, prepare, complete, verify): each holds a whole PDF
 * of up to {@code cagate.signing.max-pdf-size} in memory, and PDFBox's parsing and rendering cost CPU in
 * proportion to what the document holds. A request beyond {@code cagate.signing.max-concurrent} waits up
 * to {@code cagate.signing.concurrent-wait} for its turn, then gets 503 SERVICE_UNAVAILABLE with
 * Retry-After: a few large or hostile documents slow 签章 down, never the node's logins.
 */
@Component
class PdfWork {
    private final Semaphore permits;
    private final Duration wait;

    PdfWork(SigningProperties properties) {
        this.permits = new Semaphore(properties.maxConcurrent(), true);
        this.wait = properties.concurrentWait();
    }

    <T> T run(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ApiException.retryAfter(ProblemCode.SERVICE_UNAVAILABLE, wait);
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
