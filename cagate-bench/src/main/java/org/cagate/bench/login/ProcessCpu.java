package org.cagate.bench.login;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time (user + system) that processes have consumed, from {@code /proc/<pid>/stat} (Linux). CPU time
 * per login stays meaningful when other work shares the machine, where logins per second do not.
 */
final class ProcessCpu {

    /** USER_HZ: the unit of utime and stime in /proc; 100 on every Linux this runs on. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private ProcessCpu() {}

    /** CPU time of this JVM (every thread, JIT and GC included). */
    static long self() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of a process, or -1 when it is gone. */
    static long of(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
        // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /**
     * CPU time of a JVM's JIT compiler threads now alive ("C1 CompilerThre", "C2 CompilerThre" in
     * /proc): warm-up cost, which a slow run on a shared machine pays for longer.
     */
    static long jitOf(long pid) {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] fields =
                                stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
                    }
                } catch (NoSuchFileException ended) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** A snapshot of several processes, e.g. the PostgreSQL backends serving the server's pool. */
    static Map<Long, Long> of(Collection<Long> pids) {
        Map<Long, Long> cpu = new HashMap<>();
        for (long pid : pids) {
            long nanos = of(pid);
            if (nanos >= 0) {
                cpu.put(pid, nanos);
            }
        }
        return cpu;
    }

    /**
     * CPU consumed between two snapshots: processes in both count their difference, processes that
     * appeared in between all of theirs (a process that ended in between is lost; pools keep theirs).
     */
    static long between(Map<Long, Long> before, Map<Long, Long> after) {
        long total = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }
}
