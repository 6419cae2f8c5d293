package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The SKF lines of cagate-agent.properties: backend=skf, the vendor library per OS, application and container. */
class SkfConfigTests {
    private static final Path BASE = Path.of("/opt/cagate-agent/conf");

    @Test
    void loadWhenSkfProviderThenLibraryForThisOsFromTheFilesFolderAndTheNamesToUse() {
        Properties p = new Properties();
        p.setProperty("provider.SCCA.name", "四川CA");
        p.setProperty("provider.SCCA.backend", "SKF");
        p.setProperty("provider.SCCA.skf.library", "drivers/any.so");
        p.setProperty("provider.SCCA.skf.library." + AgentConfig.os(), "drivers/scca_skf_" + AgentConfig.os());
        p.setProperty("provider.SCCA.skf.application", "SCCA_APP");
        p.setProperty("provider.SCCA.skf.container", "SM2_SIGN");
        p.setProperty("provider.TWCA.backend", "skf");
        p.setProperty("provider.TWCA.skf.library", "/usr/lib/tw/libskf.so");

        AgentConfig config = AgentConfig.fromProperties(p, BASE);

        ProviderConfig scca = config.providers().get(0);
        assertThat(scca.backend()).isEqualTo(ProviderConfig.Backend.SKF);
        assertThat(scca.name()).isEqualTo("四川CA");
        assertThat(scca.library()).isEqualTo(BASE.resolve("drivers/scca_skf_" + AgentConfig.os()));
        assertThat(scca.skf()).isEqualTo(new ProviderConfig.SkfSelection("SCCA_APP", "SM2_SIGN"));
        ProviderConfig twca = config.providers().get(1);
        assertThat(twca.library()).isEqualTo(Path.of("/usr/lib/tw/libskf.so"));
        assertThat(twca.skf()).isEqualTo(ProviderConfig.SkfSelection.ANY);
    }

    @Test
    void loadWhenSkfProviderHasNoLibraryOrAMaxPinRetriesThenRefusedWithTheLineToFix() {
        Properties noLibrary = new Properties();
        noLibrary.setProperty("provider.SCCA.backend", "skf");
        Properties retries = new Properties();
        retries.setProperty("provider.SCCA.backend", "skf");
        retries.setProperty("provider.SCCA.skf.library", "/usr/lib/libskf.so");
        retries.setProperty("provider.SCCA.maxPinRetries", "6");

        assertThatThrownBy(() -> AgentConfig.fromProperties(noLibrary, BASE))
                .hasMessage("provider.SCCA.skf.library is required");
        assertThatThrownBy(() -> AgentConfig.fromProperties(retries, BASE))
                .hasMessageContaining("maxPinRetries does not apply to skf: the key reports its own retry counter");
    }
}
