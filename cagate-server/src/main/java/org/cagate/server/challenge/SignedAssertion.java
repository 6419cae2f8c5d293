package org.cagate.server.challenge;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.cagate.pki.Assertion;
import org.cagate.pki.PkiException;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;

/**
 * The signed assertion of the wire contract as the page posts it: {@code {challengeId, format,
 * algorithm, certificate, chain[], signature, tokenSerial}}; for CMS, {@code algorithm} and {@code
 * certificate} may be left out (the SignedData states them). Nothing in it is trusted; {@link
 * #toAssertion()} only decodes.
 */
public record SignedAssertion(
        @NotBlank @Size(max = 160) String challengeId,
        @NotBlank @Size(max = 8) String format,
        @Size(max = 40) String algorithm,
        @Size(max = 90_000) String certificate,
        @Size(max = Assertion.MAX_CHAIN) List<@Size(max = 90_000) String> chain,
        @NotBlank @Size(max = 90_000) String signature,
        @Size(max = 200) String tokenSerial) {

    /**
     * @throws ApiException CERT_MALFORMED or SIGNATURE_INVALID, as {@link Assertion#fromWire} decides
     */
    public Assertion toAssertion() {
        // CMS names its algorithm and signer certificate itself (wire contract v1); RAW cannot.
        if ("RAW".equals(format) && (algorithm == null || algorithm.isBlank())) {
            throw ApiException.detail(ProblemCode.VALIDATION, "problem.VALIDATION.missing", "algorithm");
        }
        try {
            return Assertion.fromWire(
                    format,
                    algorithm,
                    certificate,
                    chain,
                    signature,
                    tokenSerial == null || tokenSerial.isEmpty() ? null : tokenSerial);
        } catch (PkiException e) {
            throw new ApiException(ProblemCode.valueOf(e.reason().name()), null, null);
        }
    }
}
