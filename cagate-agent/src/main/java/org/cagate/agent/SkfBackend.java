package org.cagate.agent;

import com.sun.jna.Pointer;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import org.cagate.agent.ProviderConfig.SkfSelection;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;

/**
 * 国密 USB keys through the CA company's SKF library (GM/T 0016). Every call enumerates the devices
 * again and connects afresh, so a key pulled out and put back between requests is seen at once. A
 * signature: the signing certificate is found among the applications and containers, the PIN counter is
 * read (a locked key gets no PIN), the user PIN is verified (the key's own retry counter comes back),
 * the container signs the hash the agent made, and the security state is cleared, the container,
 * application and device closed, whatever happened.
 */
final class SkfBackend implements Backend {
    private static final Logger LOG = Logger.getLogger(SkfBackend.class.getName());

    private final ProviderConfig config;
    private final Clock clock;

    /** A signing certificate found on a key, and where it is. */
    record Entry(byte[] application, byte[] container, int type, X509Certificate certificate) {}

    /** A device present now: its name in the library's list and what SKF_GetDevInfo says. */
    record Device(byte[] name, Skf.DeviceInfo info, String id) {}

    SkfBackend(ProviderConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ProviderConfig config() {
        return config;
    }

    @Override
    public List<Token> tokens() throws AgentException {
        Skf skf = Skf.load(config.library());
        skf.lock().lock();
        try {
            List<Token> tokens = new ArrayList<>();
            for (Device device : devices(skf)) {
                Pointer handle = connect(skf, device);
                try {
                    List<X509Certificate> certificates = entries(skf, handle).stream()
                            .map(Entry::certificate)
                            .filter(c -> !Certificates.isCa(c))
                            .toList();
                    tokens.add(token(device, certificates));
                } catch (SkfException e) {
                    // pulled out while being listed: not there
                } finally {
                    skf.disconnect(handle);
                }
            }
            return tokens;
        } finally {
            skf.lock().unlock();
        }
    }

    @Override
    public Token token(String tokenId) throws AgentException {
        Skf skf = Skf.load(config.library());
        skf.lock().lock();
        try {
            return token(find(skf, tokenId), List.of());
        } finally {
            skf.lock().unlock();
        }
    }

    @Override
    public DetachedSignature sign(
            Token token, String certificateId, char[] pin, Signing signing, boolean finalTryConfirmed)
            throws AgentException {
        Skf skf = Skf.load(config.library());
        skf.lock().lock();
        try {
            Connected connected = connect(skf, token.id());
            Device device = connected.device();
            try {
                Entry entry = choose(skf, connected.handle(), certificateId);
                Pointer application = skf.openApplication(connected.handle(), entry.application());
                try {
                    int retriesLeft = retriesLeft(skf, application);
                    if (retriesLeft == 0) {
                        throw AgentException.pinLocked();
                    }
                    // The key's last try is the person's: read in the same look at the key as the PIN is sent.
                    if (retriesLeft == 1 && !finalTryConfirmed) {
                        throw AgentException.pinFinalTry();
                    }
                    skf.verifyPin(application, pin);
                    try {
                        return signUnlocked(skf, application, entry, signing);
                    } finally {
                        skf.clearSecureState(application);
                    }
                } finally {
                    skf.closeApplication(application);
                }
            } catch (SkfException e) {
                throw failure(device, e);
            } finally {
                skf.disconnect(connected.handle());
            }
        } finally {
            skf.lock().unlock();
        }
    }

    /**
     * The PIN tries left, or -1 when the library does not say (a vendor without SKF_GetPINInfo): then the
     * PIN is sent, and a locked key refuses it itself.
     */
    private static int retriesLeft(Skf skf, Pointer application) throws SkfException {
        try {
            return skf.pinInfo(application).retriesLeft();
        } catch (SkfException e) {
            if (e.code() == Sar.DEVICE_REMOVED) {
                throw e;
            }
            LOG.fine(() -> "no PIN counter before the PIN: " + e.getMessage());
            return -1;
        }
    }

    private DetachedSignature signUnlocked(Skf skf, Pointer application, Entry entry, Signing signing)
            throws SkfException, AgentException {
        Pointer container = skf.openContainer(application, entry.container());
        try {
            SkfSigning.Key key = entry.type() == Skf.CONTAINER_RSA
                    ? new SkfSigning.Key("RSA", entry.certificate(), hash -> skf.rsaSign(container, hash))
                    : new SkfSigning.Key("SM2", entry.certificate(), hash -> skf.eccSign(container, hash));
            return signing.with(Signer.of(key, entry.certificate())
                    .provider(SkfSigning.Provider.INSTANCE)
                    .chain(List.of())
                    .clock(clock));
        } catch (SigningException e) {
            SkfException cause = skfCause(e);
            if (cause != null) {
                throw cause;
            }
            throw new AgentException(ErrorCode.AGENT_ERROR, "SKF signature failed: " + e.getMessage(), e);
        } finally {
            skf.closeContainer(container);
        }
    }

    private Entry choose(Skf skf, Pointer device, String certificateId) throws SkfException, AgentException {
        List<Entry> entries = entries(skf, device);
        X509Certificate chosen = Certificates.choose(
                        entries.stream().map(Entry::certificate).toList(), certificateId, clock.instant())
                .orElseThrow(() -> AgentException.withMessage(
                        ErrorCode.TOKEN_NOT_FOUND,
                        "密钥盘中没有可用于签名的证书",
                        "no signing certificate in the SKF containers of " + config.library()));
        return entries.stream()
                .filter(e -> e.certificate().equals(chosen))
                .findFirst()
                .orElseThrow();
    }

    /** Every signing certificate in the configured (or every) application and container of a device. */
    List<Entry> entries(Skf skf, Pointer device) throws SkfException {
        SkfSelection selection = config.skf();
        List<Entry> entries = new ArrayList<>();
        for (byte[] appName : skf.applications(device)) {
            if (selection.application() != null && !selection.application().equals(skf.text(appName))) {
                continue;
            }
            Pointer application = skf.openApplication(device, appName);
            try {
                for (byte[] containerName : skf.containers(application)) {
                    if (selection.container() != null && !selection.container().equals(skf.text(containerName))) {
                        continue;
                    }
                    Entry entry = entry(skf, application, appName, containerName);
                    if (entry != null) {
                        entries.add(entry);
                    }
                }
            } finally {
                skf.closeApplication(application);
            }
        }
        return entries;
    }

    /** The container's signing certificate, or null for an empty container or one without a certificate. */
    private static Entry entry(Skf skf, Pointer application, byte[] appName, byte[] containerName) throws SkfException {
        Pointer container = skf.openContainer(application, containerName);
        try {
            int type = skf.containerType(container);
            if (type != Skf.CONTAINER_RSA && type != Skf.CONTAINER_ECC) {
                return null;
            }
            byte[] der;
            try {
                der = skf.signingCertificate(container);
            } catch (SkfException e) {
                if (e.code() == Sar.DEVICE_REMOVED) {
                    throw e;
                }
                return null; // a container with a key and no signing certificate (yet)
            }
            X509Certificate certificate = certificate(der);
            return certificate == null ? null : new Entry(appName, containerName, type, certificate);
        } finally {
            skf.closeContainer(container);
        }
    }

    private List<Device> devices(Skf skf) throws AgentException {
        List<byte[]> names;
        try {
            names = skf.devices();
        } catch (SkfException e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, e.getMessage(), e);
        }
        List<Device> devices = new ArrayList<>();
        for (byte[] name : names) {
            try {
                Pointer handle = skf.connect(name);
                try {
                    Device device = device(skf, name, handle);
                    if (device != null) {
                        devices.add(device);
                    }
                } finally {
                    skf.disconnect(handle);
                }
            } catch (SkfException e) {
                // pulled out between the list and the connect: not there
            }
        }
        return devices;
    }

    private Device find(Skf skf, String tokenId) throws AgentException {
        Connected connected = connect(skf, tokenId);
        skf.disconnect(connected.handle());
        return connected.device();
    }

    /** A device present now and connected, with the handle to disconnect. */
    private record Connected(Device device, Pointer handle) {}

    /**
     * The device whose id is given (or the first present), found and left connected in one pass over the
     * library's list: a signature looks at the key once.
     */
    private Connected connect(Skf skf, String tokenId) throws AgentException {
        List<byte[]> names;
        try {
            names = skf.devices();
        } catch (SkfException e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, e.getMessage(), e);
        }
        for (byte[] name : names) {
            Pointer handle;
            try {
                handle = skf.connect(name);
            } catch (SkfException e) {
                continue; // pulled out between the list and the connect: not there
            }
            boolean keep = false;
            try {
                Device device = device(skf, name, handle);
                if (device != null && (tokenId == null || tokenId.equals(device.id()))) {
                    keep = true;
                    return new Connected(device, handle);
                }
            } catch (SkfException e) {
                // pulled out while being looked at: not there
            } finally {
                if (!keep) {
                    skf.disconnect(handle);
                }
            }
        }
        throw new AgentException(
                ErrorCode.TOKEN_NOT_FOUND,
                "no SKF device" + (tokenId == null ? "" : " with serial " + tokenId)
                        + (config.skf().application() == null
                                ? ""
                                : " with application " + config.skf().application())
                        + " in " + config.library());
    }

    /** The device behind a connected handle, or null when it lacks the configured application. */
    private Device device(Skf skf, byte[] name, Pointer handle) throws SkfException {
        Skf.DeviceInfo info = skf.info(handle);
        String id = info.serial().isEmpty() ? skf.text(name) : info.serial();
        if (config.skf().application() == null
                || skf.applications(handle).stream()
                        .anyMatch(a -> config.skf().application().equals(skf.text(a)))) {
            return new Device(name, info, id);
        }
        return null;
    }

    private static Pointer connect(Skf skf, Device device) throws AgentException {
        try {
            return skf.connect(device.name());
        } catch (SkfException e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "device left: " + e.getMessage(), e);
        }
    }

    private static Token token(Device device, List<X509Certificate> certificates) {
        String label =
                device.info().label().isEmpty() ? device.id() : device.info().label();
        return new Token(
                device.id(),
                label,
                device.info().serial().isEmpty() ? null : device.info().serial(),
                certificates);
    }

    /** SAR codes as the page's errors: the key's own retry counter, a lock, a key pulled out. */
    private static AgentException failure(Device device, SkfException e) {
        return switch (e.code()) {
            case Sar.PIN_INCORRECT, Sar.PIN_INVALID, Sar.PIN_LEN_RANGE ->
                e.retriesLeft() != null && e.retriesLeft() == 0
                        ? AgentException.pinLocked()
                        : AgentException.pinIncorrect(e.retriesLeft());
            case Sar.PIN_LOCKED -> AgentException.pinLocked();
            case Sar.DEVICE_REMOVED ->
                new AgentException(
                        ErrorCode.TOKEN_NOT_FOUND, "SKF device " + device.id() + " removed: " + e.getMessage(), e);
            default ->
                new AgentException(ErrorCode.AGENT_ERROR, "SKF device " + device.id() + ": " + e.getMessage(), e);
        };
    }

    private static SkfException skfCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SkfException skf) {
                return skf;
            }
        }
        return null;
    }

    /** Certificates read from keys, by DER: a key's certificate is read on every request. */
    private static final Map<ByteBuffer, X509Certificate> PARSED =
            Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, X509Certificate> eldest) {
                    return size() > 64;
                }
            });

    static X509Certificate certificate(byte[] der) {
        X509Certificate known = PARSED.get(ByteBuffer.wrap(der));
        if (known != null) {
            return known;
        }
        X509Certificate parsed = parse(der);
        if (parsed != null) {
            PARSED.put(ByteBuffer.wrap(der.clone()), parsed);
        }
        return parsed;
    }

    private static X509Certificate parse(byte[] der) {
        try {
            // Bouncy Castle's factory: the JDK's cannot give an SM2 certificate's public key.
            return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.provider())
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            return null;
        }
    }

    @Override
    public void close() {}
}
