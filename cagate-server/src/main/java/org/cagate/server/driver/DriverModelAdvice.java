package org.cagate.server.driver;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Puts the agent version the platform offers into the model of the pages that talk to the agent, as
 * {@code caAgentVersion} ({@code th:attr="data-agent-version=${caAgentVersion}"}), so they can say 请更新驱动
 * when the running agent is older; empty when no agent package is offered. The same pages as
 * {@code caprovider.CaModelAdvice}.
 */
@ControllerAdvice(
        basePackages = {
            "org.cagate.server.web",
            "org.cagate.server.binding",
            "org.cagate.server.caprovider",
            "org.cagate.server.login",
            "org.cagate.server.driver",
            "org.cagate.server.docsign"
        })
class DriverModelAdvice {

    private final DriverCatalog catalog;

    DriverModelAdvice(DriverCatalog catalog) {
        this.catalog = catalog;
    }

    @ModelAttribute("caAgentVersion")
    String agentVersion() {
        return catalog.agentPackage()
                .or(catalog::agentDebPackage)
                .map(AgentPackage.Served::version)
                .orElse("");
    }
}
