package org.cagate.agent;

import com.sun.jna.Pointer;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * The SKF part of {@code --diagnose}: whether the vendor library loads (and if not, why, in words a help
 * desk can act on), whether it exports the functions the agent calls, and every device, application
 * (with its PIN retries), container and signing certificate. Reads the PIN counter, never verifies a PIN.
 */
final class SkfDiagnose {
    private final ProviderConfig provider;
    private final PrintStream out;
    private final Consumer<X509Certificate> certificate;

    SkfDiagnose(ProviderConfig provider, PrintStream out, Consumer<X509Certificate> certificate) {
        this.provider = provider;
        this.out = out;
        this.certificate = certificate;
    }

    void run() {
        out.println("provider " + provider.code() + " " + provider.name() + ": SKF " + provider.library()
                + (provider.skf().application() == null
                        ? ""
                        : ", application " + provider.skf().application())
                + (provider.skf().container() == null
                        ? ""
                        : ", container " + provider.skf().container()));
        String architecture = SkfLoading.architecture(provider.library());
        Skf skf;
        try {
            skf = Skf.load(provider.library());
        } catch (AgentException e) {
            out.println("  library NOT loadable: " + e.detail().replaceFirst("^SKF library not loadable: ", ""));
            return;
        }
        List<String> missing = skf.missingFunctions();
        out.println("  library loaded" + (architecture == null ? "" : " (" + architecture + ")")
                + (missing.isEmpty()
                        ? ", all " + SkfLibrary.FUNCTIONS.length + " SKF functions the agent calls are exported"
                        : ", NOT an SKF library the agent can use: missing " + String.join(", ", missing)));
        if (!missing.isEmpty()) {
            return;
        }
        skf.lock().lock();
        try {
            List<byte[]> devices = skf.devices();
            if (devices.isEmpty()) {
                out.println("  no device present (未检测到密钥盘)");
            }
            for (byte[] name : devices) {
                device(skf, name);
            }
        } catch (SkfException e) {
            out.println("  " + e.getMessage());
        } finally {
            skf.lock().unlock();
        }
    }

    private void device(Skf skf, byte[] name) {
        Pointer device;
        try {
            device = skf.connect(name);
        } catch (SkfException e) {
            out.println("  device \"" + skf.text(name) + "\": " + e.getMessage());
            return;
        }
        try {
            Skf.DeviceInfo info = skf.info(device);
            out.println("  device \"" + skf.text(name) + "\": serial " + info.serial() + ", label \"" + info.label()
                    + "\" (" + info.manufacturer() + ")");
            for (byte[] appName : skf.applications(device)) {
                application(skf, device, appName);
            }
        } catch (SkfException e) {
            out.println("    " + e.getMessage());
        } finally {
            skf.disconnect(device);
        }
    }

    private void application(Skf skf, Pointer device, byte[] appName) throws SkfException {
        String name = skf.text(appName);
        boolean configured = provider.skf().application() == null
                || provider.skf().application().equals(name);
        Pointer application = skf.openApplication(device, appName);
        try {
            String pinState;
            try {
                Skf.PinInfo pin = skf.pinInfo(application);
                pinState = pin.retriesLeft() == 0
                        ? "LOCKED"
                        : pin.retriesLeft() + " of " + pin.maxRetries() + " tries left";
            } catch (SkfException e) {
                if (e.code() == Sar.DEVICE_REMOVED) {
                    throw e;
                }
                pinState = "tries left unknown (" + e.getMessage() + ")";
            }
            out.println("    application " + name + (configured ? "" : " [not this provider's application]")
                    + ": user PIN " + pinState);
            for (byte[] containerName : skf.containers(application)) {
                container(skf, application, skf.text(containerName), containerName);
            }
        } finally {
            skf.closeApplication(application);
        }
    }

    private void container(Skf skf, Pointer application, String name, byte[] containerName) throws SkfException {
        Pointer container = skf.openContainer(application, containerName);
        try {
            int type = skf.containerType(container);
            String kind = type == Skf.CONTAINER_ECC ? "SM2" : type == Skf.CONTAINER_RSA ? "RSA" : "empty";
            boolean configured = provider.skf().container() == null
                    || provider.skf().container().equals(name);
            out.println("      container " + name + " (" + kind + ")"
                    + (configured ? "" : " [not this provider's container]"));
            if (type == Skf.CONTAINER_ECC || type == Skf.CONTAINER_RSA) {
                try {
                    X509Certificate c = SkfBackend.certificate(skf.signingCertificate(container));
                    if (c == null) {
                        out.println("    certificate: not a readable X.509 certificate");
                    } else {
                        certificate.accept(c);
                    }
                } catch (SkfException e) {
                    out.println("        no signing certificate: " + e.getMessage());
                }
            }
        } finally {
            skf.closeContainer(container);
        }
    }
}
