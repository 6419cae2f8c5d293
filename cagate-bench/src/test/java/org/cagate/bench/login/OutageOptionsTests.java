package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutageOptionsTests {

    @Test
    void parseWhenNoServerArgsThenEveryThrottleLimitIsOutOfReach() {
        OutageBenchmark.Options options = OutageBenchmark.Options.parse(new String[] {"--users=500"});

        assertThat(options.serverArgs())
                .containsExactlyInAnyOrder(
                        "--cagate.ca.login.per-key-limit=1000000",
                        "--cagate.ca.login.per-ip-limit=1000000",
                        "--cagate.ca.challenge-per-ip-limit=1000000");
        assertThat(options.describe()).contains("--cagate.ca.login.per-key-limit=1000000");
    }

    @Test
    void parseWhenALimitIsGivenThenItIsKeptAndNotGivenTwice() {
        OutageBenchmark.Options options =
                OutageBenchmark.Options.parse(new String[] {"--server-arg=--cagate.ca.login.per-key-limit=10"});

        assertThat(options.serverArgs())
                .filteredOn(arg -> arg.startsWith("--cagate.ca.login.per-key-limit="))
                .containsExactly("--cagate.ca.login.per-key-limit=10");
        assertThat(options.serverArgs()).hasSize(3);
    }
}
