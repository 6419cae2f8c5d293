package org.cagate.bench.login;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU consumed during the measured window by the server JVM, by the PostgreSQL backends serving the
 * server's connection pool (found by the pool's application name), by PostgreSQL's background processes
 * (WAL writer, checkpointer, autovacuum: shared by every database of the cluster, so other work on the
 * same cluster shows there too) and by this generator.
 */
final class CpuWatch implements LoadRun.CpuProbe {

    private final long serverPid;
    private final String pgUrl;
    private final String application;

    private long serverStart;
    private long jitStart;
    private long generatorStart;
    private Map<Long, Long> backendsStart;
    private Map<Long, Long> backgroundStart;
    private long wallStart;

    long server;
    /** Of {@link #server}, what the JIT compiler threads used. */
    long serverJit;

    long generator;
    long backends;
    long background;
    long wall;
    private Machine machineAtEnd;

    CpuWatch(long serverPid, String pgUrl, String application) {
        this.serverPid = serverPid;
        this.pgUrl = pgUrl;
        this.application = application;
    }

    @Override
    public void atStart() {
        wallStart = System.nanoTime();
        serverStart = ProcessCpu.of(serverPid);
        jitStart = ProcessCpu.jitOf(serverPid);
        generatorStart = ProcessCpu.self();
        backendsStart = ProcessCpu.of(pids(true));
        backgroundStart = ProcessCpu.of(pids(false));
    }

    @Override
    public void atEnd() {
        wall = System.nanoTime() - wallStart;
        server = ProcessCpu.of(serverPid) - serverStart;
        serverJit = Math.max(0, ProcessCpu.jitOf(serverPid) - jitStart);
        generator = ProcessCpu.self() - generatorStart;
        backends = ProcessCpu.between(backendsStart, ProcessCpu.of(pids(true)));
        background = ProcessCpu.between(backgroundStart, ProcessCpu.of(pids(false)));
        machineAtEnd = Machine.now();
    }

    @Override
    public long compilerNanos() {
        return ProcessCpu.jitOf(serverPid);
    }

    Machine machineAtEnd() {
        return machineAtEnd;
    }

    /** The server's backends, or the cluster's background processes. */
    private List<Long> pids(boolean serverBackends) {
        String sql = serverBackends
                ? "SELECT pid FROM pg_stat_activity WHERE application_name = ?"
                : "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend' AND application_name <> ?";
        try (Connection db = DriverManager.getConnection(pgUrl);
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, application);
            List<Long> pids = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
            return pids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list PostgreSQL processes", e);
        }
    }
}
