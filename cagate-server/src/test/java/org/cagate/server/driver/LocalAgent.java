package org.cagate.server.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cagate.agent.Agent;
import org.cagate.agent.AgentConfig;
import org.cagate.agent.ProviderConfig;
import org.cagate.server.testing.ApiClient;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import tools.jackson.databind.JsonNode;

/**
 * A real cagate agent for the download-centre and CA 检测 tests, one per test JVM: {@link Agent#start}
 * on an ephemeral port of 127.0.0.1, serving two PKCS#12 providers (SCCA 四川CA, QHCA 青海CA) from
 * folders of its own, for the page origin {@value #ORIGIN} (the tests' {@code cagate.public-origin};
 * Chromium reaches the server under that name by a host-resolver rule). Also the agent zip the server
 * offers, written here with the running agent's version, so "current" and "outdated" are both a matter
 * of rewriting it. Tests put and remove key files between checks; the agent reads the folders on every
 * request.
 */
public final class LocalAgent {

    public static final String ORIGIN = "http://cagate.test";
    public static final String SCCA = "SCCA";
    public static final String QHCA = "QHCA";
    public static final String PIN = "12345678";

    private static LocalAgent instance;

    private final Path root;
    private final Map<String, Path> folders = new LinkedHashMap<>();
    private final TestCa scca;
    private final TestCa qhca;
    private final TestCa stranger;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path zip;
    private Agent agent;
    private int port;
    private String version;
    private long zipStamp = 1_000_000_000_000L;

    private LocalAgent() throws IOException {
        root = Files.createTempDirectory("cagate-local-agent-");
        folders.put(SCCA, Files.createDirectories(root.resolve("scca")));
        folders.put(QHCA, Files.createDirectories(root.resolve("qhca")));
        zip = root.resolve("cagate-agent.zip");
        Instant now = Instant.now();
        // CAs valid long before now, so an expired user certificate still has a valid path at its own end.
        scca = TestPki.provider(SCCA)
                .ec()
                .withIntermediate()
                .validity(now.minus(Duration.ofDays(1000)), now.plus(Duration.ofDays(3650)))
                .build();
        qhca = TestPki.provider(QHCA).rsa().build();
        stranger = TestPki.provider("STRANGER").ec().build();
        agent = Agent.start(config(0));
        port = agent.port();
        version = status().path("version").asString();
        writeZip(version);
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown));
    }

    /** The one agent of this JVM, started on first use. */
    public static synchronized LocalAgent get() {
        if (instance == null) {
            try {
                instance = new LocalAgent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private AgentConfig config(int listenPort) {
        return AgentConfig.of(
                        List.of(ORIGIN),
                        List.of(
                                ProviderConfig.pkcs12(SCCA, "四川CA", folders.get(SCCA)),
                                ProviderConfig.pkcs12(QHCA, "青海CA", folders.get(QHCA))))
                .withPort(listenPort)
                .withWrongPinDelay(Duration.ofMillis(200));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The version the running agent reports. */
    public String version() {
        return version;
    }

    public Path zip() {
        return zip;
    }

    public TestCa ca(String provider) {
        return provider.equals(SCCA) ? scca : qhca;
    }

    /** A CA no provider of the platform trusts. */
    public TestCa stranger() {
        return stranger;
    }

    /** Stops listening, as when the user closes the agent. */
    public synchronized void stop() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    /** Starts again on the same port (the server's pages are configured with it). */
    public synchronized void start() throws IOException {
        if (agent == null) {
            agent = Agent.start(config(port));
        }
    }

    /** Removes every key of the provider: "no key inserted". */
    public void removeKeys(String provider) throws IOException {
        try (Stream<Path> files = Files.list(folders.get(provider))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    /** Makes the credential the provider's only key, its PKCS#12 password {@link #PIN}. */
    public void insertKey(String provider, Credential credential) throws IOException {
        removeKeys(provider);
        credential.writePkcs12(folders.get(provider).resolve("key.p12"), "key", PIN.toCharArray());
    }

    /** Rewrites the offered agent zip with this version; the server notices the new modification time. */
    public synchronized void writeZip(String offeredVersion) throws IOException {
        Path temporary = root.resolve("agent.zip.tmp");
        Files.write(temporary, zipBytes(offeredVersion, template()));
        zipStamp += 2000;
        Files.setLastModifiedTime(temporary, FileTime.fromMillis(zipStamp));
        Files.move(temporary, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The configuration template of the test zip: SCCA and QHCA set up, ZJHX only as a comment. */
    public static String template() {
        return """
                # cagate-agent configuration (UTF-8)
                agent.allowedOrigins=@PLATFORM_ORIGIN@
                agent.port=21777
                # provider.ZJHX.backend=pkcs11
                provider.SCCA.name=四川CA
                provider.SCCA.backend=pkcs12
                provider.SCCA.pkcs12.folder=~/cagate-certificates/scca
                provider.QHCA.name=青海CA
                provider.QHCA.backend=pkcs12
                provider.QHCA.pkcs12.folder=~/cagate-certificates/qhca
                """;
    }

    /** An agent zip laid out as the agent's build makes it, with a jar whose manifest names the version. */
    public static byte[] zipBytes(String version, String template) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            entry(out, "cagate-agent/", new byte[0]);
            entry(out, "cagate-agent/cagate-agent.jar", jar(version));
            entry(out, "cagate-agent/conf/cagate-agent.properties", template.getBytes(StandardCharsets.UTF_8));
            entry(
                    out,
                    "cagate-agent/bin/cagate-agent.sh",
                    "#!/bin/sh\nexec java -jar cagate-agent.jar \"$@\"\n".getBytes(StandardCharsets.UTF_8));
            entry(out, "cagate-agent/README.txt", "双击 bin/cagate-agent.cmd 启动。\n".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] jar(String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            entry(out, "org/cagate/agent/Placeholder.txt", "agent classes".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(1_700_000_000_000L);
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }

    /** GET /v1/status as a page of the platform asks it. */
    public JsonNode status() {
        return ApiClient.JSON.readTree(send(HttpRequest.newBuilder(URI.create(url() + "/v1/status"))
                        .header("Origin", ORIGIN)
                        .GET())
                .body());
    }

    public JsonNode tokens(String provider) {
        return ApiClient.JSON.readTree(
                send(HttpRequest.newBuilder(URI.create(url() + "/v1/tokens?provider=" + provider))
                                .header("Origin", ORIGIN)
                                .GET())
                        .body());
    }

    /**
     * The page's PIN-signed check up to the server call: a LOGIN challenge from the server, the agent's
     * signature (POST /v1/sign with the PIN), and the assertion the page posts.
     *
     * @return the assertion, or the agent's error answer ({@code code}) when it did not sign
     */
    public Map<String, Object> signLogin(ApiClient client, String provider, String pin) {
        ApiClient.Response challenge =
                client.post("/api/ca/challenges", Map.of("purpose", "LOGIN", "provider", provider));
        if (challenge.status() != 201) {
            throw new AssertionError("no challenge: " + challenge);
        }
        String body = ApiClient.JSON.writeValueAsString(Map.of(
                "provider",
                provider,
                "pin",
                pin,
                "toBeSigned",
                challenge.json().path("toBeSigned").asString(),
                "format",
                "RAW"));
        HttpResponse<String> signed = send(HttpRequest.newBuilder(URI.create(url() + "/v1/sign"))
                .header("Origin", ORIGIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonNode answer = ApiClient.JSON.readTree(signed.body());
        Map<String, Object> assertion = new LinkedHashMap<>();
        if (signed.statusCode() != 200) {
            assertion.put("code", answer.path("code").asString());
            return assertion;
        }
        assertion.put("challengeId", challenge.json().path("id").asString());
        assertion.put("format", answer.path("format").asString());
        assertion.put("algorithm", answer.path("algorithm").asString());
        assertion.put("certificate", answer.path("certificate").asString());
        assertion.put(
                "chain",
                answer.path("chain").valueStream().map(JsonNode::asString).toList());
        assertion.put("signature", answer.path("signature").asString());
        return assertion;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void shutdown() {
        stop();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder; nothing else to do at exit
        }
    }
}
