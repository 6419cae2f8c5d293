package org.cagate.testca.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cagate.testca.CaBuilder;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init-ca", description = "Create a provider's test CA (root, optionally an intermediate) in a folder.")
final class InitCaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Folder to keep the CA in (created).")
    Path dir;

    @Option(names = "--code", required = true, description = "Provider code, e.g. ZJHX.")
    String code;

    @Option(
            names = "--algorithm",
            defaultValue = "EC",
            converter = Options.Algorithm.class,
            description = "RSA, EC (P-256), EC384 or SM2 (default: ${DEFAULT-VALUE}).")
    KeyAlgorithm algorithm;

    @Option(names = "--intermediate", description = "Issue users from an intermediate CA under the root.")
    boolean intermediate;

    @Option(names = "--name", description = "The root's common name, e.g. \"浙江汇信CA 测试根证书\".")
    String name;

    @Option(names = "--crl-url", description = "CRL distribution point put into every user certificate.")
    String crlUrl;

    @Option(names = "--ocsp-url", description = "OCSP responder URL (AIA) put into every user certificate.")
    String ocspUrl;

    @Override
    public Integer call() throws Exception {
        if (!code.matches("[A-Z0-9_]{1,32}")) {
            throw new IllegalArgumentException("a provider code is [A-Z0-9_]{1,32}: " + code);
        }
        if (TestCa.isSaved(dir)) {
            throw new IllegalArgumentException(dir + " already holds a test CA");
        }
        CaBuilder builder = TestPki.provider(code).algorithm(algorithm);
        if (name != null) {
            builder.name(name);
        }
        if (intermediate) {
            builder.withIntermediate();
        }
        TestCa ca = builder.build().defaultCrlUrl(crlUrl).defaultOcspUrl(ocspUrl);
        ca.save(dir);
        var out = spec.commandLine().getOut();
        out.println("created " + code + " " + algorithm + " test CA in " + dir.toAbsolutePath());
        out.println("root: " + dir.resolve("root.crt.pem") + " "
                + ca.root().getSubjectX500Principal().getName());
        ca.intermediate().ifPresent(sub -> out.println("intermediate: " + dir.resolve("intermediate.crt.pem")));
        out.flush();
        return 0;
    }
}
