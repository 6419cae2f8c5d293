package org.cagate.agent;

import java.util.Objects;

/**
 * Why the agent answers with an error: a code for the page, a detail for the help-desk log (never a
 * PIN), and for a wrong PIN how many tries the token has left, when that is known.
 */
final class AgentException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final Integer retriesLeft;
    private final String clientMessage;
    private final String detail;

    AgentException(ErrorCode code, String detail) {
        this(code, detail, null, null, null);
    }

    AgentException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, null, null, cause);
    }

    private AgentException(ErrorCode code, String detail, Integer retriesLeft, String clientMessage, Throwable cause) {
        super(code + ": " + detail, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retriesLeft = retriesLeft;
        this.clientMessage = clientMessage;
        this.detail = detail;
    }

    /** What went wrong, for the log: never a PIN. */
    String detail() {
        return detail;
    }

    static AgentException pinIncorrect(Integer retriesLeft) {
        String message = retriesLeft == null
                ? ErrorCode.PIN_INCORRECT.message()
                : ErrorCode.PIN_INCORRECT.message() + "，还可尝试 " + retriesLeft + " 次";
        return new AgentException(ErrorCode.PIN_INCORRECT, "wrong PIN", retriesLeft, message, null);
    }

    /** The key's last try is kept for the person: nothing was tried (see {@link ErrorCode#PIN_FINAL_TRY}). */
    static AgentException pinFinalTry() {
        return new AgentException(ErrorCode.PIN_FINAL_TRY, "final PIN try not confirmed: no PIN tried", 1, null, null);
    }

    static AgentException pinLocked() {
        return new AgentException(ErrorCode.PIN_LOCKED, "PIN locked", 0, null, null);
    }

    /** The same code with a more precise message for the page, e.g. which certificate was not found. */
    static AgentException withMessage(ErrorCode code, String clientMessage, String detail) {
        return new AgentException(code, detail, null, clientMessage, null);
    }

    ErrorCode code() {
        return code;
    }

    /** Null when the token does not tell (see docs/agent.md, "retriesLeft"). */
    Integer retriesLeft() {
        return retriesLeft;
    }

    String clientMessage() {
        return clientMessage != null ? clientMessage : code.message();
    }
}
