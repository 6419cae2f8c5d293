package org.cagate.testca.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own, for tests and benchmarks that stop and restart the database: made by
 * {@code initdb} in a new folder of the temp directory, listening on a free port of 127.0.0.1 (and a Unix
 * socket in its own folder), started and stopped with {@code pg_ctl}. It never touches another cluster;
 * {@link #close()} stops it and deletes the folder.
 *
 * <pre>{@code
 * assumeTrue(ThrowawayPostgres.isAvailable(), ThrowawayPostgres.unavailableReason());
 * try (ThrowawayPostgres pg = ThrowawayPostgres.create()) {
 *     String url = pg.jdbcUrl();          // jdbc:postgresql://127.0.0.1:<port>/postgres?user=postgres
 *     pg.stop(); ...; pg.start();         // an outage of the caller's length
 * }
 * }</pre>
 *
 * <p>The server binaries are those of the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's
 * layout), or of {@code CAGATE_PG_BIN}. {@code initdb} refuses to run as root, so as root every command runs
 * as the user {@code postgres} ({@code runuser}), which then owns the folder. Durability is off ({@code
 * fsync = off}): a throwaway cluster that must survive no power cut, and a stop with {@code -m immediate}
 * still goes through crash recovery as a real one would.
 */
public final class ThrowawayPostgres implements AutoCloseable {

    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");
    private static final String OS_USER = "postgres";
    private static final long TIMEOUT_SECONDS = 120;

    /** How {@code pg_ctl stop} ends the server's sessions (its {@code -m}). */
    public enum StopMode {
        /** Sessions are ended, a checkpoint is written: an operator's restart. */
        FAST,
        /** Every process is killed at once; the next start recovers from the WAL: a crash. */
        IMMEDIATE
    }

    private final Path bin;
    private final Path folder;
    private final Path data;
    private final Path log;
    private final int port;

    private ThrowawayPostgres(Path bin, Path folder, int port) {
        this.bin = bin;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.log = folder.resolve("postgres.log");
        this.port = port;
    }

    /** The folder with initdb, pg_ctl and postgres, if one is installed. */
    public static Optional<Path> binaries() {
        String configured = System.getenv("CAGATE_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(ThrowawayPostgres::hasServer);
        }
        if (!Files.isDirectory(DEBIAN)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(ThrowawayPostgres::hasServer)
                    .max(Comparator.comparing(ThrowawayPostgres::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when a cluster can be made here: the binaries exist and run (as {@code postgres} when root). */
    public static boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why a throwaway cluster cannot be made here, or "" when it can; meant for {@code assumeTrue}. */
    public static String unavailableReason() {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            return "no PostgreSQL server binaries (initdb, pg_ctl, postgres) in " + DEBIAN
                    + "/<version>/bin or CAGATE_PG_BIN (apt-get install postgresql)";
        }
        if (isRoot()
                && !Files.isExecutable(Path.of("/usr/sbin/runuser"))
                && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return "running as root, and runuser (to run initdb as " + OS_USER + ") is missing";
        }
        try {
            String version = run(asOwner(List.of(bin.get().resolve("postgres").toString(), "--version")));
            if (!version.contains("PostgreSQL")) {
                return bin.get() + "/postgres --version answered " + version.strip();
            }
        } catch (IllegalStateException e) {
            return bin.get() + "/postgres cannot run: " + e.getMessage();
        }
        return "";
    }

    /** Makes a new cluster on a free port and starts it. */
    public static ThrowawayPostgres create() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(unavailableReason()));
        Path folder;
        try {
            folder = Files.createTempDirectory("cagate-pg-");
            if (isRoot()) {
                UserPrincipal owner =
                        folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
                Files.setOwner(folder, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for a throwaway cluster", e);
        }
        ThrowawayPostgres pg = new ThrowawayPostgres(bin, folder, freePort());
        try {
            pg.initdb();
            pg.start();
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private void initdb() {
        run(asOwner(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync")));
        String settings = "\n# cagate ThrowawayPostgres\n"
                + "port = " + port + "\n"
                + "listen_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + folder + "'\n"
                + "max_connections = 100\n"
                + "shared_buffers = 32MB\n"
                + "fsync = off\n"
                + "full_page_writes = off\n"
                + "log_min_messages = warning\n"
                + "log_connections = off\n";
        try {
            Files.writeString(
                    data.resolve("postgresql.conf"),
                    settings,
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot configure " + data, e);
        }
    }

    public int port() {
        return port;
    }

    /** The cluster's own database {@code postgres} as user {@code postgres} (trust authentication). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The server's log (startup, shutdown, crash recovery). */
    public Path log() {
        return log;
    }

    /** Starts the stopped cluster; returns when it accepts connections ({@code pg_ctl -w}). */
    public void start() {
        pgCtl("start", "-l", log.toString());
    }

    /** Stops the cluster; returns when every server process has ended. */
    public void stop(StopMode mode) {
        pgCtl("stop", "-m", mode.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether the server runs ({@code pg_ctl status}). */
    public boolean running() {
        try {
            run(asOwner(List.of(bin.resolve("pg_ctl").toString(), "status", "-D", data.toString())));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void pgCtl(String action, String... options) {
        List<String> args = new ArrayList<>(
                List.of(bin.resolve("pg_ctl").toString(), action, "-D", data.toString(), "-w", "-t", "60"));
        args.addAll(List.of(options));
        run(asOwner(args));
    }

    /** Stops the cluster at once if it runs and deletes its folder; again, does nothing. */
    @Override
    public synchronized void close() {
        if (!Files.exists(folder)) {
            return;
        }
        if (Files.isDirectory(data) && Files.exists(data.resolve("postmaster.pid"))) {
            try {
                stop(StopMode.IMMEDIATE);
            } catch (IllegalStateException e) {
                // already gone; the folder goes anyway
            }
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    /** The command as the cluster's owner: {@code postgres} when we are root, else ourselves. */
    private static List<String> asOwner(List<String> args) {
        if (!isRoot()) {
            return args;
        }
        List<String> asPostgres = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
        asPostgres.addAll(args);
        return asPostgres;
    }

    /** Runs the command; returns its output, or throws with it. */
    private static String run(List<String> command) {
        Path output = null;
        try {
            // Output to a file, so a command that hangs (or a server it started) cannot block us past the timeout.
            output = Files.createTempFile("cagate-pg-", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .directory(new java.io.File("/"))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover output file in the temp folder
                }
            }
        }
    }

    private static boolean hasServer(Path bin) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(name -> Files.isExecutable(bin.resolve(name)));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
