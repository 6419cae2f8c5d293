package org.cagate.testca.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cagate.testca.CrlServer;
import org.cagate.testca.LoopbackHttp;
import org.cagate.testca.OcspResponder;
import org.cagate.testca.TestCa;
import org.cagate.testca.TsaServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        description =
                "Serve CRLs (/crl/<code>.crl), OCSP (/ocsp/<code>) and with --tsa time-stamps (/tsa/<code>) for one or more CA folders on 127.0.0.1 "
                        + "until stopped. Revocations made meanwhile with the revoke command show within a second.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "A CA folder; repeat for several providers.")
    List<Path> dirs;

    @Option(names = "--crl", description = "Serve CRLs (default: both CRL and OCSP).")
    boolean crl;

    @Option(names = "--ocsp", description = "Answer OCSP (default: both CRL and OCSP).")
    boolean ocsp;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--tsa", description = "Also answer RFC 3161 time-stamp requests at /tsa/<code> (PAdES B-T, 签章).")
    boolean tsa;

    @Option(names = "--delegated", description = "Sign OCSP answers with a delegated responder certificate.")
    boolean delegated;

    @Option(names = "--for", description = "Stop after this long, ISO-8601 (e.g. PT30S); default: until killed.")
    Duration duration;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        boolean both = !crl && !ocsp;
        List<TestCa> cas = new ArrayList<>();
        for (Path dir : dirs) {
            cas.add(TestCa.load(dir));
        }
        Thread hook = new Thread(stop::countDown, "testca-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LoopbackHttp http = LoopbackHttp.start(port)) {
            var out = spec.commandLine().getOut();
            for (TestCa ca : cas) {
                if (crl || both) {
                    out.println("crl " + ca.providerCode() + " "
                            + CrlServer.on(http, ca).url());
                }
                if (ocsp || both) {
                    OcspResponder responder = OcspResponder.on(http, ca);
                    if (delegated) {
                        responder.signByDelegate();
                    }
                    out.println("ocsp " + ca.providerCode() + " " + responder.url());
                }
                if (tsa) {
                    out.println("tsa " + ca.providerCode() + " "
                            + TsaServer.on(http, ca).url());
                }
            }
            out.println("serving on " + http.baseUrl() + (duration != null ? " for " + duration : " until stopped"));
            out.flush();
            long deadline = duration != null ? System.nanoTime() + duration.toNanos() : Long.MAX_VALUE;
            while (!stop.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                refresh(cas);
            }
        } finally {
            removeHook(hook);
        }
        return 0;
    }

    private void refresh(List<TestCa> cas) throws IOException {
        for (int i = 0; i < cas.size(); i++) {
            cas.get(i).refresh(dirs.get(i));
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is stopping; the hook has run or will
        }
    }
}
