package org.cagate.agent;

import static org.cagate.agent.Cryptoki.CKA_CLASS;
import static org.cagate.agent.Cryptoki.CKA_VALUE;
import static org.cagate.agent.Cryptoki.CKF_OS_LOCKING_OK;
import static org.cagate.agent.Cryptoki.CKF_SERIAL_SESSION;
import static org.cagate.agent.Cryptoki.CKF_TOKEN_INITIALIZED;
import static org.cagate.agent.Cryptoki.CKO_CERTIFICATE;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.cagate.pki.BouncyCastle;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * One PKCS#11 module (a .so/.dll) as the JDK loads it: once per process, shared by SunPKCS11 and by us.
 * SunPKCS11 binds a provider to a slot when it is created and hides token flags, so the agent reads
 * slots and tokens itself through the JDK's wrapper (exported with --add-exports) on every call, and
 * keeps SunPKCS11 only for keys and signatures.
 *
 * <p>A module that did not see a key come back (SoftHSM2 marks a token it lost broken until it is
 * initialised again; some vendor modules list slots only at initialisation) is finalised and
 * initialised again when a wanted token is missing: {@link #rescan()}. The JDK keeps C_Initialize
 * package-private, so it is called reflectively (--add-opens). SunPKCS11 providers made before a rescan
 * hold session handles that the new initialisation may hand out again; they are retired, never used
 * again, and kept reachable so that the JDK's session cleaner never closes a reused handle.
 *
 * <p>All methods are called with {@link #lock()} held: a UKey does one thing at a time, and a rescan
 * must not pull the module from under a signature.
 */
final class Pkcs11Module {
    private static final Logger LOG = Logger.getLogger(Pkcs11Module.class.getName());
    private static final Map<Path, Pkcs11Module> MODULES = new ConcurrentHashMap<>();

    /** A token present in a slot now. */
    record Slot(long id, String label, String serial, long flags, String manufacturer, String model) {}

    private final Path library;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<Long, CachedProvider> providers = new HashMap<>();
    private final List<Provider> retired = new ArrayList<>();
    private PKCS11 p11;
    private int rescans;

    private record CachedProvider(String serial, Provider provider) {}

    private Pkcs11Module(Path library) {
        this.library = library;
    }

    /** The module for a library path; one per process, whichever providers name it. */
    static Pkcs11Module of(Path library) {
        return MODULES.computeIfAbsent(library.toAbsolutePath().normalize(), Pkcs11Module::new);
    }

    ReentrantLock lock() {
        return lock;
    }

    Path library() {
        return library;
    }

    int rescans() {
        return rescans;
    }

    /** Loads the module on first use; a driver installed after the agent started is picked up here. */
    PKCS11 p11() throws AgentException {
        if (p11 == null) {
            if (!Files.isRegularFile(library)) {
                throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "PKCS#11 module not installed: " + library);
            }
            CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
            args.flags = CKF_OS_LOCKING_OK;
            try {
                p11 = PKCS11.getInstance(library.toString(), "C_GetFunctionList", args, false);
            } catch (IOException | PKCS11Exception e) {
                throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "cannot load PKCS#11 module " + library, e);
            }
        }
        return p11;
    }

    /** Initialised tokens present now. A slot whose token errors (removed, broken) counts as empty. */
    List<Slot> slots() throws AgentException {
        PKCS11 module = p11();
        long[] ids;
        try {
            ids = module.C_GetSlotList(true);
        } catch (PKCS11Exception e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "C_GetSlotList failed: " + e.getMessage(), e);
        }
        List<Slot> slots = new ArrayList<>();
        for (long id : ids) {
            try {
                CK_TOKEN_INFO info = module.C_GetTokenInfo(id);
                if ((info.flags & CKF_TOKEN_INITIALIZED) != 0) {
                    slots.add(new Slot(
                            id,
                            text(info.label),
                            text(info.serialNumber),
                            info.flags,
                            text(info.manufacturerID),
                            text(info.model)));
                }
            } catch (PKCS11Exception e) {
                LOG.fine(() -> "slot " + id + " of " + library + ": " + e.getMessage());
            }
        }
        return slots;
    }

    /** The token flags now (PIN count low / final try / locked), or -1 when the token is gone. */
    long flags(long slot) {
        try {
            return p11().C_GetTokenInfo(slot).flags;
        } catch (PKCS11Exception | AgentException e) {
            return -1;
        }
    }

    /**
     * Finalises and initialises the module again, so it looks for tokens afresh. Returns false when the
     * JVM was started without access to C_Initialize; the agent then sees only what the module reports.
     */
    boolean rescan() {
        if (p11 == null) {
            return false;
        }
        Method initialize;
        try {
            initialize = PKCS11.class.getDeclaredMethod("C_Initialize", Object.class);
            initialize.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot re-initialise " + library + " (start with --add-opens?)", e);
            return false;
        }
        for (CachedProvider cached : providers.values()) {
            retired.add(cached.provider());
        }
        providers.clear();
        try {
            p11.C_Finalize(null);
        } catch (PKCS11Exception e) {
            LOG.fine(() -> "C_Finalize: " + e.getMessage());
        }
        CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
        args.flags = CKF_OS_LOCKING_OK;
        try {
            initialize.invoke(p11, args);
        } catch (IllegalAccessException | InvocationTargetException e) {
            LOG.log(Level.WARNING, "re-initialising " + library + " failed", e);
            return false;
        }
        rescans++;
        return true;
    }

    /**
     * The SunPKCS11 provider for the token in a slot, made for that token: a different token in the same
     * slot (another serial) gets a fresh provider.
     */
    Provider provider(Slot slot) {
        CachedProvider cached = providers.get(slot.id());
        if (cached != null && cached.serial().equals(slot.serial())) {
            return cached.provider();
        }
        if (cached != null) {
            retired.add(cached.provider());
        }
        String config = "--name=cagate-" + slot.id() + "\nlibrary=" + library + "\nslot=" + slot.id() + "\n";
        Provider provider = Security.getProvider("SunPKCS11").configure(config);
        providers.put(slot.id(), new CachedProvider(slot.serial(), provider));
        return provider;
    }

    /** Drops the provider of a slot after it failed; the next signature gets a fresh one. */
    void retire(Slot slot) {
        CachedProvider cached = providers.remove(slot.id());
        if (cached != null) {
            retired.add(cached.provider());
        }
    }

    long openSession(long slot) throws PKCS11Exception, AgentException {
        return p11().C_OpenSession(slot, CKF_SERIAL_SESSION, null, null);
    }

    /** The certificates on a token; public objects, readable without the PIN. */
    List<X509Certificate> certificates(long slot) throws AgentException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            PKCS11 module = p11();
            long session = openSession(slot);
            try {
                module.C_FindObjectsInit(session, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_CLASS, CKO_CERTIFICATE)});
                long[] objects;
                try {
                    objects = module.C_FindObjects(session, 64);
                } finally {
                    module.C_FindObjectsFinal(session);
                }
                // Bouncy Castle parses SM2 certificates, which the JDK's factory refuses.
                CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
                for (long object : objects) {
                    CK_ATTRIBUTE[] value = {new CK_ATTRIBUTE(CKA_VALUE)};
                    module.C_GetAttributeValue(session, object, value);
                    try {
                        certificates.add((X509Certificate)
                                factory.generateCertificate(new ByteArrayInputStream(value[0].getByteArray())));
                    } catch (CertificateException e) {
                        LOG.fine(() -> "skipping an unreadable certificate on slot " + slot);
                    }
                }
            } finally {
                module.C_CloseSession(session);
            }
        } catch (PKCS11Exception | CertificateException e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "cannot read certificates of slot " + slot, e);
        }
        return certificates;
    }

    static String text(char[] padded) {
        return new String(padded).strip();
    }
}
