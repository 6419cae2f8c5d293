package org.cagate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;

/**
 * Soft certificates: every .p12 / .pfx file in a folder is one "key", its password the PIN. Read with
 * Bouncy Castle's keystore, which also holds SM2 keys. Files are read again on every call, so a file
 * copied in or deleted shows at once.
 */
final class Pkcs12Backend implements Backend {
    /** A PKCS#12 file a CA company hands out is a few KiB; anything this large is not one. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private final ProviderConfig config;
    private final Clock clock;

    Pkcs12Backend(ProviderConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ProviderConfig config() {
        return config;
    }

    @Override
    public boolean tokenPresent() {
        return !files().isEmpty();
    }

    @Override
    public List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        for (Path file : files()) {
            tokens.add(new Token(id(file), label(file), null, readableCertificates(file)));
        }
        return tokens;
    }

    @Override
    public Token token(String tokenId) throws AgentException {
        for (Path file : files()) {
            if (tokenId == null || id(file).equals(tokenId)) {
                return new Token(id(file), label(file), null, List.of());
            }
        }
        throw new AgentException(
                ErrorCode.TOKEN_NOT_FOUND,
                "no PKCS#12 file" + (tokenId == null ? "" : " named " + tokenId) + " in " + config.folder());
    }

    @Override
    public DetachedSignature sign(Token token, String certificateId, char[] pin, Signing signing)
            throws AgentException {
        Path file = config.folder().resolve(token.id());
        KeyStore store = load(file, pin);
        try {
            Map<X509Certificate, String> aliases = new LinkedHashMap<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    aliases.put(c, alias);
                }
            }
            X509Certificate certificate = Certificates.choose(
                            new ArrayList<>(aliases.keySet()), certificateId, clock.instant())
                    .orElseThrow(() -> AgentException.withMessage(
                            ErrorCode.TOKEN_NOT_FOUND, "证书文件中没有可用于签名的证书", "no signing certificate in " + file));
            String alias = aliases.get(certificate);
            PrivateKey key = (PrivateKey) store.getKey(alias, pin);
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] stored = store.getCertificateChain(alias);
            for (int i = 1; stored != null && i < stored.length; i++) {
                chain.add((X509Certificate) stored[i]);
            }
            return signing.with(Signer.of(key, certificate).chain(chain).clock(clock));
        } catch (GeneralSecurityException | SigningException e) {
            throw new AgentException(ErrorCode.AGENT_ERROR, "cannot sign with " + file, e);
        }
    }

    private KeyStore load(Path file, char[] pin) throws AgentException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.provider());
            store.load(in, pin);
            return store;
        } catch (IOException e) {
            if (!Files.isRegularFile(file)) {
                throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, file + " is gone", e);
            }
            // Bouncy Castle cannot tell a wrong password from a damaged file: both fail the MAC check.
            throw AgentException.pinIncorrect(null);
        } catch (GeneralSecurityException e) {
            throw new AgentException(ErrorCode.AGENT_ERROR, "cannot read " + file, e);
        }
    }

    /** The certificates of a file whose certificates are not encrypted; most files encrypt them. */
    private List<X509Certificate> readableCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.provider());
            store.load(in, null);
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate c && !Certificates.isCa(c)) {
                    certificates.add(c);
                }
            }
            return certificates;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }

    List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(config.folder())) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(config.folder())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString().toLowerCase(Locale.ROOT);
                if ((name.endsWith(".p12") || name.endsWith(".pfx"))
                        && Files.isRegularFile(entry)
                        && Files.size(entry) <= MAX_FILE_BYTES) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        files.sort(null);
        return files;
    }

    private static String id(Path file) {
        return file.getFileName().toString();
    }

    private static String label(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - 4);
    }

    @Override
    public void close() {}
}
