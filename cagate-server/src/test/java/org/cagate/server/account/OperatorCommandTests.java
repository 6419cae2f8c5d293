package org.cagate.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The operator command line ({@code java -jar ... operator ...}) on the database of the running test
 * server, as the operator of an installation would run it beside a server that nobody can sign in to.
 */
@CagateServerTest
class OperatorCommandTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    private record Run(int status, String out, String err) {}

    private Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--spring.datasource.url=" + databaseUrl;
        all[args.length + 1] = "--cagate.public-origin=https://platform.example.gov.cn";
        all[args.length + 2] = "--cagate.ca.expiry-summary-cron=-";
        int status = OperatorCommand.run(
                all,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Holds the operator back from every address: 4 wrong from one, then 10 from as many others. */
    private void holdBack(TestAccount operator) {
        for (int i = 0; i < 14; i++) {
            ApiClient.on(port)
                    .fromIp("198.51.102." + (i < 4 ? 1 : i))
                    .post("/api/auth/password", Map.of("loginName", operator.loginName(), "password", "Guess-" + i));
        }
        assertThat(ApiClient.on(port)
                        .post(
                                "/api/auth/password",
                                Map.of("loginName", operator.loginName(), "password", operator.password()))
                        .code())
                .isEqualTo("ACCOUNT_LOCKED");
    }

    @Test
    void unlockWhenOperatorHeldBackEverywhereThenSignsInAgainAndAudited() {
        TestAccount operator = fixtures.platformAdmin();
        holdBack(operator);

        Run listed = run("", "list");
        Run unlocked = run("", "unlock", operator.loginName());

        assertThat(listed.status()).isZero();
        assertThat(listed.out()).contains(operator.loginName() + "\t").contains("held back until");
        assertThat(unlocked.status()).as(unlocked.err()).isZero();
        assertThat(unlocked.out()).contains("unlocked " + operator.loginName());
        ApiClient.on(port).login(operator.loginName(), operator.password());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE subject_account_id = :id"
                                + " AND action = 'ACCOUNT_UNLOCKED' AND detail LIKE 'command line%'")
                        .param("id", operator.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void resetPasswordWhenForgottenThenNewPasswordWorksOldOneNotAndSessionsEnd() {
        TestAccount operator = fixtures.platformAdmin();
        ApiClient before = ApiClient.on(port).login(operator.loginName(), operator.password());
        holdBack(operator);

        Run reset = run("New-Operator-Pass-22!\nNew-Operator-Pass-22!\n", "reset-password", operator.loginName());

        assertThat(reset.status()).as(reset.err()).isZero();
        assertThat(before.get("/api/me").status()).as("the old session ended").isEqualTo(401);
        ApiClient.on(port).login(operator.loginName(), "New-Operator-Pass-22!");
        assertThat(ApiClient.on(port)
                        .post(
                                "/api/auth/password",
                                Map.of("loginName", operator.loginName(), "password", operator.password()))
                        .code())
                .isEqualTo("BAD_CREDENTIALS");
    }

    @Test
    void resetPasswordWhenWeakOrNotRepeatedOrUnknownNameThenNothingChanges() {
        TestAccount operator = fixtures.platformAdmin();

        Run weak = run("abc\nabc\n", "reset-password", operator.loginName());
        Run differ = run("New-Operator-Pass-22!\nOther-Operator-Pass-22!\n", "reset-password", operator.loginName());
        Run unknown = run("", "unlock", "NOBODY" + Fixtures.unique());
        Run usage = run("", "unlock");

        assertThat(weak.status()).isEqualTo(1);
        assertThat(weak.err()).contains("password refused");
        assertThat(differ.status()).isEqualTo(1);
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("usage:");
        ApiClient.on(port).login(operator.loginName(), operator.password());
    }
}
