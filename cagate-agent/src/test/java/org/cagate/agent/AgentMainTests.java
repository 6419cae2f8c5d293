package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.cagate.testca.Credential;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentMainTests {
    @TempDir
    Path dir;

    @Test
    void mainWhenConfigStillHoldsThePlaceholderThenExitsWithTwoAndStartsNothing() throws Exception {
        Path config = Files.writeString(dir.resolve("a.properties"), "agent.allowedOrigins=@PLATFORM_ORIGIN@\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new AgentMain()).execute("--config", config.toString(), "--port", "0");
        } finally {
            System.setErr(err);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("@PLATFORM_ORIGIN@");
    }

    @Test
    void diagnoseWhenPkcs12FilesThenListsFilesAndProviderState() throws Exception {
        // One clock for the test's world: the CA issues from it and the diagnosis dates its report by it.
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
        Credential user =
                TestPki.provider("ZJHX").ec().clock(clock).build().user("西子").issue();
        user.writePkcs12(dir.resolve("certs/xizi.p12"), "xizi", "735194".toCharArray());
        AgentConfig config = AgentConfig.of(
                List.of("https://zcy.example.gov.cn"),
                List.of(
                        ProviderConfig.pkcs12("ZJHX", "浙江汇信CA", dir.resolve("certs")),
                        ProviderConfig.pkcs12("SOFT", "软证书", dir.resolve("none"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new Diagnose(config.withPort(0), clock, new PrintStream(out, true, StandardCharsets.UTF_8)).run();

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("allowed origins: [https://zcy.example.gov.cn]")
                .contains("provider ZJHX 浙江汇信CA: PKCS#12 folder")
                .contains("file xizi.p12")
                .contains("provider SOFT 软证书")
                .contains("no .p12 / .pfx file");
    }

    @Test
    void mainWhenAnotherAgentHoldsTheLockFileThenSaysSoAndExitsWithFour() throws Exception {
        Path config =
                Files.writeString(dir.resolve("a.properties"), "agent.allowedOrigins=https://zcy.example.gov.cn\n");
        Path lock = dir.resolve("state/agent.lock");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int exit;
        try (SingleInstance running = SingleInstance.acquire(lock).orElseThrow()) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new AgentMain())
                    .execute("--config", config.toString(), "--port", "0", "--lock-file", lock.toString());
        } finally {
            System.setOut(out);
        }

        assertThat(exit).isEqualTo(AgentMain.ALREADY_RUNNING);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("CA 驱动已在运行")
                .contains("进程 " + ProcessHandle.current().pid());
    }

    @Test
    void mainWhenLockFileStartsWithTildeThenItIsInTheUsersHome() throws Exception {
        Path config =
                Files.writeString(dir.resolve("a.properties"), "agent.allowedOrigins=https://zcy.example.gov.cn\n");
        String home = System.getProperty("user.home");
        PrintStream out = System.out;
        int exit;
        try (SingleInstance running =
                SingleInstance.acquire(dir.resolve(".cagate-agent/agent.lock")).orElseThrow()) {
            System.setProperty("user.home", dir.toString());
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            exit = new CommandLine(new AgentMain())
                    .execute("--config", config.toString(), "--port", "0", "--lock-file", "~/.cagate-agent/agent.lock");
        } finally {
            System.setProperty("user.home", home);
            System.setOut(out);
        }

        assertThat(exit).isEqualTo(AgentMain.ALREADY_RUNNING);
    }

    @Test
    void lockWhenHolderClosedThenTheNextStartGetsIt() throws Exception {
        Path lock = dir.resolve("agent.lock");
        SingleInstance.acquire(lock).orElseThrow().close();

        try (SingleInstance again = SingleInstance.acquire(lock).orElseThrow()) {
            assertThat(SingleInstance.acquire(lock)).isEmpty();
        }
    }

    @Test
    void logFileWhenConfiguredThenTheAgentWritesThatNameAndNoLockFile() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.properties"), """
                agent.allowedOrigins=https://zcy.example.gov.cn
                agent.log.file=logs/cagate-agent.log
                provider.ZJHX.name=浙江汇信CA
                provider.ZJHX.backend=pkcs12
                provider.ZJHX.pkcs12.folder=certs
                """, StandardCharsets.UTF_8);

        try (AgentProcess agent = AgentProcess.start(config, Map.of())) {
            new AgentClient(agent.port(), "https://zcy.example.gov.cn").get("/v1/status");
        }

        Path log = dir.resolve("logs/cagate-agent.log");
        assertThat(log).exists();
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .contains("GET /v1/status")
                .contains("-> 200 OK");
        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("cagate-agent.log");
        }
    }

    @Test
    void logFileWhenFullThenRotatedToTheNextNamesAndTheOldestDropped() throws Exception {
        Path log = dir.resolve("logs/cagate-agent.log");
        LogFile handler = new LogFile(log, 100, 2, new AgentMain.OneLine());
        try {
            for (int i = 0; i < 8; i++) {
                handler.publish(new LogRecord(Level.INFO, "line " + i + " " + "x".repeat(40)));
            }
        } finally {
            handler.close();
        }

        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("cagate-agent.log", "cagate-agent.log.1", "cagate-agent.log.2");
        }
        // Each line is longer than half the limit: one line per file, newest in the configured name.
        assertThat(Files.readString(log)).contains("line 7").doesNotContain("line 6");
        assertThat(Files.readString(dir.resolve("logs/cagate-agent.log.1"))).contains("line 6");
        assertThat(Files.readString(dir.resolve("logs/cagate-agent.log.2")))
                .contains("line 5")
                .doesNotContain("line 4");
    }
}
