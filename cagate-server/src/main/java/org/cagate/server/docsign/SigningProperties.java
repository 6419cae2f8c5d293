package org.cagate.server.docsign;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Document signatures (签章, 验章): {@code cagate.signing.*}.
 *
 * @param maxPdfSize the largest PDF accepted for signing or verifying (the page states it)
 * @param maxSealSize the largest seal image (印章) an ORG_ADMIN may upload
 * @param tsaUrl an RFC 3161 time-stamp authority: when set, every signature is completed as PAdES B-T
 *     with its token, and a TSA that does not answer refuses the signature (TIMESTAMP_UNAVAILABLE); unset,
 *     signatures are B-B
 * @param tsaTimeout how long the TSA may take to connect and to answer
 * @param maxConcurrent how many PDFs a node previews, prepares, completes or verifies at once ({@link PdfWork})
 * @param concurrentWait how long a request beyond that waits for its turn before 503 SERVICE_UNAVAILABLE
 */
@Validated
@ConfigurationProperties("cagate.signing")
record SigningProperties(
        @DefaultValue("20MB") @NotNull DataSize maxPdfSize,
        @DefaultValue("1MB") @NotNull DataSize maxSealSize,
        URI tsaUrl,
        @DefaultValue("10s") @NotNull Duration tsaTimeout,
        @DefaultValue("4") @Positive int maxConcurrent,
        @DefaultValue("10s") @NotNull Duration concurrentWait) {

    SigningProperties {
        if (tsaUrl != null
                && !("http".equalsIgnoreCase(tsaUrl.getScheme()) || "https".equalsIgnoreCase(tsaUrl.getScheme()))) {
            throw new IllegalArgumentException("cagate.signing.tsa-url must be an http or https URL: " + tsaUrl);
        }
    }
}
