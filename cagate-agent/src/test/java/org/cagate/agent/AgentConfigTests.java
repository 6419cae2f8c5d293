package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTests {
    @TempDir
    Path dir;

    @Test
    void loadWhenFileHasBothBackendsThenProvidersWithPathsFromTheFilesFolder() throws IOException {
        Path file = write(String.join(
                "\n",
                "agent.allowedOrigins=https://zcy.example.gov.cn, http://localhost:8080",
                "agent.port=21888",
                "agent.wrongPinDelay=1500ms",
                "provider.ZJHX.name=浙江汇信CA",
                "provider.ZJHX.backend=pkcs11",
                "provider.ZJHX.pkcs11.library=/usr/lib/softhsm/libsofthsm2.so",
                "provider.ZJHX.pkcs11.library." + AgentConfig.os() + "=/opt/vendor/lib" + AgentConfig.os() + ".so",
                "provider.ZJHX.pkcs11.tokenLabel=ZJHX-KEY",
                "provider.ZJHX.pkcs11.slot=7",
                "provider.ZJHX.maxPinRetries=6",
                "provider.SOFT.name=软证书",
                "provider.SOFT.backend=pkcs12",
                "provider.SOFT.pkcs12.folder=certs"));

        AgentConfig config = AgentConfig.load(file);

        assertThat(config.port()).isEqualTo(21888);
        assertThat(config.allowedOrigins()).containsExactly("https://zcy.example.gov.cn", "http://localhost:8080");
        assertThat(config.wrongPinDelay()).isEqualTo(Duration.ofMillis(1500));
        ProviderConfig soft = config.providers().get(0);
        ProviderConfig zjhx = config.providers().get(1);
        assertThat(soft.backend()).isEqualTo(ProviderConfig.Backend.PKCS12);
        assertThat(soft.folder()).isEqualTo(dir.resolve("certs"));
        assertThat(zjhx.name()).isEqualTo("浙江汇信CA");
        assertThat(zjhx.library()).isEqualTo(Path.of("/opt/vendor/lib" + AgentConfig.os() + ".so"));
        assertThat(zjhx.tokenLabel()).isEqualTo("ZJHX-KEY");
        assertThat(zjhx.slot()).isEqualTo(7L);
        assertThat(zjhx.maxPinRetries()).isEqualTo(6);
    }

    @Test
    void loadWhenTemplateStillHoldsThePlaceholderThenRefusedWithAHint() throws IOException {
        Path file = dir.resolve("cagate-agent.properties");
        try (InputStream template = Files.newInputStream(Path.of("src/main/dist/conf/cagate-agent.properties"))) {
            Files.copy(template, file);
        }

        assertThatThrownBy(() -> AgentConfig.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AgentConfig.ORIGIN_PLACEHOLDER);
        String filled = Files.readString(file).replace(AgentConfig.ORIGIN_PLACEHOLDER, "https://zcy.example.gov.cn");
        Files.writeString(file, filled);
        assertThat(AgentConfig.load(file).allowedOrigins()).containsExactly("https://zcy.example.gov.cn");
        assertThat(AgentConfig.load(file).port()).isEqualTo(AgentConfig.DEFAULT_PORT);
    }

    @Test
    void loadWhenOriginHasAPathOrUpperCaseThenRefused() throws IOException {
        assertThatThrownBy(() -> AgentConfig.load(write("agent.allowedOrigins=https://zcy.example.gov.cn/login")))
                .hasMessageContaining("scheme://host");
        assertThatThrownBy(() -> AgentConfig.load(write("agent.allowedOrigins=https://ZCY.example.gov.cn")))
                .hasMessageContaining("lower-case");
    }

    @Test
    void loadWhenProviderIsIncompleteThenRefusedNamingTheLine() throws IOException {
        assertThatThrownBy(() -> AgentConfig.load(write("provider.ZJHX.backend=pkcs11")))
                .hasMessageContaining("provider.ZJHX.pkcs11.library");
        assertThatThrownBy(() -> AgentConfig.load(write("provider.ZJHX.backend=usb")))
                .hasMessageContaining("pkcs11, pkcs12 or skf");
        assertThatThrownBy(() -> AgentConfig.load(write("provider.zjhx.backend=pkcs12\nprovider.zjhx.pkcs12.folder=x")))
                .hasMessageContaining("provider code");
    }

    @Test
    void durationWhenShortFormsOrIsoThenParsed() {
        assertThat(AgentConfig.duration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(AgentConfig.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(AgentConfig.duration("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> AgentConfig.duration("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("agent.properties"), text, StandardCharsets.UTF_8);
    }
}
