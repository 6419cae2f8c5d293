package org.cagate.server.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cagate.server.system.CagateProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.util.unit.DataSize;

/**
 * The agent's Debian package as the download centre serves it: packages made by dpkg-deb (gzip, as the
 * agent's build makes them), changed by {@link AgentDeb}, and read back by dpkg-deb and tar as the
 * independent judges. Skipped with a message where dpkg-deb is missing.
 */
class AgentDebTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String CONF = "etc/cagate-agent/cagate-agent.properties";
    /** Longer than a tar header's 100-character name field: GNU tar writes a ././@LongLink entry first. */
    static final String LONG =
            "opt/cagate-agent/runtime/legal/jdk.crypto.cryptoki/a-very-long-folder-name-for-the-notices"
                    + "/of/the/module/ADDITIONAL_LICENSE_INFO";

    @TempDir
    Path dir;

    @BeforeEach
    void needsDpkgDeb() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "AgentDeb tests skipped: no dpkg-deb");
    }

    @Test
    void replaceWhenConffileHoldsThePlaceholderThenDpkgReadsTheOriginAndEveryOtherFileUnchanged() throws Exception {
        Path deb = deb("0.3.0~SNAPSHOT", "agent.allowedOrigins=@PLATFORM_ORIGIN@\nprovider.ZJHX.backend=pkcs12\n");
        byte[] original = Files.readAllBytes(deb);

        byte[] served = AgentDeb.replace(
                original,
                "./" + CONF,
                old -> new String(old, StandardCharsets.UTF_8)
                        .replace("@PLATFORM_ORIGIN@", ORIGIN)
                        .getBytes(StandardCharsets.UTF_8));

        Path out = Files.write(dir.resolve("served.deb"), served);
        assertThat(shell("dpkg-deb --fsys-tarfile " + out + " | tar -xO ./" + CONF))
                .isEqualTo("agent.allowedOrigins=" + ORIGIN + "\nprovider.ZJHX.backend=pkcs12\n");
        assertThat(shell("dpkg-deb --fsys-tarfile " + out + " | tar -xO ./" + LONG))
                .isEqualTo("notice\n");
        assertThat(shell("dpkg-deb -f " + out + " Version")).isEqualTo("0.3.0~SNAPSHOT\n");
        assertThat(names(out)).isEqualTo(names(deb));
        // The same content again: the same tar, byte for byte (only the gzip around it is made anew).
        Path same = Files.write(dir.resolve("same.deb"), AgentDeb.replace(original, "./" + CONF, old -> old));
        assertThat(shell("dpkg-deb --fsys-tarfile " + same + " | sha256sum"))
                .isEqualTo(shell("dpkg-deb --fsys-tarfile " + deb + " | sha256sum"));
    }

    @Test
    void controlWhenBuiltByDpkgDebThenItsFields() throws Exception {
        byte[] deb = Files.readAllBytes(deb("1.2.0", "agent.allowedOrigins=@PLATFORM_ORIGIN@\n"));

        assertThat(AgentDeb.control(deb))
                .containsEntry("Package", "cagate-agent")
                .containsEntry("Version", "1.2.0")
                .containsEntry("Architecture", "amd64");
        assertThat(AgentDeb.time(deb, "./opt/cagate-agent/app/cagate-agent.jar"))
                .isPositive();
    }

    @Test
    void readWhenNotADebianPackageThenBadDeb() {
        assertThatThrownBy(() -> AgentDeb.control("PK\u0003\u0004 a zip".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(AgentDeb.BadDebException.class);
    }

    @Test
    void servedWhenPackageConfiguredThenAgentVersionFileNameAndChecksumOfTheServedBytes() throws Exception {
        Path deb = deb("0.3.0~SNAPSHOT", "agent.allowedOrigins=@PLATFORM_ORIGIN@\nprovider.ZJHX.backend=pkcs12\n");

        AgentPackage.Served served = serve(deb).current().orElseThrow();

        assertThat(served.version()).as("what /v1/status reports").isEqualTo("0.3.0-SNAPSHOT");
        assertThat(served.fileName()).isEqualTo("cagate-agent_0.3.0~SNAPSHOT_amd64.deb");
        assertThat(served.sha256()).isEqualTo(DriverUploadTests.sha256(served.bytes()));
        assertThat(served.providers()).containsExactly("ZJHX");
        Path out = Files.write(dir.resolve("served.deb"), served.bytes());
        assertThat(shell("dpkg-deb --fsys-tarfile " + out + " | tar -xO ./" + CONF))
                .startsWith("agent.allowedOrigins=" + ORIGIN + "\n");
    }

    @Test
    void servedWhenConffileHasNoPlaceholderThenNotOffered() throws Exception {
        Path deb = deb("0.3.0", "agent.allowedOrigins=https://other.example.gov.cn\n");

        assertThat(serve(deb).current()).isEmpty();
    }

    private AgentDebPackage serve(Path deb) {
        DriverProperties properties = new DriverProperties(
                DataSize.ofMegabytes(300), null, deb.toString(), null, "证书驱动＋签章服务", Duration.ofSeconds(5));
        return new AgentDebPackage(properties, new CagateProperties(ORIGIN), new DefaultResourceLoader());
    }

    /** A small package laid out like the agent's, built by dpkg-deb with gzip. */
    private Path deb(String version, String conffile) throws Exception {
        Path root = dir.resolve("root-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(
                root.resolve("DEBIAN/control"),
                "Package: cagate-agent\nVersion: " + version + "\nArchitecture: amd64\n"
                        + "Maintainer: cagate project <cagate@example.org>\n"
                        + "Description: test package\n the agent, small\n");
        Files.writeString(root.resolve("DEBIAN/conffiles"), "/" + CONF + "\n");
        write(root.resolve(CONF), conffile);
        write(root.resolve("opt/cagate-agent/app/cagate-agent.jar"), "jar bytes\n");
        write(root.resolve(LONG), "notice\n");
        Path deb = dir.resolve("cagate-agent_" + version + ".deb");
        shell("dpkg-deb --root-owner-group -Zgzip --build " + root + " " + deb);
        return deb;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static List<String> names(Path deb) throws Exception {
        return shell("dpkg-deb --fsys-tarfile " + deb + " | tar -t").lines().toList();
    }

    private static String shell(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", "set -o pipefail; " + command)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(command + "\n" + output).isZero();
        return output;
    }
}
