package org.cagate.server.caprovider;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Puts the agent's address into the model of the pages that talk to the agent, as {@code caAgentUrl}
 * ({@code th:attr="data-agent-url=${caAgentUrl}"}; Thymeleaf does not allow bean references in
 * attributes). Limited to the page controllers of these packages (the 登录 page is the core's).
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
class CaModelAdvice {

    private final CaProviderProperties properties;

    CaModelAdvice(CaProviderProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute("caAgentUrl")
    String agentUrl() {
        return properties.agentUrl();
    }
}
