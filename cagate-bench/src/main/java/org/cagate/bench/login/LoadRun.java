package org.cagate.bench.login;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Drives the workers through a warm-up and a measured window, closed loop (each client starts its next
 * login when the last one ended) or open loop (logins start at a fixed rate whatever the answers; a login
 * that had to wait for a free client counts its wait, so the latency has no coordinated omission), and
 * takes CPU snapshots of every process involved at both ends of the window.
 */
final class LoadRun {

    /** CPU snapshots taken at the start and the end of the measured window. */
    interface CpuProbe {
        void atStart();

        void atEnd();
    }

    record Result(
            Duration window,
            long succeeded,
            Histogram total,
            Histogram challenge,
            Histogram login,
            Map<String, Long> errors,
            int connectionsOpened,
            double offeredRate,
            Histogram lateness) {

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
        long begin = System.nanoTime() + 100_000_000L;
        long measureStart = begin + warmUp.toNanos();
        long measureEnd = measureStart + measure.toNanos();
        AtomicLong counter = new AtomicLong();
        double interval = rate > 0 ? 1e9 / rate : 0;
        LoginWorker.Schedule schedule = new LoginWorker.Schedule() {
            @Override
            public long next() {
                long n = counter.getAndIncrement();
                long when = rate > 0 ? intendedStart(n) : System.nanoTime();
                return when >= measureEnd ? -1 : n;
            }

            @Override
            public long intendedStart(long login) {
                return rate > 0 ? begin + (long) (login * interval) : 0;
            }

            @Override
            public boolean measuring(long startNanos) {
                return startNanos - measureStart >= 0 && startNanos - measureEnd < 0;
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
        sleepUntil(measureStart);
        probe.atStart();
        sleepUntil(measureEnd);
        probe.atEnd();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }
        Histogram total = LoginWorker.histogram();
        Histogram challenge = LoginWorker.histogram();
        Histogram login = LoginWorker.histogram();
        Histogram lateness = LoginWorker.histogram();
        Map<String, Long> errors = new TreeMap<>();
        long succeeded = 0;
        int connections = 0;
        for (LoginWorker w : workers) {
            total.add(w.total);
            challenge.add(w.challengeLatency);
            login.add(w.loginLatency);
            lateness.add(w.lateness);
            w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            succeeded += w.succeeded;
            connections += w.connectionsOpened();
        }
        return new Result(measure, succeeded, total, challenge, login, errors, connections, rate, lateness);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            Thread.sleep(Math.max(1, wait / 1_000_000), 0);
        }
    }
}
