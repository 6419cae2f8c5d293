package org.cagate.pki;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The text a key signs: CAGATE-CHALLENGE-V1 (DESIGN.md, "Challenge bytes"). UTF-8, {@code \n} line
 * ends, no trailing newline, the six lines in a fixed order. {@link #parse(byte[])} accepts exactly
 * what {@link #toBytes()} produces and nothing else, so the agent and the server agree on every byte.
 */
public record Challenge(Purpose purpose, String origin, String provider, byte[] nonce, Instant issuedAt) {

    public static final String MAGIC = "CAGATE-CHALLENGE-V1";
    public static final int NONCE_BYTES = 32;
    /** Six short lines; anything longer is not a challenge. */
    public static final int MAX_BYTES = 1024;

    private static final Pattern PROVIDER = Pattern.compile("[A-Z0-9_]{1,32}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern ISSUED_AT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    public enum Purpose {
        LOGIN,
        BIND
    }

    public Challenge {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (!isOrigin(origin)) {
            throw new IllegalArgumentException("origin must be scheme://host[:port], got " + origin);
        }
        if (!PROVIDER.matcher(provider).matches()) {
            throw new IllegalArgumentException("provider code must match " + PROVIDER + ", got " + provider);
        }
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes");
        }
        nonce = nonce.clone();
        issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The exact bytes to sign. */
    public byte[] toBytes() {
        return toText().getBytes(StandardCharsets.UTF_8);
    }

    public String toText() {
        return MAGIC
                + "\npurpose=" + purpose
                + "\norigin=" + origin
                + "\nprovider=" + provider
                + "\nnonce=" + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce)
                + "\nissued-at=" + DateTimeFormatter.ISO_INSTANT.format(issuedAt);
    }

    /**
     * Parses challenge bytes strictly: the magic line, then purpose, origin, provider, nonce and
     * issued-at in that order, each once, with nothing before, between or after them.
     *
     * @throws PkiException with {@link Reason#CHALLENGE_MALFORMED} for anything else
     */
    public static Challenge parse(byte[] bytes) throws PkiException {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw malformed("length " + (bytes == null ? "null" : bytes.length));
        }
        String text = decodeUtf8(bytes);
        String[] lines = text.split("\n", -1);
        if (lines.length != 6 || !MAGIC.equals(lines[0])) {
            throw malformed("not " + MAGIC + " with six lines");
        }
        Purpose purpose = purpose(value(lines[1], "purpose"));
        String origin = value(lines[2], "origin");
        if (!isOrigin(origin)) {
            throw malformed("origin");
        }
        String provider = value(lines[3], "provider");
        if (!PROVIDER.matcher(provider).matches()) {
            throw malformed("provider");
        }
        String nonce = value(lines[4], "nonce");
        if (!NONCE.matcher(nonce).matches()) {
            throw malformed("nonce");
        }
        Instant issuedAt = issuedAt(value(lines[5], "issued-at"));
        Challenge challenge =
                new Challenge(purpose, origin, provider, Base64.getUrlDecoder().decode(nonce), issuedAt);
        // Base64url has more than one spelling of the last character's unused bits; only ours is accepted.
        if (!challenge.toText().equals(text)) {
            throw malformed("not in canonical form");
        }
        return challenge;
    }

    /** True when the bytes start like a challenge; a cheap test before {@link #parse(byte[])}. */
    public static boolean looksLikeChallenge(byte[] bytes) {
        byte[] magic = (MAGIC + "\n").getBytes(StandardCharsets.US_ASCII);
        if (bytes == null || bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8(byte[] bytes) throws PkiException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("not UTF-8");
        }
    }

    private static String value(String line, String key) throws PkiException {
        String prefix = key + "=";
        if (!line.startsWith(prefix)) {
            throw malformed("expected " + key);
        }
        return line.substring(prefix.length());
    }

    private static Purpose purpose(String value) throws PkiException {
        for (Purpose p : Purpose.values()) {
            if (p.name().equals(value)) {
                return p;
            }
        }
        throw malformed("purpose");
    }

    private static Instant issuedAt(String value) throws PkiException {
        if (!ISSUED_AT.matcher(value).matches()) {
            throw malformed("issued-at");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw malformed("issued-at");
        }
    }

    /** scheme://host[:port] with scheme http or https, no path, query, fragment or user info. */
    static boolean isOrigin(String origin) {
        if (origin.isEmpty() || origin.length() > 255 || !origin.equals(origin.strip())) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            return ("https".equals(scheme) || "http".equals(scheme))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null
                    && origin.equals(scheme + "://" + uri.getRawAuthority())
                    && origin.equals(origin.toLowerCase(java.util.Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static PkiException malformed(String detail) {
        return new PkiException(Reason.CHALLENGE_MALFORMED, detail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Challenge c
                && purpose == c.purpose
                && origin.equals(c.origin)
                && provider.equals(c.provider)
                && java.util.Arrays.equals(nonce, c.nonce)
                && issuedAt.equals(c.issuedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(purpose, origin, provider, java.util.Arrays.hashCode(nonce), issuedAt);
    }

    @Override
    public String toString() {
        return toText();
    }
}
