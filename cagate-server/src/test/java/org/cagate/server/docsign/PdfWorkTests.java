package org.cagate.server.docsign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class PdfWorkTests {

    private static PdfWork work(int maxConcurrent, Duration wait) {
        return new PdfWork(new SigningProperties(
                DataSize.ofMegabytes(20), DataSize.ofMegabytes(1), null, Duration.ofSeconds(10), maxConcurrent, wait));
    }

    @Test
    void runWhenBoundReachedThenWaitsThenServiceUnavailableWithRetryAfter() throws Exception {
        PdfWork work = work(1, Duration.ofMillis(200));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> work.run(() -> {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "first";
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> work.run(() -> "second")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ProblemCode.SERVICE_UNAVAILABLE);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(200));
        });

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(work.run(() -> "third")).isEqualTo("third");
    }

    @Test
    void runWhenWorkFailsThenItsTurnIsGivenBack() {
        PdfWork work = work(1, Duration.ofMillis(100));

        assertThatThrownBy(() -> work.run(() -> {
                    throw new ApiException(ProblemCode.PDF_DAMAGED);
                }))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ProblemCode.PDF_DAMAGED));
        assertThat(work.run(() -> "next")).isEqualTo("next");
    }
}
