package org.cagate.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;

/**
 * Soft certificates: every .p12 / .pfx file in a folder is one "key", its password the PIN. Read bag by
 * bag ({@link Pkcs12File}), so files from any common tool work, SM2 keys included. Files are read again
 * on every call, so a file copied in or deleted shows at once.
 */
final class Pkcs12Backend implements Backend {
    /** A PKCS#12 file a CA company hands out is a few KiB; anything this large is not one. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private final ProviderConfig config;
    private final Clock clock;
    /** The certificates of files whose certificates are encrypted, as read when the PIN was right. */
    private final Map<Path, Unlocked> unlocked = new ConcurrentHashMap<>();

    private record Unlocked(String stamp, List<X509Certificate> certificates) {}

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
            tokens.add(listed(file));
        }
        return tokens;
    }

    /**
     * The file as /v1/tokens shows it: its plain certificates, or, when they are encrypted with the
     * password, those this agent read when the PIN was last given for this very file (else none, and
     * {@code certificatesNeedPin}).
     */
    private Token listed(Path file) {
        try {
            Pkcs12File.Public plain = Pkcs12File.parse(Files.readAllBytes(file)).withoutPassword();
            if (!plain.certificates().isEmpty() || !plain.encryptedCertificates()) {
                return new Token(id(file), label(file), null, plain.certificates(), false);
            }
            Unlocked seen = unlocked.get(file);
            if (seen != null && seen.stamp().equals(stamp(file))) {
                return new Token(id(file), label(file), null, seen.certificates(), false);
            }
            return new Token(id(file), label(file), null, List.of(), true);
        } catch (IOException | RuntimeException e) {
            return new Token(id(file), label(file), null, List.of(), false);
        }
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
    public DetachedSignature sign(
            Token token, String certificateId, char[] pin, Signing signing, boolean finalTryConfirmed)
            throws AgentException {
        // A PKCS#12 file has no try counter of its own (the agent's PIN cooldown guards it).
        Path file = config.folder().resolve(token.id());
        String stamp = stamp(file);
        Pkcs12File.Opened opened = open(file, pin);
        Map<X509Certificate, PrivateKey> withKey = new LinkedHashMap<>();
        for (Pkcs12File.Key key : opened.keys()) {
            for (X509Certificate c : Pkcs12File.certificatesOf(key, opened)) {
                withKey.putIfAbsent(c, key.key());
            }
        }
        unlocked.put(file, new Unlocked(stamp, List.copyOf(withKey.keySet())));
        X509Certificate certificate = Certificates.choose(
                        new ArrayList<>(withKey.keySet()), certificateId, clock.instant())
                .orElseThrow(() -> AgentException.withMessage(
                        ErrorCode.TOKEN_NOT_FOUND, "证书文件中没有可用于签名的证书", "no signing certificate in " + file));
        List<X509Certificate> chain = Certificates.chainAbove(certificate, opened.certificates());
        try {
            return signing.with(Signer.of(withKey.get(certificate), certificate)
                    .chain(chain)
                    .clock(clock));
        } catch (SigningException e) {
            throw new AgentException(ErrorCode.AGENT_ERROR, "cannot sign with " + file, e);
        }
    }

    private Pkcs12File.Opened open(Path file, char[] pin) throws AgentException {
        byte[] der;
        try {
            der = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, file + " is gone", e);
        }
        try {
            return Pkcs12File.parse(der).open(pin);
        } catch (Pkcs12File.WrongPassword e) {
            // A wrong password fails the MAC or, without one, the decryption: a damaged file reads the same.
            throw AgentException.pinIncorrect(null);
        } catch (IOException e) {
            throw new AgentException(ErrorCode.AGENT_ERROR, "cannot read " + file, e);
        }
    }

    /** Size and modification time: a file replaced under the same name is not the one unlocked before. */
    private static String stamp(Path file) {
        try {
            return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return "gone";
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
