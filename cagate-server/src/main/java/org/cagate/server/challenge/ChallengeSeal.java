package org.cagate.server.challenge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cagate.pki.Challenge;
import org.cagate.server.system.CagateProperties;
import org.springframework.stereotype.Component;

/**
 * The challenge id as a self-checking token: everything needed to rebuild the CAGATE-CHALLENGE-V1 bytes
 * and to judge a use of them, sealed with a MAC that every node can check ({@link ChallengeKeys}), so
 * that issuing a challenge writes nothing. Base64url without padding of, big-endian:
 *
 * <pre>
 * version       1 byte   1
 * key id        4 bytes  the MAC key ({@link ChallengeKeys})
 * purpose       1 byte   0 LOGIN, 1 BIND
 * issued-at     8 bytes  epoch seconds (the challenge's issued-at is whole seconds)
 * ttl           4 bytes  milliseconds from issued-at to expiry
 * account id    8 bytes  BIND only: the account that may use it
 * provider      1 byte length (1-32), then the code in ASCII
 * nonce        32 bytes
 * origin hash   8 bytes  the first 8 bytes of SHA-256 of the public origin in the challenge bytes
 * MAC          16 bytes  HMAC-SHA256 over all of the above, truncated
 * </pre>
 *
 * <p>Between 76 and 115 bytes: 102 to 154 characters. The MAC is cut to 128 bits: forging one means guessing
 * it online, one request per guess, 2^-128 each (RFC 2104 §5 allows truncation to half the hash and
 * more). The origin is not in the id, only its hash, so that a node configured with another public origin
 * can say ORIGIN_MISMATCH rather than CHALLENGE_UNKNOWN; a node rebuilds the bytes with its own origin.
 * {@link #open} accepts exactly what {@link #seal} produces and nothing else.
 */
@Component
class ChallengeSeal {

    static final byte VERSION = 1;
    static final int MAC_BYTES = 16;
    static final int ORIGIN_HASH_BYTES = 8;
    private static final int MIN_BYTES =
            1 + 4 + 1 + 8 + 4 + 1 + 1 + Challenge.NONCE_BYTES + ORIGIN_HASH_BYTES + MAC_BYTES;
    private static final int MAX_BYTES = MIN_BYTES + 8 + 31;
    /** The characters of 76 to 115 bytes in base64url without padding. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{102,154}");

    private static final Pattern PROVIDER = Pattern.compile("[A-Z0-9_]{1,32}");

    private final ChallengeKeys keys;
    private final String origin;
    private final byte[] originHash;

    ChallengeSeal(ChallengeKeys keys, CagateProperties server) {
        this.keys = keys;
        this.origin = server.publicOrigin();
        this.originHash = originHash(origin);
    }

    /** The id of a challenge for this node's origin, sealed with the current key. */
    String seal(Challenge challenge, Long accountId, Instant expiresAt) {
        if (!challenge.origin().equals(origin)) {
            throw new IllegalArgumentException("a challenge for " + challenge.origin() + " on a node of " + origin);
        }
        if ((challenge.purpose() == Challenge.Purpose.BIND) != (accountId != null)) {
            throw new IllegalArgumentException("an account id goes with BIND and only with BIND");
        }
        long ttl = expiresAt.toEpochMilli() - challenge.issuedAt().toEpochMilli();
        if (ttl <= 0 || ttl > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expiry must be within 24 days after issue");
        }
        byte[] provider = challenge.provider().getBytes(StandardCharsets.US_ASCII);
        ChallengeKeys.Key key = keys.current();
        ByteBuffer out = ByteBuffer.allocate(MIN_BYTES - 1 + provider.length + (accountId == null ? 0 : 8));
        out.put(VERSION);
        out.putInt(key.id());
        out.put((byte) (challenge.purpose() == Challenge.Purpose.LOGIN ? 0 : 1));
        out.putLong(challenge.issuedAt().getEpochSecond());
        out.putInt((int) ttl);
        if (accountId != null) {
            out.putLong(accountId);
        }
        out.put((byte) provider.length);
        out.put(provider);
        out.put(challenge.nonce());
        out.put(originHash);
        out.put(mac(key, out.array(), out.position()), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /**
     * The challenge an id names, when it is one this platform sealed with a key it still has; empty for
     * anything else (malformed, truncated, another version, an unknown key, a wrong MAC).
     */
    Optional<SealedChallenge> open(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a length no base64 has (4n + 1 characters)
        }
        // Base64url has more than one spelling of the last character's unused bits; only ours is accepted.
        if (bytes.length < MIN_BYTES
                || bytes.length > MAX_BYTES
                || !Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(bytes)
                        .equals(id)) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != VERSION) {
            return Optional.empty();
        }
        int keyId = in.getInt();
        byte purposeByte = in.get();
        Challenge.Purpose purpose = switch (purposeByte) {
            case 0 -> Challenge.Purpose.LOGIN;
            case 1 -> Challenge.Purpose.BIND;
            default -> null;
        };
        if (purpose == null) {
            return Optional.empty();
        }
        long issuedSeconds = in.getLong();
        int ttl = in.getInt();
        int fixed = MIN_BYTES - 1 + (purpose == Challenge.Purpose.BIND ? 8 : 0);
        if (ttl <= 0 || issuedSeconds < 0 || issuedSeconds > Instant.MAX.getEpochSecond() / 2) {
            return Optional.empty();
        }
        Long accountId = purpose == Challenge.Purpose.BIND ? in.getLong() : null;
        int providerLength = in.get() & 0xff;
        if (providerLength < 1 || providerLength > 32 || bytes.length != fixed + providerLength) {
            return Optional.empty();
        }
        byte[] providerBytes = new byte[providerLength];
        in.get(providerBytes);
        String provider = new String(providerBytes, StandardCharsets.US_ASCII);
        if (!PROVIDER.matcher(provider).matches()) {
            return Optional.empty();
        }
        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        in.get(nonce);
        byte[] hash = new byte[ORIGIN_HASH_BYTES];
        in.get(hash);
        int signed = in.position();
        byte[] mac = Arrays.copyOfRange(bytes, signed, bytes.length);
        ChallengeKeys.Key key = keys.find(keyId).orElse(null);
        if (key == null || !MessageDigest.isEqual(Arrays.copyOf(mac(key, bytes, signed), MAC_BYTES), mac)) {
            return Optional.empty();
        }
        Instant issuedAt = Instant.ofEpochSecond(issuedSeconds);
        return Optional.of(new SealedChallenge(
                id,
                purpose,
                provider,
                accountId,
                nonce,
                issuedAt,
                issuedAt.plusMillis(ttl),
                MessageDigest.isEqual(hash, originHash) ? origin : null));
    }

    private static byte[] mac(ChallengeKeys.Key key, byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] originHash(String origin) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, ORIGIN_HASH_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
