package org.cagate.server;

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

    public static void main(String[] args) {
        SpringApplication.run(CagateServerApplication.class, args);
    }
}
