package org.cagate.server.auth;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * How the session's user logged in, kept in the session as the details of the principal's
 * authentication ({@link SessionService#signIn}) for what relies on the login: the OpenID Provider's {@code amr}/{@code acr}
 * claims and its step-up to a CA login. For a CA login also the provider, the key (CA锁ID) and the
 * SHA-256 thumbprint of the certificate that signed the challenge.
 */
public record LoginMethod(Kind kind, Instant at, String providerCode, String keyId, String certificateSha256)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public enum Kind {
        PASSWORD,
        CA
    }

    public LoginMethod {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (kind == Kind.CA) {
            Objects.requireNonNull(providerCode, "providerCode");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(certificateSha256, "certificateSha256");
        }
    }

    public static LoginMethod password(Instant at) {
        return new LoginMethod(Kind.PASSWORD, at, null, null, null);
    }

    public static LoginMethod ca(Instant at, String providerCode, String keyId, String certificateSha256) {
        return new LoginMethod(Kind.CA, at, providerCode, keyId, certificateSha256);
    }

    public boolean isCa() {
        return kind == Kind.CA;
    }
}
