package org.cagate.server.driver;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The download centre's settings ({@code cagate.drivers.*}).
 *
 * @param maxSize the largest package an operator may upload
 * @param agentPackage the cagate agent's zip ({@code cagate-agent-<version>.zip}) as a file path or a
 *     {@code classpath:} resource; null or blank: the agent is not offered
 * @param agentDeb the agent's Debian package ({@code cagate-agent_<version>_amd64.deb}, built with {@code
 *     mvn -Pdeb package}) as a file path or a {@code classpath:} resource; null or blank: not offered
 * @param agentProviders the provider codes the agent package is offered for; null: the providers its
 *     configuration template sets up ({@code provider.<CODE>.backend=} lines)
 * @param agentName what the download centre calls the agent package
 * @param refresh how stale a node's list of packages on offer may get (uploads and retirements on other
 *     nodes show within this time; the node that made the change sees it at once)
 */
@Validated
@ConfigurationProperties("cagate.drivers")
public record DriverProperties(
        @DefaultValue("300MB") @NotNull DataSize maxSize,
        String agentPackage,
        String agentDeb,
        List<String> agentProviders,
        @DefaultValue("证书驱动＋签章服务") @NotBlank String agentName,
        @DefaultValue("5s") @NotNull Duration refresh) {}
