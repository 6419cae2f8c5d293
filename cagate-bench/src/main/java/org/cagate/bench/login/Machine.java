package org.cagate.bench.login;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The machine a run is on, and how busy it is (other processes share it). */
record Machine(int cpus, String cpuModel, String loadAverage, String java, Instant at) {

    static Machine now() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                readCpuModel(),
                read("/proc/loadavg").trim(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Instant.now());
    }

    /** The 1-, 5- and 15-minute load averages. */
    String load() {
        String[] parts = loadAverage.split(" ");
        return parts.length >= 3 ? parts[0] + " / " + parts[1] + " / " + parts[2] : loadAverage;
    }

    String describe() {
        return cpus + " CPUs (" + cpuModel + "), load average " + load() + ", " + java + ", " + at;
    }

    /** The first lines of a report: when, what was run, on which machine and how busy it was before and after. */
    static String runHeader(Machine before, Machine after, String run) {
        return "Run " + after.at() + ": " + run + "\n" + "Machine: " + after.cpus() + " CPUs (" + after.cpuModel()
                + "), " + after.java() + "; load average " + before.load() + " before the run, " + after.load()
                + " at its end (1 / 5 / 15 min)\n\n";
    }

    private static String readCpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
