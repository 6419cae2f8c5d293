package org.cagate.agent;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The agent's settings, read from a UTF-8 properties file (format in docs/agent.md and the template
 * conf/cagate-agent.properties of the zip).
 *
 * @param port 21777 by default; 0 picks a free port (tests)
 * @param allowedOrigins the platform's origins, e.g. https://zcy.example.gov.cn; nothing else is answered
 * @param wrongPinDelay how long the agent refuses to try another PIN on a token after a wrong one
 * @param maxRequestBytes the largest request body read
 * @param logFile where the help-desk log goes besides the console; null for the console only
 */
public record AgentConfig(
        int port,
        List<String> allowedOrigins,
        Duration wrongPinDelay,
        int maxRequestBytes,
        Path logFile,
        List<ProviderConfig> providers) {

    public static final int DEFAULT_PORT = 21777;
    /** The download centre replaces this with the platform's origin when it serves the zip. */
    public static final String ORIGIN_PLACEHOLDER = "@PLATFORM_ORIGIN@";

    public AgentConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (origin.contains(ORIGIN_PLACEHOLDER)) {
                throw new IllegalArgumentException("agent.allowedOrigins still holds " + ORIGIN_PLACEHOLDER
                        + ": download the agent from the platform's 客户端&驱动下载 page, or set the platform's"
                        + " address, e.g. https://zcy.example.gov.cn");
            }
            if (!isOrigin(origin)) {
                throw new IllegalArgumentException(
                        "allowed origin must be lower-case scheme://host[:port] with no path, got " + origin);
            }
        }
        Objects.requireNonNull(wrongPinDelay, "wrongPinDelay");
        if (wrongPinDelay.isNegative()) {
            throw new IllegalArgumentException("wrongPinDelay must not be negative");
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 1024");
        }
        providers = List.copyOf(providers);
        if (providers.stream().map(ProviderConfig::code).distinct().count() != providers.size()) {
            throw new IllegalArgumentException("a provider code appears twice");
        }
    }

    /** Defaults for everything but the origins and providers: port 21777, 3 s after a wrong PIN, 64 KiB. */
    public static AgentConfig of(List<String> allowedOrigins, List<ProviderConfig> providers) {
        return new AgentConfig(DEFAULT_PORT, allowedOrigins, Duration.ofSeconds(3), 64 * 1024, null, providers);
    }

    public AgentConfig withPort(int port) {
        return new AgentConfig(port, allowedOrigins, wrongPinDelay, maxRequestBytes, logFile, providers);
    }

    public AgentConfig withWrongPinDelay(Duration delay) {
        return new AgentConfig(port, allowedOrigins, delay, maxRequestBytes, logFile, providers);
    }

    public AgentConfig withMaxRequestBytes(int bytes) {
        return new AgentConfig(port, allowedOrigins, wrongPinDelay, bytes, logFile, providers);
    }

    /** Reads the properties file; relative paths in it are taken from the file's folder. */
    public static AgentConfig load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Path base = file.toAbsolutePath().getParent();
        return fromProperties(properties, base);
    }

    static AgentConfig fromProperties(Properties p, Path base) {
        int port = Integer.parseInt(
                p.getProperty("agent.port", String.valueOf(DEFAULT_PORT)).strip());
        List<String> origins = Arrays.stream(
                        p.getProperty("agent.allowedOrigins", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        Duration delay = duration(p.getProperty("agent.wrongPinDelay", "3s"));
        int maxBytes =
                Integer.parseInt(p.getProperty("agent.maxRequestBytes", "65536").strip());
        String logFile = p.getProperty("agent.log.file", "").strip();
        List<ProviderConfig> providers = new ArrayList<>();
        TreeSet<String> codes = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("provider.") && key.indexOf('.', "provider.".length()) > 0) {
                codes.add(key.substring("provider.".length(), key.indexOf('.', "provider.".length())));
            }
        }
        for (String code : codes) {
            providers.add(provider(p, code, base));
        }
        return new AgentConfig(
                port, origins, delay, maxBytes, logFile.isEmpty() ? null : resolve(base, logFile), providers);
    }

    private static ProviderConfig provider(Properties p, String code, Path base) {
        String prefix = "provider." + code + ".";
        String name = p.getProperty(prefix + "name", code).strip();
        String backend = p.getProperty(prefix + "backend", "").strip().toLowerCase(Locale.ROOT);
        String retries = p.getProperty(prefix + "maxPinRetries", "").strip();
        Integer maxPinRetries = retries.isEmpty() ? null : Integer.valueOf(retries);
        switch (backend) {
            case "pkcs11" -> {
                String library = p.getProperty(prefix + "pkcs11.library." + os());
                if (library == null || library.isBlank()) {
                    library = p.getProperty(prefix + "pkcs11.library", "");
                }
                if (library.isBlank()) {
                    throw new IllegalArgumentException(prefix + "pkcs11.library is required");
                }
                String slot = p.getProperty(prefix + "pkcs11.slot", "").strip();
                String label = p.getProperty(prefix + "pkcs11.tokenLabel", "").strip();
                return new ProviderConfig(
                        code,
                        name,
                        ProviderConfig.Backend.PKCS11,
                        resolve(base, library.strip()),
                        slot.isEmpty() ? null : Long.valueOf(slot),
                        label.isEmpty() ? null : label,
                        null,
                        maxPinRetries,
                        null);
            }
            case "pkcs12" -> {
                String folder = p.getProperty(prefix + "pkcs12.folder", "").strip();
                if (folder.isEmpty()) {
                    throw new IllegalArgumentException(prefix + "pkcs12.folder is required");
                }
                return new ProviderConfig(
                        code,
                        name,
                        ProviderConfig.Backend.PKCS12,
                        null,
                        null,
                        null,
                        resolve(base, folder),
                        maxPinRetries,
                        null);
            }
            case "skf" -> {
                return skfProvider(p, code, name, base);
            }
            default -> throw new IllegalArgumentException(prefix + "backend must be pkcs11, pkcs12 or skf");
        }
    }

    /** skf.library (or skf.library.windows / .linux / .mac), optional skf.application and skf.container. */
    private static ProviderConfig skfProvider(Properties p, String code, String name, Path base) {
        String prefix = "provider." + code + ".";
        String library = p.getProperty(prefix + "skf.library." + os());
        if (library == null || library.isBlank()) {
            library = p.getProperty(prefix + "skf.library", "");
        }
        if (library.isBlank()) {
            throw new IllegalArgumentException(prefix + "skf.library is required");
        }
        String application = p.getProperty(prefix + "skf.application", "").strip();
        String container = p.getProperty(prefix + "skf.container", "").strip();
        if (!p.getProperty(prefix + "maxPinRetries", "").isBlank()) {
            throw new IllegalArgumentException(
                    prefix + "maxPinRetries does not apply to skf: the key reports its own retry counter");
        }
        return ProviderConfig.skf(code, name, resolve(base, library.strip()))
                .withSkf(application.isEmpty() ? null : application, container.isEmpty() ? null : container);
    }

    /** "windows", "mac" or "linux": the suffix of an OS-specific pkcs11.library line. */
    static String os() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "mac" : "linux";
    }

    private static Path resolve(Path base, String path) {
        String expanded =
                path.startsWith("~/") || path.equals("~") ? System.getProperty("user.home") + path.substring(1) : path;
        Path p = Path.of(expanded);
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    /** "3s", "500ms", "1m" or ISO-8601 "PT3S". */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.strip());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            throw new IllegalArgumentException("not a duration: " + text + " (e.g. 3s, 500ms, PT3S)");
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: " + text + " (e.g. 3s, 500ms, PT3S)");
        }
    }

    /** Lower-case http(s)://host[:port] and nothing else, as browsers send it in the Origin header. */
    static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            return ("https".equals(scheme) || "http".equals(scheme))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null
                    && origin.equals(scheme + "://" + uri.getRawAuthority())
                    && origin.equals(origin.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
