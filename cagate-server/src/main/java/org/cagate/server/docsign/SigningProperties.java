package org.cagate.server.docsign;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Document signatures (签章, 验章): {@code cagate.signing.*}.
 *
 * @param maxPdfSize the largest PDF accepted for signing or verifying (the page states it)
 */
@Validated
@ConfigurationProperties("cagate.signing")
record SigningProperties(@DefaultValue("20MB") @NotNull DataSize maxPdfSize) {}
