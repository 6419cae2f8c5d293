package org.cagate.server.caprovider;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CA provider settings ({@code cagate.ca.*}).
 *
 * @param providerRefresh how old a node's view of the providers may get before it asks the database
 *     for their versions again: a change made on one node reaches every other node within this time
 * @param agentUrl where pages reach the local agent (the wire contract's default port); pages read it
 *     from the DOM, so browser tests can point them at an agent on another port
 */
@Validated
@ConfigurationProperties("cagate.ca")
public record CaProviderProperties(
        @DefaultValue("5s") @NotNull Duration providerRefresh,
        @DefaultValue("http://127.0.0.1:21777") @NotNull String agentUrl) {}
