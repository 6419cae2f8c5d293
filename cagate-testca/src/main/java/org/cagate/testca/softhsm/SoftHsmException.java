package org.cagate.testca.softhsm;

/** A SoftHSM2 tool or token file did not do what was asked; the message never contains a PIN. */
public final class SoftHsmException extends RuntimeException {
    public SoftHsmException(String message) {
        super(message);
    }

    public SoftHsmException(String message, Throwable cause) {
        super(message, cause);
    }
}
