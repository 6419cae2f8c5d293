package org.cagate.testca;

/**
 * Entry point of the test CA: {@code TestPki.provider("ZJHX").ec().build().user("西子").issue()}.
 *
 * <p>Everything is made at run time; tests never check in key or certificate binaries.
 */
public final class TestPki {
    private TestPki() {}

    /** Starts a new provider CA (a root, optionally an intermediate) for the given provider code. */
    public static CaBuilder provider(String code) {
        return new CaBuilder(code);
    }
}
