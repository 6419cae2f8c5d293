package org.cagate.testca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cagate.testca.Pem;
import org.cagate.testca.TestCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "crl", description = "Write the CA's current CRL (DER, or PEM with --pem).")
final class CrlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The CA folder.")
    Path dir;

    @Option(names = "--out", required = true, description = "File to write.")
    Path out;

    @Option(names = "--pem", description = "Write PEM instead of DER.")
    boolean pem;

    @Option(
            names = "--next-update",
            defaultValue = "PT24H",
            description = "How long the CRL is current, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration nextUpdate;

    @Override
    public Integer call() throws Exception {
        TestCa ca = TestCa.load(dir);
        Instant now = ca.clock().instant();
        var crl = ca.crl(now, now.plus(nextUpdate));
        // The CRL number went up: keep it, so the next CRL is newer.
        ca.save(dir);
        if (pem) {
            Files.writeString(out, Pem.crl(crl));
        } else {
            Files.write(out, crl.getEncoded());
        }
        spec.commandLine()
                .getOut()
                .println("crl: " + out.toAbsolutePath() + " entries "
                        + ca.revocations().size());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
