package org.cagate.server.binding;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.cagate.pki.Assertion;
import org.cagate.server.challenge.SignedAssertion;

/** {@code POST /api/ca/bindings}: {@code {accountId, ...assertion}} (the wire contract's assertion fields). */
record BindRequest(
        @NotNull Long accountId,
        @NotBlank @Size(max = 160) String challengeId,
        @NotBlank @Size(max = 8) String format,
        @Size(max = 40) String algorithm,
        @Size(max = 90_000) String certificate,
        @Size(max = Assertion.MAX_CHAIN) List<@Size(max = 90_000) String> chain,
        @NotBlank @Size(max = 90_000) String signature,
        @Size(max = 200) String tokenSerial) {

    SignedAssertion assertion() {
        return new SignedAssertion(challengeId, format, algorithm, certificate, chain, signature, tokenSerial);
    }
}
