package org.cagate.agent;

/**
 * PKCS#11 numbers the agent compares against, from the PKCS#11 v2.40 headers. Kept here rather than
 * taken from the JDK's internal constants, whose shape changes between JDK updates.
 */
final class Cryptoki {
    private Cryptoki() {}

    static final long CKU_USER = 1;

    static final long CKF_SERIAL_SESSION = 0x4;
    static final long CKF_OS_LOCKING_OK = 0x2;
    static final long CKF_TOKEN_INITIALIZED = 0x400;
    static final long CKF_USER_PIN_COUNT_LOW = 0x00010000L;
    static final long CKF_USER_PIN_FINAL_TRY = 0x00020000L;
    static final long CKF_USER_PIN_LOCKED = 0x00040000L;

    static final long CKA_CLASS = 0x0;
    static final long CKA_VALUE = 0x11;
    static final long CKO_CERTIFICATE = 0x1;

    static final long CKR_PIN_INCORRECT = 0xA0;
    static final long CKR_PIN_INVALID = 0xA1;
    static final long CKR_PIN_LEN_RANGE = 0xA2;
    static final long CKR_PIN_LOCKED = 0xA4;
    static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
}
