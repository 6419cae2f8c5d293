package org.cagate.agent;

import static org.cagate.agent.Cryptoki.CKR_PIN_INCORRECT;
import static org.cagate.agent.Cryptoki.CKR_PIN_INVALID;
import static org.cagate.agent.Cryptoki.CKR_PIN_LEN_RANGE;
import static org.cagate.agent.Cryptoki.CKR_PIN_LOCKED;
import static org.cagate.agent.Cryptoki.CKR_USER_ALREADY_LOGGED_IN;
import static org.cagate.agent.Cryptoki.CKU_USER;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.cagate.agent.Pkcs11Module.Slot;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * UKeys through a vendor's PKCS#11 module (SoftHSM2 in tests). Every call looks at the slots again.
 * Signing logs in on a session of our own, so the token's answer (CKR_PIN_INCORRECT, CKR_PIN_LOCKED)
 * arrives as is, and logs out in a finally block: PKCS#11 logins belong to the whole process and
 * SunPKCS11 skips its own login when one is active, so a login left behind would let the next request
 * sign with any PIN.
 */
final class Pkcs11Backend implements Backend {
    private static final Logger LOG = Logger.getLogger(Pkcs11Backend.class.getName());

    private final ProviderConfig config;
    private final Pkcs11Module module;
    private final Clock clock;
    /** Wrong PINs since the last right one, by token serial; see {@link PinRetries}. */
    private final Map<String, Integer> wrongPins = new ConcurrentHashMap<>();

    Pkcs11Backend(ProviderConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.module = Pkcs11Module.of(config.library());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ProviderConfig config() {
        return config;
    }

    @Override
    public List<Token> tokens() throws AgentException {
        module.lock().lock();
        try {
            List<Token> tokens = new ArrayList<>();
            for (Slot slot : find(null)) {
                List<X509Certificate> users = module.certificates(slot.id()).stream()
                        .filter(c -> !Certificates.isCa(c))
                        .toList();
                tokens.add(new Token(id(slot), slot.label(), serial(slot), users));
            }
            return tokens;
        } finally {
            module.lock().unlock();
        }
    }

    @Override
    public Token token(String tokenId) throws AgentException {
        module.lock().lock();
        try {
            Slot slot = find(tokenId).get(0);
            return new Token(id(slot), slot.label(), serial(slot), List.of());
        } finally {
            module.lock().unlock();
        }
    }

    @Override
    public DetachedSignature sign(
            Token token, String certificateId, char[] pin, Signing signing, boolean finalTryConfirmed)
            throws AgentException {
        module.lock().lock();
        try {
            Slot slot = find(token.id()).get(0);
            if (PinRetries.locked(slot.flags())) {
                throw AgentException.pinLocked();
            }
            if (!finalTryConfirmed && (slot.flags() & PinRetries.CKF_USER_PIN_FINAL_TRY) != 0) {
                throw AgentException.pinFinalTry();
            }
            PKCS11 p11 = module.p11();
            long session = openSession(slot);
            try {
                login(p11, session, slot, pin);
                try {
                    return signLoggedIn(slot, certificateId, signing);
                } catch (AgentException e) {
                    throw e;
                } catch (Exception first) {
                    // A provider made before the key was pulled out and put back has dead sessions.
                    LOG.log(
                            Level.FINE,
                            "signing on slot " + slot.id() + " failed once, with a fresh provider again",
                            first);
                    module.retire(slot);
                    return signLoggedIn(slot, certificateId, signing);
                }
            } catch (AgentException e) {
                throw e;
            } catch (Exception e) {
                if (module.flags(slot.id()) < 0) {
                    throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "token left slot " + slot.id(), e);
                }
                throw new AgentException(ErrorCode.AGENT_ERROR, "signing on slot " + slot.id() + " failed", e);
            } finally {
                logout(p11, session);
            }
        } finally {
            module.lock().unlock();
        }
    }

    private long openSession(Slot slot) throws AgentException {
        try {
            return module.openSession(slot.id());
        } catch (PKCS11Exception e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "cannot open a session on slot " + slot.id(), e);
        }
    }

    private void login(PKCS11 p11, long session, Slot slot, char[] pin) throws AgentException {
        try {
            try {
                p11.C_Login(session, CKU_USER, pin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != CKR_USER_ALREADY_LOGGED_IN) {
                    throw e;
                }
                // A login we did not make (another user of the module in this process): drop it, so that
                // this PIN is checked by the token and nothing signs on someone else's login.
                p11.C_Logout(session);
                p11.C_Login(session, CKU_USER, pin);
            }
            wrongPins.remove(slot.serial());
        } catch (PKCS11Exception e) {
            long code = e.getErrorCode();
            if (code == CKR_PIN_LOCKED) {
                throw AgentException.pinLocked();
            }
            if (code == CKR_PIN_INCORRECT || code == CKR_PIN_INVALID || code == CKR_PIN_LEN_RANGE) {
                int seen = wrongPins.merge(slot.serial(), 1, Integer::sum);
                long flags = module.flags(slot.id());
                if (PinRetries.locked(flags)) {
                    throw AgentException.pinLocked();
                }
                throw AgentException.pinIncorrect(PinRetries.retriesLeft(flags, config.maxPinRetries(), seen));
            }
            ErrorCode failure = module.flags(slot.id()) < 0 ? ErrorCode.TOKEN_NOT_FOUND : ErrorCode.AGENT_ERROR;
            throw new AgentException(failure, "C_Login on slot " + slot.id() + ": " + e.getMessage(), e);
        }
    }

    private DetachedSignature signLoggedIn(Slot slot, String certificateId, Signing signing)
            throws AgentException, GeneralSecurityException, SigningException, java.io.IOException {
        Provider provider = module.provider(slot);
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, null); // already logged in on our session; SunPKCS11 sees it and does not ask
        Map<X509Certificate, String> withKey = new LinkedHashMap<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                withKey.put(c, alias);
            }
        }
        X509Certificate certificate = Certificates.choose(
                        new ArrayList<>(withKey.keySet()), certificateId, clock.instant())
                .orElseThrow(() -> AgentException.withMessage(
                        ErrorCode.TOKEN_NOT_FOUND,
                        "密钥盘中没有可用于签名的证书",
                        "no signing certificate with a key on slot " + slot.id()));
        Key key = store.getKey(withKey.get(certificate), null);
        return signing.with(Signer.of((PrivateKey) key, certificate)
                .provider(provider)
                // SunPKCS11 shows CA certificates only when marked trusted; read them from the token.
                .chain(Certificates.chainAbove(certificate, module.certificates(slot.id())))
                .clock(clock));
    }

    private static void logout(PKCS11 p11, long session) {
        try {
            p11.C_Logout(session);
        } catch (PKCS11Exception e) {
            // CKR_USER_NOT_LOGGED_IN after a failed login, or the token is gone: nothing is logged in.
        }
        try {
            p11.C_CloseSession(session);
        } catch (PKCS11Exception e) {
            // The token left; its sessions died with it.
        }
    }

    /**
     * The configured tokens present now, first the one asked for. When none is found the module is
     * initialised again once and asked again, so a key put back is seen (see {@link Pkcs11Module}).
     */
    private List<Slot> find(String tokenId) throws AgentException {
        List<Slot> found = matching(tokenId);
        if (found.isEmpty() && module.rescan()) {
            found = matching(tokenId);
        }
        if (found.isEmpty()) {
            throw new AgentException(
                    ErrorCode.TOKEN_NOT_FOUND,
                    "no token" + (config.tokenLabel() == null ? "" : " labelled " + config.tokenLabel())
                            + (tokenId == null ? "" : " with id " + tokenId) + " in " + config.library());
        }
        return found;
    }

    private List<Slot> matching(String tokenId) throws AgentException {
        return module.slots().stream()
                .filter(s -> config.slot() == null || config.slot() == s.id())
                .filter(s -> config.tokenLabel() == null || config.tokenLabel().equals(s.label()))
                .filter(s -> tokenId == null || tokenId.equals(id(s)))
                .toList();
    }

    Pkcs11Module module() {
        return module;
    }

    private static String id(Slot slot) {
        return slot.serial().isEmpty() ? "slot-" + slot.id() : slot.serial();
    }

    private static String serial(Slot slot) {
        return slot.serial().isEmpty() ? null : slot.serial();
    }

    @Override
    public void close() {}
}
