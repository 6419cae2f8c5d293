package org.cagate.server.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.cagate.server.system.CagateProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The agent's Debian package (Debian, 统信 UOS, 银河麒麟; {@code cagate.drivers.agent-deb}) as this platform
 * serves it: {@code @PLATFORM_ORIGIN@} in its conffile {@code /etc/cagate-agent/cagate-agent.properties}
 * replaced by {@code cagate.public-origin}, like the zip's template ({@link AgentPackage}), the SHA-256 of
 * exactly those bytes, the version from the control file (Debian's {@code 0.1.0~SNAPSHOT} is the agent's
 * {@code 0.1.0-SNAPSHOT}, what {@code /v1/status} reports). Built once and kept in memory, again when the
 * file changes; a package that cannot be used is logged and not offered.
 */
@Component
public class AgentDebPackage {

    static final String CONFFILE = "./etc/cagate-agent/cagate-agent.properties";
    static final String JAR = "./opt/cagate-agent/app/cagate-agent.jar";
    static final String MEDIA_TYPE = "application/vnd.debian.binary-package";

    private static final Logger log = LoggerFactory.getLogger(AgentDebPackage.class);
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+~]{0,39}");

    private final PackageFile file;
    private final List<String> configuredProviders;
    private final String origin;

    AgentDebPackage(DriverProperties properties, CagateProperties server, ResourceLoader resources) {
        this.configuredProviders = properties.agentProviders();
        this.origin = server.publicOrigin();
        this.file = new PackageFile("The agent's Debian package", properties.agentDeb(), resources, this::build);
    }

    /** The package on offer, if one is configured and usable. */
    Optional<AgentPackage.Served> current() {
        return file.current();
    }

    private AgentPackage.Served build(byte[] original) throws IOException {
        Map<String, String> control = AgentDeb.control(original);
        String debVersion = control.getOrDefault("Version", "");
        String architecture = control.getOrDefault("Architecture", "");
        if (!"cagate-agent".equals(control.get("Package"))
                || !VERSION.matcher(debVersion).matches()) {
            throw new IOException("not a cagate-agent package with a usable Version: " + control);
        }
        byte[] template = AgentDeb.read(original, CONFFILE);
        if (template == null) {
            throw new IOException("no " + CONFFILE + " in the package");
        }
        String text = new String(template, StandardCharsets.UTF_8);
        if (!text.contains(AgentPackage.PLACEHOLDER)) {
            throw new IOException(CONFFILE + " has no " + AgentPackage.PLACEHOLDER);
        }
        byte[] served = AgentDeb.replace(
                original,
                CONFFILE,
                old -> text.replace(AgentPackage.PLACEHOLDER, origin).getBytes(StandardCharsets.UTF_8));
        String sha256 = HexFormat.of().formatHex(DriverPackageService.sha256().digest(served));
        long time = AgentDeb.time(original, JAR);
        Set<String> providers =
                configuredProviders != null ? new TreeSet<>(configuredProviders) : AgentPackage.providers(text);
        String version = debVersion.replace('~', '-');
        log.info(
                "Offering the agent's Debian package {} ({} bytes, SHA-256 {}) for providers {}",
                debVersion,
                served.length,
                sha256,
                providers);
        return new AgentPackage.Served(
                version,
                "cagate-agent_" + debVersion + "_" + architecture + ".deb",
                served,
                sha256,
                Instant.ofEpochSecond(Math.max(time, 0)),
                providers);
    }
}
