package org.cagate.server.web;

import java.time.Duration;
import java.util.Objects;

/**
 * The one exception features throw to answer a request with a problem: a {@link ProblemCode}, an
 * optional message key for a more specific detail (looked up in the request's locale), its
 * arguments, and an optional Retry-After. The log message is for the server log only; the client sees
 * the localized texts.
 *
 * <pre>{@code throw new ApiException(ProblemCode.CA_ALREADY_BOUND);
 * throw ApiException.detail(ProblemCode.VALIDATION, "validation.password.weak");
 * throw ApiException.retryAfter(ProblemCode.RATE_LIMITED, Duration.ofSeconds(30));}</pre>
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ProblemCode code;
    private final String detailKey;
    private final transient Object[] detailArgs;
    private final Duration retryAfter;

    public ApiException(ProblemCode code) {
        this(code, null, null, new Object[0]);
    }

    public ApiException(ProblemCode code, String detailKey, Duration retryAfter, Object... detailArgs) {
        super(code.name() + (detailKey == null ? "" : " (" + detailKey + ")"));
        this.code = Objects.requireNonNull(code, "code");
        this.detailKey = detailKey;
        this.detailArgs = detailArgs == null ? new Object[0] : detailArgs.clone();
        this.retryAfter = retryAfter;
    }

    public static ApiException detail(ProblemCode code, String detailKey, Object... args) {
        return new ApiException(code, detailKey, null, args);
    }

    public static ApiException retryAfter(ProblemCode code, Duration retryAfter) {
        return new ApiException(code, null, retryAfter);
    }

    public ProblemCode code() {
        return code;
    }

    /** The message key of the detail, or the code's default detail key. */
    public String detailKey() {
        return detailKey == null ? code.detailKey() : detailKey;
    }

    public Object[] detailArgs() {
        return detailArgs.clone();
    }

    /** How long the client should wait before trying again; null when it need not wait. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
