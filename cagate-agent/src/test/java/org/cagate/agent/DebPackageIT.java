package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.agent.Commands.readUntil;
import static org.cagate.agent.Commands.run;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestPki;
import org.cagate.testca.softhsm.SoftHsm2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The Debian package as a supplier's PC gets it: installed with dpkg, the agent started by a desktop user
 * who has no Java, a SoftHSM2 key signing through it, a second start refused, an upgrade that keeps the
 * configuration, and the package removed without a trace. Changes the machine (a package, a user), so it needs root and dpkg and runs in the
 * Maven profile "deb" that .ci/run enables; skipped with a message otherwise. The installed agent
 * listens on a free port of its own, set in its configuration, so agents of other builds on 21777 are
 * left alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {
    static final String PACKAGE = "cagate-agent";
    static final String USER = "cagatedebtest";
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "482915";
    static final Path CONF = Path.of("/etc/cagate-agent/cagate-agent.properties");
    static final Path AUTOSTART = Path.of("/etc/xdg/autostart/cagate-agent.desktop");
    static final Path JAVA = Path.of("/opt/cagate-agent/runtime/bin/java");

    static Path deb;
    static Path home;
    static Credential user;
    static int port;
    static List<Path> installed;
    static Process agent;

    @BeforeAll
    static void install() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "Debian package test skipped: it installs a package and adds a user, so it needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "Debian package test skipped: no dpkg");
        assumeTrue(SoftHsm2.isAvailable(), SoftHsm2.unavailableReason());
        deb = builtPackage();
        if (run("dpkg", "-s", PACKAGE).exit() == 0) {
            run("dpkg", "--purge", PACKAGE).check(); // left by an interrupted run
        }
        if (run("id", USER).exit() == 0) {
            run("userdel", "-r", USER);
        }
        run("useradd", "--create-home", "--shell", "/bin/sh", USER).check();
        home = Path.of("/home", USER);

        // What the CA company hands out: a key with the user's certificate; the token folder is the user's.
        SoftHsm2 hsm = SoftHsm2.create(home.resolve("softhsm"));
        user = TestPki.provider("ZJHX")
                .algorithm(KeyAlgorithm.EC_P256)
                .build()
                .user("西子")
                .organization("培训省西子贸易集团")
                .issue();
        hsm.initToken("ZJHX-KEY", "87654321", PIN).write(user, "西子");
        // Commands the user's shell has, and no java among them.
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("sh", "sed", "head", "cat", "id", "sleep", "curl")) {
            Path real = Path.of("/usr/bin", tool);
            if (Files.exists(real)) {
                Files.createSymbolicLink(bin.resolve(tool), real);
            }
        }
        run("chown", "-R", USER + ":" + USER, home.toString()).check();

        run("dpkg", "-i", deb.toString()).check();
        installed = run("dpkg", "-L", PACKAGE).check().lines().stream()
                .map(Path::of)
                .filter(Files::isRegularFile)
                .toList();

        // The configuration in /etc (a conffile, kept across upgrades): this platform, the key, a free port.
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String config = Files.readString(CONF, StandardCharsets.UTF_8)
                .replace("agent.allowedOrigins=@PLATFORM_ORIGIN@", "agent.allowedOrigins=" + ORIGIN)
                .replace("agent.port=21777", "agent.port=" + port)
                .replace("agent.wrongPinDelay=3s", "agent.wrongPinDelay=1s");
        Files.writeString(
                CONF,
                config + "\nprovider.ZJHX.name=浙江汇信CA\nprovider.ZJHX.backend=pkcs11\n"
                        + "provider.ZJHX.pkcs11.library.linux=" + SoftHsm2.library() + "\n"
                        + "provider.ZJHX.pkcs11.tokenLabel=ZJHX-KEY\n",
                StandardCharsets.UTF_8);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (agent != null) {
            agent.destroy();
        }
        if (deb == null) {
            return;
        }
        if (run("dpkg", "-s", PACKAGE).exit() == 0) {
            run("dpkg", "--purge", PACKAGE);
        }
        run("userdel", "-r", USER);
    }

    @Test
    @Order(0)
    void packageWhenCheckedByLintianThenNoErrorOrWarningBeyondItsOverrides() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/lintian")), "lintian check skipped: lintian is not installed");

        Commands.Result lintian = run("lintian", "--fail-on", "error,warning", deb.toString());

        assertThat(lintian.exit()).as(lintian.output()).isZero();
        assertThat(lintian.lines()).noneMatch(line -> line.matches("[EW]: .*"));
    }

    @Test
    @Order(1)
    void installWhenDpkgThenAutostartEntryForEveryUserAndMenuEntriesAndOwnRuntime() throws Exception {
        assertThat(Files.readAllLines(AUTOSTART))
                .contains("Type=Application", "Exec=/opt/cagate-agent/bin/cagate-agent", "NoDisplay=true");
        assertThat(Files.readString(Path.of("/usr/share/applications/cagate-agent.desktop")))
                .contains("Name[zh_CN]=启动 CA 驱动");
        assertThat(Files.readString(Path.of("/usr/share/applications/cagate-agent-check.desktop")))
                .contains("Name[zh_CN]=CA 检测", "Exec=/opt/cagate-agent/bin/cagate-agent --check");
        assertThat(Path.of("/usr/share/doc/cagate-agent/README.zh_CN.txt")).exists();
        assertThat(run("dpkg-query", "-W", "-f", "${Conffiles}", PACKAGE)
                        .check()
                        .output())
                .contains(CONF.toString(), AUTOSTART.toString());
        assertThat(JAVA).isExecutable();
        // postinst made the class-data archive for the installed paths.
        assertThat(Path.of("/opt/cagate-agent/lib/cagate-agent.jsa")).exists();
    }

    @Test
    @Order(2)
    void startWhenUserWithoutJavaThenStatusAndSoftHsmSignatureThroughTheInstalledAgent() throws Exception {
        assertThat(asUser("command -v java").waitFor())
                .as("java on the user's PATH")
                .isNotZero();

        agent = asUser("exec /opt/cagate-agent/bin/cagate-agent");
        String started = readUntil(agent, "listening on http://127.0.0.1:" + port);
        assertThat(started).contains("cagate-agent " + System.getProperty("cagate.agent.version"));
        ProcessHandle java = agentProcesses().stream().findFirst().orElseThrow();
        assertThat(java.info().user()).hasValue(USER);

        AgentClient page = new AgentClient(port, ORIGIN);
        JsonNode status = page.get("/v1/status").json();
        assertThat(status.get("version").asString()).isEqualTo(System.getProperty("cagate.agent.version"));
        assertThat(status.get("providers").get(0).get("tokenPresent").asBoolean())
                .isTrue();

        byte[] challenge = AgentClient.challenge(ORIGIN, "ZJHX");
        RawHttp.Response signed = page.sign("ZJHX", PIN, challenge, "RAW");
        assertThat(signed.status()).isEqualTo(200);
        Signature verifier = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
        verifier.initVerify(user.certificate());
        verifier.update(challenge);
        assertThat(verifier.verify(Base64.getDecoder()
                        .decode(signed.json().get("signature").asString())))
                .isTrue();
        assertThat(log()).contains("POST /v1/sign").doesNotContain(PIN);
    }

    @Test
    @Order(3)
    void secondStartWhenTheUsersAgentRunsThenSaysSoAndExits() throws Exception {
        Process second = asUser("exec /opt/cagate-agent/bin/cagate-agent");
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(AgentMain.ALREADY_RUNNING);
        assertThat(new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("CA 驱动已在运行");
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    @Order(4)
    void upgradeWhenInstalledAgainThenConfigurationKeptAndTheAgentStartedForTheLoggedInUser() throws Exception {
        String configured = Files.readString(CONF, StandardCharsets.UTF_8);
        // The test user is "logged in" for postinst: a `who` of our own first on dpkg's PATH.
        Path shim = Files.createDirectories(home.resolve("shim"));
        Files.writeString(shim.resolve("who"), "#!/bin/sh\necho '" + USER + " tty7 2026-12-04 10:00 (:0)'\n");
        shim.resolve("who").toFile().setExecutable(true);

        Commands.Result upgrade = run(
                List.of("PATH=" + shim + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                "dpkg",
                "-i",
                deb.toString());
        upgrade.check();

        // prerm stopped the agent that ran from the old files; the changed conffile stays as it was.
        assertThat(agent.waitFor(10, TimeUnit.SECONDS))
                .as("the old agent stopped")
                .isTrue();
        assertThat(Files.readString(CONF, StandardCharsets.UTF_8)).isEqualTo(configured);
        assertThat(Path.of("/opt/cagate-agent/lib/cagate-agent.jsa")).exists();
        // postinst started the agent for the logged-in user, as that user.
        AgentClient page = new AgentClient(port, ORIGIN);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Integer status = null;
        while (status == null && System.nanoTime() < deadline) {
            try {
                status = page.get("/v1/status").status();
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(status).as("the agent postinst started").isEqualTo(200);
        assertThat(agentProcesses())
                .singleElement()
                .satisfies(p -> assertThat(p.info().user()).hasValue(USER));
    }

    @Test
    @Order(5)
    void removeWhenDpkgThenAgentStoppedAndNothingLeftButTheConfigurationUntilPurge() throws Exception {
        List<ProcessHandle> running = agentProcesses();
        assertThat(running).as("the agent postinst started").isNotEmpty();

        run("dpkg", "-r", PACKAGE).check();

        for (ProcessHandle p : running) {
            p.onExit().get(10, TimeUnit.SECONDS); // prerm stopped it
        }
        assertThat(agentProcesses()).isEmpty();
        List<Path> left = installed.stream().filter(Files::exists).toList();
        // Debian keeps conffiles on remove (so a reinstall finds its configuration); purge removes them.
        assertThat(left).containsExactlyInAnyOrder(CONF, AUTOSTART);
        assertThat(Path.of("/opt/cagate-agent")).doesNotExist();
        assertThat(Path.of("/usr/bin/cagate-agent")).doesNotExist();

        run("dpkg", "--purge", PACKAGE).check();

        assertThat(installed.stream().filter(Files::exists)).isEmpty();
        assertThat(Path.of("/etc/cagate-agent")).doesNotExist();
        assertThat(run("dpkg", "-s", PACKAGE).exit()).isNotZero();
    }

    /** The help-desk log in the user's state folder (the file handler may number the file). */
    private static String log() throws IOException {
        StringBuilder text = new StringBuilder();
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(home.resolve(".local/state/cagate-agent"), "cagate-agent*.log*")) {
            for (Path file : files) {
                if (!file.toString().endsWith(".lck")) {
                    text.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return text.toString();
    }

    /** The package the build made: target/cagate-agent_<version>_amd64.deb. */
    private static Path builtPackage() throws IOException {
        Path folder = Path.of(System.getProperty("cagate.agent.debFolder", "target"));
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "cagate-agent_*_amd64.deb")) {
                files.forEach(found::add);
            }
        }
        assumeTrue(
                found.size() == 1,
                "Debian package test skipped: no single cagate-agent_*_amd64.deb in " + folder
                        + " (build it with mvn -Pdeb package)");
        return found.get(0);
    }

    /** A shell of the test user: its own HOME, a PATH without java, only the key's SOFTHSM2_CONF. */
    private static Process asUser(String command) throws IOException {
        return new ProcessBuilder(
                        "runuser",
                        "-u",
                        USER,
                        "--",
                        "env",
                        "-i",
                        "HOME=" + home,
                        "USER=" + USER,
                        "PATH=" + home.resolve("bin"),
                        "SOFTHSM2_CONF=" + home.resolve("softhsm/softhsm2.conf"),
                        "/bin/sh",
                        "-c",
                        command)
                .redirectErrorStream(true)
                .start();
    }

    private static List<ProcessHandle> agentProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(JAVA.toString()::equals).orElse(false))
                .toList();
    }
}
