package org.cagate.pki;

/**
 * Why a certificate, a challenge or a signature was refused. The names are the problem codes of the
 * wire contract v1 (DESIGN.md), so the server can pass them on unchanged.
 */
public enum Reason {
    /** The challenge bytes are not a well-formed CAGATE-CHALLENGE-V1 text. */
    CHALLENGE_MALFORMED,
    SIGNATURE_INVALID,
    CERT_MALFORMED,
    CERT_UNTRUSTED,
    CERT_EXPIRED,
    CERT_NOT_YET_VALID,
    CERT_REVOKED,
    CERT_USAGE,
    REVOCATION_UNAVAILABLE
}
