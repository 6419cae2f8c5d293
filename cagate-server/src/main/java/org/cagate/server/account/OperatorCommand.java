package org.cagate.server.account;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cagate.server.CagateServerApplication;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.throttle.LoginThrottle;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * {@code java -jar cagate-server-exec.jar operator <command> <login name> [--setting=value ...]}: what the
 * operator of the installation does without the web when the last platform operator cannot sign in. It
 * opens the configured database (the same settings and environment as the server; it listens on an
 * ephemeral port of 127.0.0.1 only, while it runs) and does one thing:
 *
 * <ul>
 *   <li>{@code list}: every platform operator, with its status and whether a login counter holds it back;
 *   <li>{@code unlock <name>}: forgets every password-login counter of the name and enables the account;
 *   <li>{@code reset-password <name>}: reads a new password (twice) from the console without echo, or
 *       two lines from standard input, sets it and ends the account's sessions; also unlocks.
 * </ul>
 *
 * Each change is audited ("command line" in the detail). Exit status 0 when done, 1 when the name is
 * unknown or the password refused, 2 for a wrong command line.
 */
public final class OperatorCommand {

    static final String USAGE = """
            usage: java -jar cagate-server-exec.jar operator list [--setting=value ...]
                   java -jar cagate-server-exec.jar operator unlock <login name> [--setting=value ...]
                   java -jar cagate-server-exec.jar operator reset-password <login name> [--setting=value ...]
            Settings (e.g. --spring.datasource.url=...) and environment variables are the server's.""";

    private OperatorCommand() {}

    /** Runs the command; {@code args} are those after "operator". Returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (String arg : args) {
            (arg.startsWith("--") ? settings : words).add(arg);
        }
        String command = words.isEmpty() ? "" : words.get(0);
        boolean named = command.equals("unlock") || command.equals("reset-password");
        if (!(command.equals("list") && words.size() == 1) && !(named && words.size() == 2)) {
            err.println(USAGE);
            return 2;
        }
        char[] password = null;
        if (command.equals("reset-password")) {
            password = readPassword(in, out, err);
            if (password == null) {
                return 1;
            }
        }
        settings.add("--spring.main.banner-mode=off");
        settings.add("--logging.level.root=WARN");
        // The whole application, so that every bean is the server's (Spring Session's repository needs the
        // servlet stack), but listening on an ephemeral loopback port only, for the few seconds this takes.
        settings.add("--server.port=0");
        settings.add("--server.address=127.0.0.1");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CagateServerApplication.class)
                .web(WebApplicationType.SERVLET)
                .run(settings.toArray(String[]::new))) {
            Tool tool = new Tool(context);
            return switch (command) {
                case "list" -> tool.list(out);
                case "unlock" -> tool.unlock(words.get(1), out, err);
                default -> tool.resetPassword(words.get(1), new String(password), out, err);
            };
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static char[] readPassword(InputStream in, PrintStream out, PrintStream err) {
        Console console = System.console();
        char[] first;
        char[] second;
        if (console != null && in == System.in) {
            first = console.readPassword("新密码 (new password): ");
            second = console.readPassword("再次输入 (again): ");
        } else {
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String a = reader.readLine();
                String b = reader.readLine();
                first = a == null ? null : a.toCharArray();
                second = b == null ? null : b.toCharArray();
            } catch (IOException e) {
                err.println("cannot read the new password: " + e.getMessage());
                return null;
            }
        }
        if (first == null || second == null || !Arrays.equals(first, second)) {
            err.println("the two passwords differ or are missing; nothing changed");
            return null;
        }
        return first;
    }

    /** The work, on the beans of the opened context. */
    private static final class Tool {
        private final AccountRepository accounts;
        private final LoginThrottle throttle;
        private final PasswordEncoder encoder;
        private final AuditLog audit;
        private final Clock clock;
        private final org.cagate.server.auth.SessionService sessions;

        Tool(ConfigurableApplicationContext context) {
            this.accounts = context.getBean(AccountRepository.class);
            this.throttle = context.getBean(LoginThrottle.class);
            this.encoder = context.getBean(PasswordEncoder.class);
            this.audit = context.getBean(AuditLog.class);
            this.clock = context.getBean(Clock.class);
            this.sessions = context.getBean(org.cagate.server.auth.SessionService.class);
        }

        int list(PrintStream out) {
            List<Account> operators = accounts.platformAdmins().stream()
                    .filter(a -> a.roles().contains(Role.PLATFORM_ADMIN))
                    .toList();
            for (Account a : operators) {
                out.println(a.loginName() + "\t" + a.displayName() + "\t" + a.status()
                        + (a.lockedAt(clock.instant()) ? "\theld back until " + a.lockedUntil() : ""));
            }
            if (operators.isEmpty()) {
                out.println(
                        "no platform operator; set cagate.bootstrap.admin.login-name and password and start the server");
            }
            return 0;
        }

        int unlock(String loginName, PrintStream out, PrintStream err) {
            Account account = accounts.findByLoginName(loginName).orElse(null);
            if (account == null) {
                err.println("no account " + loginName);
                return 1;
            }
            int cleared = throttle.clear(loginName);
            if (account.status() == AccountStatus.DISABLED) {
                accounts.setStatus(account.id(), AccountStatus.ACTIVE, clock.instant());
            }
            record(AuditAction.ACCOUNT_UNLOCKED, account, "command line; counters=" + cleared);
            out.println("unlocked " + loginName + " (" + cleared + " login counter(s) forgotten"
                    + (account.status() == AccountStatus.DISABLED ? ", enabled again" : "") + ")");
            return 0;
        }

        int resetPassword(String loginName, String password, PrintStream out, PrintStream err) {
            Account account = accounts.findByLoginName(loginName).orElse(null);
            if (account == null) {
                err.println("no account " + loginName);
                return 1;
            }
            String weakness = PasswordPolicy.problem(loginName, password);
            if (weakness != null) {
                err.println("password refused (" + weakness + "): use " + PasswordPolicy.MIN + "-" + PasswordPolicy.MAX
                        + " characters with three of lower case, upper case, digits and symbols, not containing the"
                        + " login name");
                return 1;
            }
            accounts.setPassword(account.id(), encoder.encode(password), clock.instant());
            sessions.revokeAll(loginName, null);
            record(AuditAction.PASSWORD_RESET, account, "command line");
            unlock(loginName, out, err);
            out.println("password of " + loginName + " set; its sessions ended");
            return 0;
        }

        private void record(AuditAction action, Account subject, String detail) {
            audit.record(AuditEvent.success(action)
                    .subject(subject.id())
                    .organization(subject.organizationId())
                    .detail(detail)
                    .build());
        }
    }
}
