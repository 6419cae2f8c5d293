package org.cagate.bench.login;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Drives the workers through a warm-up and a measured window, closed loop (each client starts its next
 * login when the last one ended) or open loop (logins start at a fixed rate whatever the answers; a login
 * that had to wait for a free client counts its wait, so the latency has no coordinated omission; the
 * warm-up before it is a closed loop, and the schedule starts when the measured window opens), and
 * takes CPU snapshots of every process involved at both ends of the window.
 */
final class LoadRun {

    /** CPU snapshots taken at the start and the end of the measured window. */
    interface CpuProbe {
        void atStart();

        void atEnd();

        /** CPU time the server's JIT compiler threads have used so far (nanoseconds). */
        long compilerNanos();
    }

    /** The server's JIT is quiet when its compiler threads use less than this share of a CPU. */
    static final double QUIET_JIT = 0.02;

    /** The longest wait for a quiet JIT after the warm-up. */
    static final Duration SETTLE_BOUND = Duration.ofSeconds(60);

    /**
     * After the pause, the logins run as they will be measured (an open loop at its rate) for this long before
     * the window opens: the JIT compiles again for the load's own shape, and the caches filled in the warm-up
     * are promoted out of the young generation. Measured: without it the first 12 s of a window at 600/s held
     * nearly every login over 50 ms (young pauses of 50-72 ms every 2 s while the old generation grew from 264
     * to 327 MiB), and the rest of the window none.
     */
    static final Duration RUN_IN = Duration.ofSeconds(20);

    record Result(
            Duration window,
            long succeeded,
            Histogram total,
            Histogram challenge,
            Histogram login,
            Map<String, Long> errors,
            int connectionsOpened,
            double offeredRate,
            Histogram lateness,
            Settle settle,
            Instant windowOpened,
            SlowSeconds slowSeconds) {

        /** A login that started this much after its intended start (open loop) counts as late. */
        static final long LATE_MICROS = 1000;

        double perSecond() {
            return succeeded * 1e9 / window.toNanos();
        }

        /** Open loop: the measured logins that started more than {@link #LATE_MICROS} after their time. */
        long late() {
            return lateness.getTotalCount() - lateness.getCountBetweenValues(0, LATE_MICROS);
        }
    }

    /**
     * The pause between the warm-up and the measured window: how long it took, whether the JIT became quiet
     * within {@link #SETTLE_BOUND}, and the compiler's CPU during it (nanoseconds).
     */
    record Settle(Duration took, boolean quiet, long compilerNanos) {}

    private LoadRun() {}

    /** @param rate logins per second (open loop), or 0 for a closed loop */
    static Result run(
            List<BenchUsers.User> users,
            String provider,
            InetSocketAddress server,
            int clients,
            double rate,
            Duration warmUp,
            Duration measure,
            CpuProbe probe)
            throws InterruptedException {
        long warmEnd = System.nanoTime() + 100_000_000L + warmUp.toNanos();
        Window window = new Window();
        AtomicLong logins = new AtomicLong();
        AtomicLong slots = new AtomicLong();
        double interval = rate > 0 ? 1e9 / rate : 0;
        // The warm-up is a closed loop in both modes, and then the load pauses until the server's JIT is quiet:
        // with every client busy, the one C2 compiler thread of a 2-CPU machine gets little CPU, its queue grows
        // through the warm-up, and the server runs less optimised code for minutes (measured: C2 used 0.64 CPU
        // in a window after a 30 s warm-up, compiling methods queued 50 s earlier). An open loop's backlog from
        // a cold server would also be counted against the warm one; its schedule starts after the pause, a
        // run-in before the window.
        LoginWorker.Schedule schedule = new LoginWorker.Schedule() {
            @Override
            public LoginWorker.Slot next() {
                long now = System.nanoTime();
                if (now - warmEnd < 0) {
                    return new LoginWorker.Slot(logins.getAndIncrement(), 0);
                }
                window.awaitOpen();
                if (rate <= 0) {
                    return System.nanoTime() - window.end >= 0
                            ? null
                            : new LoginWorker.Slot(logins.getAndIncrement(), 0);
                }
                long when = window.scheduleStart + (long) (slots.getAndIncrement() * interval);
                return when - window.end >= 0 ? null : new LoginWorker.Slot(logins.getAndIncrement(), when);
            }

            @Override
            public boolean measuring(long startNanos) {
                return window.open && startNanos - window.start >= 0 && startNanos - window.end < 0;
            }

            @Override
            public long windowStart() {
                return window.start;
            }
        };
        List<LoginWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            LoginWorker worker = new LoginWorker(schedule, users, provider, server);
            workers.add(worker);
            Thread thread = new Thread(worker, "login-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        sleepUntil(warmEnd);
        Settle settle = settle(probe, Duration.ofSeconds(1), SETTLE_BOUND);
        window.open(System.nanoTime(), RUN_IN, measure);
        sleepUntil(window.start);
        Instant opened = Instant.now();
        probe.atStart();
        sleepUntil(window.end);
        probe.atEnd();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }
        Histogram total = LoginWorker.histogram();
        Histogram challenge = LoginWorker.histogram();
        Histogram login = LoginWorker.histogram();
        Histogram lateness = LoginWorker.histogram();
        SlowSeconds slowSeconds = new SlowSeconds();
        Map<String, Long> errors = new TreeMap<>();
        long succeeded = 0;
        int connections = 0;
        for (LoginWorker w : workers) {
            total.add(w.total);
            challenge.add(w.challengeLatency);
            login.add(w.loginLatency);
            lateness.add(w.lateness);
            slowSeconds.add(w.slowSeconds);
            w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            succeeded += w.succeeded;
            connections += w.connectionsOpened();
        }
        return new Result(
                measure,
                succeeded,
                total,
                challenge,
                login,
                errors,
                connections,
                rate,
                lateness,
                settle,
                opened,
                slowSeconds);
    }

    /**
     * Waits, with no new logins started, until the server's JIT compiler used less than {@link #QUIET_JIT} of a
     * CPU over one {@code period}, at most {@code bound}.
     */
    static Settle settle(CpuProbe probe, Duration period, Duration bound) throws InterruptedException {
        long begin = System.nanoTime();
        long compilerAtBegin = probe.compilerNanos();
        long last = compilerAtBegin;
        boolean quiet = false;
        while (!quiet && System.nanoTime() - begin < bound.toNanos()) {
            Thread.sleep(period.toMillis());
            long now = probe.compilerNanos();
            quiet = now - last < QUIET_JIT * period.toNanos();
            last = now;
        }
        return new Settle(Duration.ofNanos(System.nanoTime() - begin), quiet, last - compilerAtBegin);
    }

    /**
     * The logins after the warm-up and the pause: they resume at {@code scheduleStart} (workers wait for it),
     * and those starting from {@code start}, a run-in later, to {@code end} are measured.
     */
    private static final class Window {
        private final CountDownLatch opened = new CountDownLatch(1);
        private volatile boolean open;
        private volatile long scheduleStart;
        private volatile long start;
        private volatile long end;

        void open(long now, Duration runIn, Duration length) {
            scheduleStart = now;
            start = now + runIn.toNanos();
            end = start + length.toNanos();
            open = true;
            opened.countDown();
        }

        void awaitOpen() {
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted before the measured window", e);
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            Thread.sleep(Math.max(1, wait / 1_000_000), 0);
        }
    }
}
