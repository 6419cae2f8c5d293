package org.cagate.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar cagate-agent.jar --config conf/cagate-agent.properties [--port N] [--diagnose]}. */
@Command(
        name = "cagate-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentMain.Version.class,
        description = "证书驱动 + 签章服务: signs cagate challenges with CA keys for the platform's pages.")
public final class AgentMain implements Callable<Integer> {

    /** The exit status of a start refused because this user's agent already runs. */
    static final int ALREADY_RUNNING = 4;

    @Option(
            names = "--config",
            required = true,
            description = "the configuration file (see conf/cagate-agent.properties)")
    Path config;

    @Option(names = "--port", description = "listen on this port instead of the configured one (0: any free)")
    Integer port;

    @Option(names = "--diagnose", description = "print modules, tokens and certificates, then exit")
    boolean diagnose;

    @Option(
            names = "--lock-file",
            description = "hold this file locked while running, and refuse to start when another agent holds it"
                    + " (one agent per user); a leading ~/ is the user's home folder")
    String lockFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AgentConfig loaded;
        try {
            loaded = AgentConfig.load(config);
        } catch (IllegalArgumentException e) {
            System.err.println("cagate-agent: " + config + ": " + e.getMessage());
            return 2;
        }
        if (port != null) {
            loaded = loaded.withPort(port);
        }
        if (diagnose) {
            new Diagnose(loaded, Clock.systemUTC(), out).run();
            return 0;
        }
        SingleInstance instance = null;
        if (lockFile != null) {
            // Launchers that cannot expand ~ themselves (jpackage's on Windows and macOS) pass it as is.
            Path lock = lockFile.startsWith("~/") || lockFile.startsWith("~\\")
                    ? Path.of(System.getProperty("user.home"), lockFile.substring(2))
                    : Path.of(lockFile);
            instance = SingleInstance.acquire(lock).orElse(null);
            if (instance == null) {
                out.println("cagate-agent: CA 驱动已在运行（进程 " + SingleInstance.holder(lock)
                        + "），无需再次启动。 Already running for this user (" + lock + "); exiting.");
                return ALREADY_RUNNING;
            }
        }
        configureLogging(loaded);
        Agent agent;
        try {
            agent = Agent.start(loaded);
        } catch (java.net.BindException e) {
            System.err.println("cagate-agent: port " + loaded.port() + " on 127.0.0.1 is in use"
                    + " (is another cagate-agent already running?): " + e.getMessage());
            return 3;
        }
        SingleInstance held = instance;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            if (held != null) {
                held.close();
            }
            stopped.countDown();
        }));
        // Tests and start scripts read this line to learn the port.
        out.println("cagate-agent " + Agent.version() + " listening on http://127.0.0.1:" + agent.port());
        stopped.await();
        return 0;
    }

    /** One line per event on the console and, when configured, in the log file; never a PIN. */
    private static void configureLogging(AgentConfig config) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Formatter formatter = new OneLine();
        // UTF-8 bytes, so provider names and messages survive a Windows console set to chcp 65001.
        StreamHandler console =
                new StreamHandler(new PrintStream(System.out, true, StandardCharsets.UTF_8), formatter) {
                    @Override
                    public synchronized void publish(LogRecord record) {
                        super.publish(record);
                        flush();
                    }
                };
        root.addHandler(console);
        if (config.logFile() != null) {
            try {
                root.addHandler(logFile(config.logFile(), formatter));
            } catch (IOException | SecurityException e) {
                // e.g. installed in a folder the user cannot write to: keep signing, log to the console.
                Logger.getLogger(AgentMain.class.getName())
                        .warning("cannot write the log file " + config.logFile() + ": " + e
                                + "; logging to the console only");
            }
        }
        root.setLevel(Level.INFO);
    }

    /** The configured file itself, 5 MiB each, with three older files beside it (docs/agent.md). */
    static Handler logFile(Path file, Formatter formatter) throws IOException {
        return new LogFile(file, 5 * 1024 * 1024, 3, formatter);
    }

    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(record.getInstant())
                    .append(' ')
                    .append(record.getLevel())
                    .append(' ')
                    .append(formatMessage(record))
                    .append(System.lineSeparator());
            if (record.getThrown() != null) {
                line.append("    ").append(record.getThrown()).append(System.lineSeparator());
            }
            return line.toString();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cagate-agent " + Agent.version()};
        }
    }
}
