package org.cagate.pki;

/**
 * The "CA锁ID": what identifies a key for binding and login, computed by the provider's {@link
 * IdentityRule}. Unique per provider; never taken from what a client reports.
 */
public record KeyId(String value) {
    /** Fits a database column; identity-rule values longer than this are refused as malformed. */
    public static final int MAX_LENGTH = 512;

    public KeyId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("key id must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("key id longer than " + MAX_LENGTH);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
