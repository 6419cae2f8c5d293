package org.cagate.agent;

/**
 * How many PIN tries a PKCS#11 token has left. PKCS#11 has no counter, only three flags; the CA
 * company's documented limit ({@link ProviderConfig#maxPinRetries()}) fills the gap:
 *
 * <ol>
 *   <li>CKF_USER_PIN_LOCKED: 0 (and PIN_LOCKED);
 *   <li>CKF_USER_PIN_FINAL_TRY: 1;
 *   <li>no documented limit: unknown (null), since the token does not say;
 *   <li>otherwise the limit less the wrong PINs since the last right one, as this agent counted them,
 *       and at least one when CKF_USER_PIN_COUNT_LOW says the token counted one (another program, or
 *       before the agent started), never below 2 because the token did not say "final try".
 * </ol>
 */
final class PinRetries {
    static final long CKF_USER_PIN_COUNT_LOW = Cryptoki.CKF_USER_PIN_COUNT_LOW;
    static final long CKF_USER_PIN_FINAL_TRY = Cryptoki.CKF_USER_PIN_FINAL_TRY;
    static final long CKF_USER_PIN_LOCKED = Cryptoki.CKF_USER_PIN_LOCKED;

    private PinRetries() {}

    static boolean locked(long flags) {
        return (flags & CKF_USER_PIN_LOCKED) != 0;
    }

    static Integer retriesLeft(long flags, Integer maxPinRetries, int wrongSeen) {
        if (locked(flags)) {
            return 0;
        }
        if ((flags & CKF_USER_PIN_FINAL_TRY) != 0) {
            return 1;
        }
        if (maxPinRetries == null) {
            return null;
        }
        int wrong = (flags & CKF_USER_PIN_COUNT_LOW) != 0 ? Math.max(1, wrongSeen) : wrongSeen;
        return Math.min(maxPinRetries, Math.max(2, maxPinRetries - wrong));
    }
}
