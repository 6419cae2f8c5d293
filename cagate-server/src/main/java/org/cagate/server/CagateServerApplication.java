package org.cagate.server;

import org.cagate.server.account.OperatorCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The cagate server: one executable for every node; all shared state lives in the database. */
// Accounts live in our tables and log in through AuthController: no generated in-memory user.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class CagateServerApplication {

    /** Starts the server; {@code operator ...} runs the operator command line instead ({@link OperatorCommand}). */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("operator")) {
            System.exit(OperatorCommand.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
        }
        SpringApplication.run(CagateServerApplication.class, args);
    }
}
