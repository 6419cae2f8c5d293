package org.cagate.server.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Audit page settings ({@code cagate.audit.*}).
 *
 * @param exportMaxRows the most events one CSV export may hold; more is refused (narrow the filters)
 */
@Validated
@ConfigurationProperties("cagate.audit")
public record AuditProperties(
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int exportMaxRows) {}
