package org.cagate.pki.sign;

/**
 * The key refused to sign or the signature could not be assembled. The cause is kept as thrown, so a
 * caller that knows its provider (the agent and SunPKCS11) can tell a removed token from a broken one.
 */
public final class SigningException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
