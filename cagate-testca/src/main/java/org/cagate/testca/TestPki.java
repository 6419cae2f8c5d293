package org.cagate.testca;

/**
 * Entry point of the test CA: {@code TestPki.provider("ZJHX").ec().build().user("西子").issue()}.
 *
 * <p>Everything is made at run time; tests never check in key or certificate binaries.
 */
public final class TestPki {
    private TestPki() {}

    /** The Bouncy Castle provider the test CA uses (registered once), e.g. to read its SM2 PKCS#12 files. */
    public static java.security.Provider bouncyCastle() {
        return BouncyCastle.PROVIDER;
    }

    /** Starts a new provider CA (a root, optionally an intermediate) for the given provider code. */
    public static CaBuilder provider(String code) {
        return new CaBuilder(code);
    }
}
