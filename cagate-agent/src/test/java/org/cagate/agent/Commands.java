package org.cagate.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands on the test machine for {@link DebPackageIT}: run and wait, read a process's output. */
final class Commands {

    private Commands() {}

    /** The process output up to and including {@code expected}; fails after 60 s or at its end. */
    static String readUntil(Process process, String expected) throws IOException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        var in = process.getInputStream();
        while (System.nanoTime() < deadline) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("the agent ended:\n" + seen);
            }
            seen.append((char) c);
            if (seen.indexOf(expected) >= 0) {
                return new String(seen.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no '" + expected + "' within 60 s:\n" + seen);
    }

    record Result(List<String> command, int exit, String output) {
        Result check() {
            if (exit != 0) {
                throw new AssertionError(command + " exited with " + exit + ":\n" + output);
            }
            return this;
        }

        List<String> lines() {
            return output.lines().toList();
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(), command);
    }

    /** The command with some of dpkg's environment changed ("NAME=value"). */
    static Result run(List<String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (String variable : environment) {
            builder.environment()
                    .put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(List.of(command), process.waitFor(), output);
    }
}
