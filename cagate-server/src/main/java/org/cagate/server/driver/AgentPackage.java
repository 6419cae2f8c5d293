package org.cagate.server.driver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cagate.server.system.CagateProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The cagate agent's zip as this platform serves it: {@code @PLATFORM_ORIGIN@} in
 * {@code cagate-agent/conf/cagate-agent.properties} replaced by {@code cagate.public-origin}, the
 * SHA-256 computed over exactly those bytes, the version read from the agent jar's manifest
 * ({@code Implementation-Version}, what the running agent reports in {@code /v1/status}), and the
 * providers its configuration template sets up. Built once and kept in memory; a package given as a file
 * is built again when the file changes (size or modification time), so an operator replaces it without a
 * restart. A package that cannot be used (missing, not a zip, no template or placeholder, no version) is
 * logged and not offered.
 */
@Component
public class AgentPackage {

    static final String TEMPLATE = "cagate-agent/conf/cagate-agent.properties";
    static final String JAR = "cagate-agent/cagate-agent.jar";
    static final String PLACEHOLDER = "@PLATFORM_ORIGIN@";

    private static final Logger log = LoggerFactory.getLogger(AgentPackage.class);
    private static final Pattern BACKEND = Pattern.compile("provider\\.([A-Z0-9_]{1,32})\\.backend");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,39}");

    /** The package as served. */
    public record Served(
            String version, String fileName, byte[] bytes, String sha256, Instant builtAt, Set<String> providers) {

        public Served {
            providers = Set.copyOf(providers);
        }

        public long size() {
            return bytes.length;
        }

        public String path() {
            return DriverDownloads.agentPath(fileName);
        }
    }

    private final PackageFile file;
    private final List<String> configuredProviders;
    private final String origin;

    AgentPackage(DriverProperties properties, CagateProperties server, ResourceLoader resources) {
        this.configuredProviders = properties.agentProviders();
        this.origin = server.publicOrigin();
        this.file = new PackageFile("The agent package", properties.agentPackage(), resources, this::build);
    }

    /** The package on offer, if one is configured and usable. */
    Optional<Served> current() {
        return file.current();
    }

    private Served build(byte[] original) throws IOException {
        String version = version(original);
        byte[] template = AgentZip.read(original, TEMPLATE);
        if (template == null) {
            throw new IOException("no " + TEMPLATE + " in the zip");
        }
        String text = new String(template, StandardCharsets.UTF_8);
        if (!text.contains(PLACEHOLDER)) {
            throw new IOException(TEMPLATE + " has no " + PLACEHOLDER);
        }
        byte[] served = AgentZip.replace(
                original, TEMPLATE, old -> text.replace(PLACEHOLDER, origin).getBytes(StandardCharsets.UTF_8));
        String sha256 = HexFormat.of().formatHex(DriverPackageService.sha256().digest(served));
        long time = AgentZip.time(original, JAR);
        Set<String> providers = configuredProviders != null ? new TreeSet<>(configuredProviders) : providers(text);
        log.info(
                "Offering the agent {} ({} bytes, SHA-256 {}) for providers {}",
                version,
                served.length,
                sha256,
                providers);
        return new Served(
                version, "cagate-agent-" + version + ".zip", served, sha256, Instant.ofEpochMilli(time), providers);
    }

    /** The agent jar's Implementation-Version: what the running agent reports as its version. */
    private static String version(byte[] zip) throws IOException {
        byte[] jar = AgentZip.read(zip, JAR);
        if (jar == null) {
            throw new IOException("no " + JAR + " in the zip");
        }
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            String version =
                    manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
            if (version == null || !VERSION.matcher(version).matches()) {
                throw new IOException(JAR + " has no usable Implementation-Version");
            }
            return version;
        }
    }

    /** The providers the template configures: its (uncommented) {@code provider.<CODE>.backend} keys. */
    static Set<String> providers(String template) throws IOException {
        Properties properties = new Properties();
        properties.load(new InputStreamReader(
                new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        Set<String> codes = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = BACKEND.matcher(key);
            if (m.matches()) {
                codes.add(m.group(1));
            }
        }
        return codes;
    }
}
