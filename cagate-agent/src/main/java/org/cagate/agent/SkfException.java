package org.cagate.agent;

/** An SKF function answered other than SAR_OK: which one, its code, and the retries left it reported. */
final class SkfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;
    private final Integer retriesLeft;

    SkfException(String function, int code, Integer retriesLeft) {
        super(function + " answered " + Sar.name(code) + (retriesLeft == null ? "" : ", retries left " + retriesLeft));
        this.function = function;
        this.code = code;
        this.retriesLeft = retriesLeft;
    }

    String function() {
        return function;
    }

    int code() {
        return code;
    }

    Integer retriesLeft() {
        return retriesLeft;
    }
}
