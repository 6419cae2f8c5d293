package org.cagate.testca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.Pem;
import org.cagate.testca.TestCa;
import org.cagate.testca.UserBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "issue", description = "Issue a user certificate and write it with its key to a PKCS#12 file.")
final class IssueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The CA folder (from init-ca).")
    Path dir;

    @Option(names = "--p12", required = true, description = "PKCS#12 file to write.")
    Path p12;

    @Option(names = "--pin", required = true, description = "PKCS#12 password.")
    String pin;

    @Option(names = "--alias", defaultValue = "cagate", description = "Key alias in the PKCS#12 file.")
    String alias;

    @Option(names = "--cert-out", description = "Also write the certificate chain (PEM, leaf first) here.")
    Path certOut;

    @picocli.CommandLine.Mixin
    UserOptions user;

    @Override
    public Integer call() throws Exception {
        TestCa ca = TestCa.load(dir);
        Credential credential = user.issue(ca);
        ca.save(dir);
        credential.writePkcs12(p12, alias, pin.toCharArray());
        if (certOut != null) {
            StringBuilder pem = new StringBuilder();
            credential.fullChain().forEach(c -> pem.append(Pem.certificate(c)));
            Files.writeString(certOut, pem);
        }
        var out = spec.commandLine().getOut();
        out.println("serial: " + credential.certificate().getSerialNumber().toString(16));
        out.println(
                "subject: " + credential.certificate().getSubjectX500Principal().getName());
        out.println("notAfter: " + credential.certificate().getNotAfter().toInstant());
        out.println("pkcs12: " + p12.toAbsolutePath());
        out.flush();
        return 0;
    }

    /** The user certificate's content; shared with the softhsm command. */
    static final class UserOptions {
        @Option(names = "--cn", description = "Common name, e.g. 西子 (required).")
        String commonName;

        @Option(names = "--org", description = "Organisation (O=), e.g. 培训省西子贸易集团.")
        String organization;

        @Option(names = "--subject-serial", description = "Subject serialNumber attribute (2.5.4.5).")
        String subjectSerial;

        @Option(
                names = "--identity-extension",
                description = "GM/T 0015 identity code extension (" + UserBuilder.GMT_0015_IDENTITY_CODE + ").")
        String identity;

        @Option(names = "--extension", description = "Any extension OID=value, as a UTF8String.")
        List<String> extensions = List.of();

        @Option(names = "--not-before", converter = Options.Time.class, description = "2026-01-01 or an instant.")
        Instant notBefore;

        @Option(names = "--not-after", converter = Options.Time.class, description = "2027-01-01 or an instant.")
        Instant notAfter;

        @Option(
                names = "--key-usage",
                split = ",",
                converter = Options.Usage.class,
                description = "Key usage names (default digitalSignature,nonRepudiation).")
        List<Integer> keyUsage;

        @Option(names = "--no-key-usage", description = "Leave the key usage extension out.")
        boolean noKeyUsage;

        @Option(names = "--key-algorithm", converter = Options.Algorithm.class, description = "User key type.")
        KeyAlgorithm keyAlgorithm;

        @Option(names = "--crl-url", description = "CRL distribution point (default: the CA's).")
        String crlUrl;

        @Option(names = "--ocsp-url", description = "OCSP responder URL (default: the CA's).")
        String ocspUrl;

        Credential issue(TestCa ca) {
            if (commonName == null || commonName.isBlank()) {
                throw new IllegalArgumentException("missing --cn, the user's common name");
            }
            UserBuilder builder = ca.user(commonName)
                    .organization(organization)
                    .subjectSerialNumber(subjectSerial)
                    .keyAlgorithm(keyAlgorithm)
                    .notBefore(notBefore)
                    .notAfter(notAfter);
            if (identity != null) {
                builder.utf8Extension(UserBuilder.GMT_0015_IDENTITY_CODE, identity);
            }
            for (String extension : extensions) {
                int eq = extension.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--extension takes OID=value, not " + extension);
                }
                builder.utf8Extension(extension.substring(0, eq), extension.substring(eq + 1));
            }
            if (noKeyUsage) {
                builder.noKeyUsage();
            } else if (keyUsage != null) {
                builder.keyUsage(keyUsage.stream().reduce(0, (a, b) -> a | b));
            }
            if (crlUrl != null) {
                builder.crlDistributionPoint(crlUrl);
            }
            if (ocspUrl != null) {
                builder.ocspResponder(ocspUrl);
            }
            return builder.issue();
        }
    }
}
