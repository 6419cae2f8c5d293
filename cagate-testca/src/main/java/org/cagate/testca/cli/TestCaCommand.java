package org.cagate.testca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The test CA's command line: {@code java -jar cagate-testca-<version>-cli.jar init-ca --code ZJHX ...}.
 * For tests and demos only: CA keys are kept unprotected in the CA folder.
 */
@Command(
        name = "cagate-testca",
        mixinStandardHelpOptions = true,
        versionProvider = TestCaCommand.Version.class,
        description = "A working test CA for cagate: provider roots, user certificates (PKCS#12 or SoftHSM2 token), "
                + "revocation, CRLs and an OCSP responder. Never for production keys.",
        subcommands = {
            InitCaCommand.class,
            IssueCommand.class,
            RevokeCommand.class,
            CrlCommand.class,
            ServeCommand.class,
            SoftHsmCommand.class,
            SoftSkfCommand.class
        })
public final class TestCaCommand implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also what tests run (with their own out and err writers). */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new TestCaCommand());
        // Bad input is the user's to fix: one line, no stack trace.
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("error: " + message(e));
            err.flush();
            return e instanceof IllegalArgumentException || e instanceof IOException ? 2 : 1;
        });
        return line;
    }

    private static String message(Exception e) {
        String message = e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TestCaCommand.class.getPackage().getImplementationVersion();
            return new String[] {"cagate-testca " + (version != null ? version : "(development build)")};
        }
    }
}
