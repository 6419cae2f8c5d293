package org.cagate.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cagate.demo.DemoData.AccountSpec;
import org.cagate.demo.DemoData.ProviderSpec;
import org.cagate.demo.DemoPki.DemoKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./demo [--port 8080] [--agent-port 21777] [--data demo-data]}: starts the demo until Ctrl-C. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "cagate demo: the platform on H2, four test CAs, 西子's keys and the local agent.")
public final class DemoMain implements Callable<Integer> {

    @Option(names = "--port", description = "the platform's port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--agent-port", description = "the agent's port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int agentPort = 21777;

    @Option(names = "--data", description = "data folder, reused by the next start (default ${DEFAULT-VALUE})")
    Path data = Path.of("demo-data");

    @Option(names = "--host", description = "host name in the platform's URL (default ${DEFAULT-VALUE})")
    String host = "localhost";

    public static void main(String[] args) {
        int code = new CommandLine(new DemoMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("cagate demo: starting (first start makes the test CAs and keys) ...");
        Demo demo;
        try {
            demo = Demo.start(new DemoOptions(data, port, agentPort, host, Map.of()));
        } catch (Exception e) {
            System.err.println("cagate demo did not start: " + rootMessage(e));
            System.err.println(hint(e, data));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println(
                                    "cagate demo: stopping 示例应用, the agent, the server and the CRL/OCSP server ...");
                            demo.close();
                            out.println("cagate demo: stopped; data kept in " + demo.dataFolder());
                            stopped.countDown();
                        },
                        "cagate-demo-shutdown"));
        out.print(summary(demo));
        stopped.await();
        return 0;
    }

    /** What a newcomer needs to try the seed's steps: URL, accounts, providers, keys and PINs. */
    static String summary(Demo demo) {
        StringBuilder text = new StringBuilder("\n")
                .append("cagate demo is running: ")
                .append(demo.url())
                .append("/login\n")
                .append("示例应用 (single sign-on sample, a tile of 应用中心): ")
                .append(demo.sampleAppUrl())
                .append("\n\n")
                .append("Accounts (账号登录):\n");
        account(text, DemoData.XIZI, "ORG_ADMIN of " + DemoData.ORGANIZATION + " (培训省本级): the seed's account");
        account(text, DemoData.DONGZI, "employee of " + DemoData.ORGANIZATION);
        account(text, DemoData.OPERATOR, "platform operator (regions, CA服务商)");
        text.append("\nCA providers and 西子's keys (PIN ")
                .append(DemoData.PIN)
                .append(" for every key; the agent serves them all):\n");
        for (DemoKey key : demo.pki().keys()) {
            ProviderSpec p = key.provider();
            text.append(String.format(
                    "  %-6s %-5s %-10s %s; revocation %s%n",
                    p.name(),
                    p.code(),
                    p.algorithm(),
                    key.onToken()
                            ? "SoftHSM2 token " + key.tokenLabel() + ", serial (CA锁ID) " + DemoData.TOKEN_SERIAL
                            : key.onSkf()
                                    ? "soft SKF token " + DemoPki.SKF_DEVICE
                                            + " (GM/T 0016 test token), serial (CA锁ID) " + DemoData.SKF_SERIAL
                                    : "PKCS#12 " + key.pkcs12Folder().resolve(DemoPki.KEY_FILE),
                    p.revocation()));
        }
        Path data = demo.dataFolder();
        try {
            Demo.agentZip()
                    .ifPresent(zip -> text.append("\n客户端&驱动下载 (")
                            .append(demo.url())
                            .append("/drivers) offers the agent package ")
                            .append(zip));
        } catch (java.io.IOException e) {
            // the summary only mentions the package when it can see it
        }
        text.append("\nAgent (证书驱动 + 签章服务): http://127.0.0.1:")
                .append(demo.agentPort())
                .append(", log ")
                .append(data.resolve("agent").resolve("agent-console.log"))
                .append("\n签章 time-stamps (PAdES B-T, test TSA): ")
                .append(demo.pki().tsaUrl())
                .append("\nServer log: ")
                .append(data.resolve("logs").resolve("server.log"))
                .append("\nData folder (reused by the next start; delete it to start over): ")
                .append(data)
                .append("\n\nTry: log in as 西子 → 系统管理 → CA管理 › CA绑定与解绑 → 绑定CA (姓名 西子, CA服务商, PIN ")
                .append(DemoData.PIN)
                .append(") → 退出 → CA 登录;\n     电子签章 › 印章管理 (upload a PNG/JPEG seal) → 签章 (a PDF, PIN ")
                .append(DemoData.PIN)
                .append(") → 验章.\nPress Ctrl-C to stop.\n");
        return text.toString();
    }

    private static void account(StringBuilder text, AccountSpec account, String what) {
        text.append(String.format(
                "  %-6s login %-9s password %-20s %s%n",
                account.displayName(), account.loginName(), account.password(), what));
    }

    /** "Ports in use?" only when a port was in use; otherwise where the details are. */
    static String hint(Throwable e, Path data) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException) {
                return "(a port is in use: try --port / --agent-port, or stop what listens there; logs in "
                        + data.toAbsolutePath() + ")";
            }
        }
        return "(details in " + data.toAbsolutePath().resolve("logs").resolve("server.log") + ")";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
