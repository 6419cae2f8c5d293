package org.cagate.testca.cli;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cagate.testca.TestCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "revoke", description = "Revoke a certificate the CA issued; CRLs and OCSP answers show it at once.")
final class RevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The CA folder.")
    Path dir;

    @Option(names = "--serial", required = true, description = "Serial number in hex, as issue prints it.")
    String serial;

    @Option(
            names = "--reason",
            defaultValue = "keyCompromise",
            converter = Options.Reason.class,
            description = "CRL reason name or code (default: keyCompromise).")
    int reason;

    @Option(names = "--at", converter = Options.Time.class, description = "Revocation time (default: now).")
    Instant at;

    @Option(names = "--force", description = "Revoke even a serial this CA has no record of issuing.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        BigInteger number;
        try {
            number = new BigInteger(serial.replace(":", ""), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--serial takes hex, not " + serial);
        }
        TestCa ca = TestCa.load(dir);
        if (ca.issued(number).isEmpty() && !force) {
            throw new IllegalArgumentException("this CA did not issue serial " + serial + " (use --force)");
        }
        ca.revoke(number, at != null ? at : ca.clock().instant(), reason);
        ca.save(dir);
        spec.commandLine().getOut().println("revoked " + number.toString(16) + " reason " + reason);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
