package org.cagate.server.web;

import org.springframework.http.HttpStatus;

/**
 * Every problem code of the wire contract v1 (DESIGN.md), plus the few generic ones the HTTP layer
 * needs. The name is the {@code code} member of the problem+json body; the status is fixed per code so
 * clients can rely on it. Texts live in {@code problems.properties} (zh-CN) and {@code
 * problems_en.properties}: {@code problem.<CODE>.title} and {@code problem.<CODE>.detail}.
 *
 * <p>Names equal to {@link org.cagate.pki.Reason} constants on purpose: {@code
 * ProblemCode.valueOf(reason.name())} turns a cagate-pki refusal into its problem.
 */
public enum ProblemCode {
    // Password login and sessions.
    BAD_CREDENTIALS(HttpStatus.UNAUTHORIZED),
    ACCOUNT_LOCKED(HttpStatus.FORBIDDEN),
    ACCOUNT_DISABLED(HttpStatus.FORBIDDEN),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    VALIDATION(HttpStatus.BAD_REQUEST),
    CONFLICT(HttpStatus.CONFLICT),

    // Challenges.
    CHALLENGE_UNKNOWN(HttpStatus.BAD_REQUEST),
    CHALLENGE_EXPIRED(HttpStatus.BAD_REQUEST),
    CHALLENGE_USED(HttpStatus.BAD_REQUEST),
    CHALLENGE_MALFORMED(HttpStatus.BAD_REQUEST),
    ORIGIN_MISMATCH(HttpStatus.BAD_REQUEST),

    // Providers and regions.
    PROVIDER_UNKNOWN(HttpStatus.BAD_REQUEST),
    PROVIDER_DISABLED(HttpStatus.FORBIDDEN),
    REGION_CA_DISABLED(HttpStatus.FORBIDDEN),

    // Certificates and signatures: the request was understood but what it proves is not accepted.
    SIGNATURE_INVALID(HttpStatus.UNPROCESSABLE_CONTENT),
    CERT_MALFORMED(HttpStatus.UNPROCESSABLE_CONTENT),
    CERT_UNTRUSTED(HttpStatus.UNPROCESSABLE_CONTENT),
    CERT_EXPIRED(HttpStatus.UNPROCESSABLE_CONTENT),
    CERT_NOT_YET_VALID(HttpStatus.UNPROCESSABLE_CONTENT),
    CERT_REVOKED(HttpStatus.UNPROCESSABLE_CONTENT),
    CERT_USAGE(HttpStatus.UNPROCESSABLE_CONTENT),
    REVOCATION_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),

    // Bindings.
    CA_NOT_BOUND(HttpStatus.UNAUTHORIZED),
    CA_ALREADY_BOUND(HttpStatus.CONFLICT),

    // Documents (签章, 验章).
    PDF_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    PDF_ENCRYPTED(HttpStatus.UNPROCESSABLE_CONTENT),
    PDF_DAMAGED(HttpStatus.UNPROCESSABLE_CONTENT),
    TIMESTAMP_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),

    // Abuse and the HTTP layer.
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

    private final HttpStatus status;

    ProblemCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** Message key of the short, fixed title. */
    public String titleKey() {
        return "problem." + name() + ".title";
    }

    /** Message key of the default detail (used when a thrower gives none). */
    public String detailKey() {
        return "problem." + name() + ".detail";
    }
}
