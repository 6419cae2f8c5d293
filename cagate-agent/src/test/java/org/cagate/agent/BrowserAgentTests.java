package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A real browser (headless Chromium) on a page of the platform calls the agent across origins: the CORS
 * answers must satisfy the browser itself, not only our reading of the headers. A page of a foreign
 * origin on the same machine must not get through.
 */
class BrowserAgentTests {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String PIN = "735194";

    @TempDir
    Path dir;

    HttpServer pages;
    Agent agent;
    Credential user;
    String origin;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed (apt-get install chromium): skipped");
        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        origin = "http://localhost:" + pages.getAddress().getPort();
        user = TestPki.provider("ZJHX")
                .ec()
                .withIntermediate()
                .build()
                .user("西子")
                .issue();
        user.writePkcs12(dir.resolve("certs/xizi.p12"), "xizi", PIN.toCharArray());
        agent = Agent.start(
                AgentConfig.of(List.of(origin), List.of(ProviderConfig.pkcs12("ZJHX", "浙江汇信CA", dir.resolve("certs"))))
                        .withPort(0));
        pages.createContext("/", exchange -> {
            // The platform's page: a challenge issued for the page's own origin, then status and sign.
            String host = exchange.getRequestHeaders().getFirst("Host");
            byte[] challenge = AgentClient.challenge("http://" + host, "ZJHX");
            byte[] page = page(agent.port(), Base64.getEncoder().encodeToString(challenge))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        pages.start();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    @Test
    void signWhenPageOfAllowedOriginThenBrowserGetsStatusAndAVerifiableSignature() throws Exception {
        String result = browse(origin + "/login");

        JsonNode answer = RawHttp.JSON.readTree(result);
        assertThat(answer.get("status")
                        .get("providers")
                        .get(0)
                        .get("tokenPresent")
                        .asBoolean())
                .isTrue();
        JsonNode signed = answer.get("sign");
        assertThat(signed.get("algorithm").asString()).as(result).isEqualTo("SHA256withECDSA");
        Signature verifier = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
        verifier.initVerify(user.certificate());
        verifier.update(Base64.getDecoder().decode(answer.get("challenge").asString()));
        assertThat(verifier.verify(
                        Base64.getDecoder().decode(signed.get("signature").asString())))
                .isTrue();
    }

    @Test
    void statusWhenPageOfForeignOriginThenTheBrowserBlocksIt() throws Exception {
        // Same machine, same page, but http://127.0.0.1:port is not an allowed origin.
        String result = browse("http://127.0.0.1:" + pages.getAddress().getPort() + "/login");

        assertThat(result).startsWith("blocked");
    }

    private String browse(String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--virtual-time-budget=10000",
                "--dump-dom",
                url));
        Process process = new ProcessBuilder(command)
                .redirectError(dir.resolve("chromium.err").toFile())
                .start();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Matcher m =
                Pattern.compile("<pre id=\"out\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as(dom).isTrue();
        return m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static String page(int agentPort, String challenge) {
        return """
                <!doctype html><html><body><pre id="out">pending</pre><script>
                const agent = 'http://127.0.0.1:%d';
                const challenge = '%s';
                const out = document.getElementById('out');
                fetch(agent + '/v1/status').then(r => r.json()).then(status =>
                  fetch(agent + '/v1/sign', {method: 'POST', headers: {'Content-Type': 'application/json'},
                      body: JSON.stringify({provider: 'ZJHX', pin: '%s', toBeSigned: challenge, format: 'RAW'})})
                    .then(r => r.json())
                    .then(sign => { out.textContent = JSON.stringify({status, sign, challenge}); }))
                  .catch(e => { out.textContent = 'blocked: ' + e; });
                </script></body></html>
                """.formatted(agentPort, challenge, PIN);
    }
}
