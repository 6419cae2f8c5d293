package org.cagate.agent;

import java.util.Arrays;
import java.util.Base64;
import org.cagate.pki.sign.SignatureFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The body of POST /v1/sign. Read with Jackson's streaming parser so that the PIN is copied straight
 * into a char array, which {@link #clearPin()} wipes, and never becomes a String. Unknown fields are
 * skipped: clients may send more than v1 names.
 */
final class SignRequest {
    private static final JsonFactory JSON = new JsonFactory();
    /** No UKey PIN is longer; anything longer is not a PIN. */
    static final int MAX_PIN_CHARS = 64;

    final String provider;
    final String tokenId;
    final String certificateId;
    final byte[] toBeSigned;
    final SignatureFormat format;
    /** The person confirmed that the key's final PIN try may be used (docs/agent.md, "PIN protection"). */
    final boolean finalTryConfirmed;

    private final char[] pin;

    private SignRequest(
            String provider,
            String tokenId,
            String certificateId,
            char[] pin,
            byte[] toBeSigned,
            SignatureFormat format,
            boolean finalTryConfirmed) {
        this.provider = provider;
        this.tokenId = tokenId;
        this.certificateId = certificateId;
        this.pin = pin;
        this.toBeSigned = toBeSigned;
        this.format = format;
        this.finalTryConfirmed = finalTryConfirmed;
    }

    char[] pin() {
        return pin;
    }

    void clearPin() {
        Arrays.fill(pin, '\0');
    }

    static SignRequest parse(byte[] body) throws AgentException {
        String provider = null;
        String tokenId = null;
        String certificateId = null;
        String toBeSigned = null;
        String format = null;
        char[] pin = null;
        boolean finalTryConfirmed = false;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw bad("body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "provider" -> provider = text(parser, value, name);
                    case "tokenId" -> tokenId = text(parser, value, name);
                    case "certificateId" -> certificateId = text(parser, value, name);
                    case "toBeSigned" -> toBeSigned = text(parser, value, name);
                    case "format" -> format = text(parser, value, name);
                    case "finalTryConfirmed" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw bad("finalTryConfirmed must be true or false");
                        }
                        finalTryConfirmed = value == JsonToken.VALUE_TRUE;
                    }
                    case "pin" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw bad("pin must be a string");
                        }
                        if (pin != null) {
                            Arrays.fill(pin, '\0');
                        }
                        pin = Arrays.copyOfRange(
                                parser.getStringCharacters(),
                                parser.getStringOffset(),
                                parser.getStringOffset() + Math.min(parser.getStringLength(), MAX_PIN_CHARS + 1));
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw bad("trailing content after the JSON object");
            }
            return validated(provider, tokenId, certificateId, pin, toBeSigned, format, finalTryConfirmed);
        } catch (JacksonException e) {
            clear(pin);
            throw bad("not JSON: " + e.getOriginalMessage());
        } catch (AgentException e) {
            clear(pin);
            throw e;
        }
    }

    private static SignRequest validated(
            String provider,
            String tokenId,
            String certificateId,
            char[] pin,
            String toBeSigned,
            String format,
            boolean finalTryConfirmed)
            throws AgentException {
        if (provider == null || provider.isBlank()) {
            throw bad("provider is required");
        }
        if (pin == null || pin.length == 0 || pin.length > MAX_PIN_CHARS) {
            throw bad("pin is required, 1-" + MAX_PIN_CHARS + " characters");
        }
        if (toBeSigned == null) {
            throw bad("toBeSigned is required");
        }
        SignatureFormat signatureFormat;
        try {
            signatureFormat = SignatureFormat.valueOf(format == null ? "" : format);
        } catch (IllegalArgumentException e) {
            throw bad("format must be RAW or CMS");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(toBeSigned);
        } catch (IllegalArgumentException e) {
            throw bad("toBeSigned is not base64");
        }
        return new SignRequest(provider, tokenId, certificateId, pin, bytes, signatureFormat, finalTryConfirmed);
    }

    private static String text(JsonParser parser, JsonToken value, String name) throws AgentException {
        if (value != JsonToken.VALUE_STRING) {
            throw bad(name + " must be a string");
        }
        return parser.getString();
    }

    private static void clear(char[] pin) {
        if (pin != null) {
            Arrays.fill(pin, '\0');
        }
    }

    private static AgentException bad(String detail) {
        return new AgentException(ErrorCode.BAD_REQUEST, detail);
    }
}
