package org.cagate.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cagate.agent.Pkcs11Module.Slot;
import sun.security.pkcs11.wrapper.CK_INFO;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * {@code --diagnose}: what the agent sees, for a help desk on the phone with a user. Modules and
 * whether they load, slots and tokens with their PIN state, certificates with their expiry. Never
 * asks for a PIN and never signs.
 */
final class Diagnose {
    private final AgentConfig config;
    private final Clock clock;
    private final PrintStream out;

    Diagnose(AgentConfig config, Clock clock, PrintStream out) {
        this.config = config;
        this.clock = clock;
        this.out = out;
    }

    void run() {
        out.println("cagate-agent " + Agent.version() + " diagnose at " + clock.instant());
        out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("allowed origins: " + (config.allowedOrigins().isEmpty() ? "(none)" : config.allowedOrigins()));
        out.println("port " + config.port() + ": " + portState(config.port()));
        out.println("wrong-PIN delay: " + config.wrongPinDelay().toMillis() + " ms");
        for (ProviderConfig provider : config.providers()) {
            out.println();
            switch (provider.backend()) {
                case PKCS11 -> pkcs11(provider);
                case PKCS12 -> pkcs12(provider);
                case SKF -> new SkfDiagnose(provider, out, this::certificate).run();
            }
        }
    }

    private void pkcs11(ProviderConfig provider) {
        out.println("provider " + provider.code() + " " + provider.name() + ": PKCS#11 " + provider.library()
                + (provider.tokenLabel() == null ? "" : ", token label " + provider.tokenLabel())
                + (provider.slot() == null ? "" : ", slot " + provider.slot())
                + (provider.maxPinRetries() == null ? "" : ", maxPinRetries " + provider.maxPinRetries()));
        Pkcs11Module module = Pkcs11Module.of(provider.library());
        module.lock().lock();
        try {
            CK_INFO info = module.p11().C_GetInfo();
            out.println("  module loaded: " + Pkcs11Module.text(info.manufacturerID) + " / "
                    + Pkcs11Module.text(info.libraryDescription) + " " + info.libraryVersion
                    + ", Cryptoki " + info.cryptokiVersion);
            List<Slot> slots = module.slots();
            if (slots.isEmpty()) {
                out.println("  no token present (未检测到密钥盘)");
            }
            for (Slot slot : slots) {
                boolean configured = (provider.slot() == null || provider.slot() == slot.id())
                        && (provider.tokenLabel() == null
                                || provider.tokenLabel().equals(slot.label()));
                out.println("  slot " + slot.id() + ": token \"" + slot.label() + "\" serial " + slot.serial()
                        + " (" + slot.manufacturer() + " " + slot.model() + ")"
                        + (configured ? "" : " [not this provider's token]"));
                out.println("    PIN: " + pinState(slot.flags()));
                for (X509Certificate c : module.certificates(slot.id())) {
                    certificate(c);
                }
            }
        } catch (AgentException | PKCS11Exception e) {
            out.println("  module NOT usable: " + e.getMessage());
        } finally {
            module.lock().unlock();
        }
    }

    private void pkcs12(ProviderConfig provider) {
        out.println("provider " + provider.code() + " " + provider.name() + ": PKCS#12 folder " + provider.folder());
        Pkcs12Backend backend = new Pkcs12Backend(provider, clock);
        List<Path> files = backend.files();
        if (files.isEmpty()) {
            out.println("  no .p12 / .pfx file (未检测到证书文件)");
        }
        List<Token> tokens = backend.tokens();
        for (Token token : tokens) {
            out.println("  file " + token.id());
            if (token.certificatesNeedPin()) {
                out.println("    certificates are protected by the PIN");
            } else if (token.certificates().isEmpty()) {
                out.println("    no user certificate (or the file cannot be read)");
            }
            token.certificates().forEach(this::certificate);
        }
    }

    private void certificate(X509Certificate c) {
        Instant now = clock.instant();
        Instant notAfter = c.getNotAfter().toInstant();
        String state = now.isAfter(notAfter)
                ? "EXPIRED"
                : now.isBefore(c.getNotBefore().toInstant())
                        ? "NOT YET VALID"
                        : Duration.between(now, notAfter).toDays() + " days left";
        out.println("    certificate " + c.getSubjectX500Principal().getName());
        out.println("      issuer " + c.getIssuerX500Principal().getName() + ", serial "
                + c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));
        out.println("      valid " + c.getNotBefore().toInstant() + " to " + notAfter + " (" + state + ")"
                + (Certificates.canSign(c) ? "" : ", not for signing"));
    }

    static String pinState(long flags) {
        List<String> states = new ArrayList<>();
        if ((flags & PinRetries.CKF_USER_PIN_LOCKED) != 0) {
            states.add("LOCKED");
        }
        if ((flags & PinRetries.CKF_USER_PIN_FINAL_TRY) != 0) {
            states.add("final try");
        }
        if ((flags & PinRetries.CKF_USER_PIN_COUNT_LOW) != 0) {
            states.add("wrong PIN entered since the last right one");
        }
        return states.isEmpty() ? "ok" : String.join(", ", states);
    }

    private static String portState(int port) {
        if (port == 0) {
            return "any free port";
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
            return "free";
        } catch (IOException e) {
            return "in use (an agent already running?)";
        }
    }
}
