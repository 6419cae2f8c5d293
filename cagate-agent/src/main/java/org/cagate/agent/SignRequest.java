package org.cagate.agent;

import java.util.Arrays;
import java.util.Base64;
import org.cagate.pki.sign.SignatureFormat;

/**
 * The body of POST /v1/sign, read by {@link SigningBody} (the PIN into a char array that {@link
 * #clearPin()} wipes, never a String) with its own fields toBeSigned and format.
 */
final class SignRequest {
    /** No UKey PIN is longer; anything longer is not a PIN. */
    static final int MAX_PIN_CHARS = SigningBody.MAX_PIN_CHARS;

    final String provider;
    final String tokenId;
    final String certificateId;
    final byte[] toBeSigned;
    final SignatureFormat format;
    /** The person confirmed that the key's final PIN try may be used (docs/agent.md, "PIN protection"). */
    final boolean finalTryConfirmed;

    private final char[] pin;

    private SignRequest(SigningBody body, byte[] toBeSigned, SignatureFormat format) {
        this.provider = body.provider;
        this.tokenId = body.tokenId;
        this.certificateId = body.certificateId;
        this.pin = body.pin;
        this.toBeSigned = toBeSigned;
        this.format = format;
        this.finalTryConfirmed = body.finalTryConfirmed;
    }

    char[] pin() {
        return pin;
    }

    void clearPin() {
        Arrays.fill(pin, '\0');
    }

    static SignRequest parse(byte[] bytes) throws AgentException {
        var own = new Object() {
            String toBeSigned;
            String format;
        };
        SigningBody body = SigningBody.read(bytes, (name, value, parser) -> {
            switch (name) {
                case "toBeSigned" -> own.toBeSigned = SigningBody.text(parser, value, name);
                case "format" -> own.format = SigningBody.text(parser, value, name);
                default -> {
                    return false;
                }
            }
            return true;
        });
        try {
            return validated(body, own.toBeSigned, own.format);
        } catch (AgentException e) {
            body.clearPin();
            throw e;
        }
    }

    private static SignRequest validated(SigningBody body, String toBeSigned, String format) throws AgentException {
        if (toBeSigned == null) {
            throw SigningBody.bad("toBeSigned is required");
        }
        SignatureFormat signatureFormat;
        try {
            signatureFormat = SignatureFormat.valueOf(format == null ? "" : format);
        } catch (IllegalArgumentException e) {
            throw SigningBody.bad("format must be RAW or CMS");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(toBeSigned);
        } catch (IllegalArgumentException e) {
            throw SigningBody.bad("toBeSigned is not base64");
        }
        return new SignRequest(body, bytes, signatureFormat);
    }
}
