package org.cagate.agent;

import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What every signing body of the agent shares (POST /v1/sign, POST /v1/sign-document): one JSON object,
 * read with Jackson's streaming parser so that the PIN is copied straight into a char array and never
 * becomes a String; provider, tokenId, certificateId, pin and finalTryConfirmed. The request's own
 * fields go to a {@link Fields}; unknown fields are skipped (clients may send more than v1 names); a
 * null is an absent field. On any refusal the PIN read so far is wiped.
 */
final class SigningBody {
    private static final JsonFactory JSON = new JsonFactory();
    /** No UKey PIN is longer; anything longer is not a PIN. */
    static final int MAX_PIN_CHARS = 64;

    String provider;
    String tokenId;
    String certificateId;
    /** The person confirmed that the key's final PIN try may be used (docs/agent.md, "PIN protection"). */
    boolean finalTryConfirmed;

    char[] pin;

    /** A request's own fields. */
    interface Fields {
        /** Reads field {@code name} whose value starts at {@code value}; false when it is not one of them. */
        boolean read(String name, JsonToken value, JsonParser parser) throws AgentException;
    }

    private SigningBody() {}

    static SigningBody read(byte[] body, Fields fields) throws AgentException {
        SigningBody read = new SigningBody();
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw bad("body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_NULL
                        && !read.common(name, value, parser)
                        && !fields.read(name, value, parser)) {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw bad("trailing content after the JSON object");
            }
            if (read.provider == null || read.provider.isBlank()) {
                throw bad("provider is required");
            }
            if (read.pin == null || read.pin.length == 0 || read.pin.length > MAX_PIN_CHARS) {
                throw bad("pin is required, 1-" + MAX_PIN_CHARS + " characters");
            }
            return read;
        } catch (JacksonException e) {
            read.clearPin();
            throw bad("not JSON: " + e.getOriginalMessage());
        } catch (AgentException e) {
            read.clearPin();
            throw e;
        }
    }

    private boolean common(String name, JsonToken value, JsonParser parser) throws AgentException {
        switch (name) {
            case "provider" -> provider = text(parser, value, name);
            case "tokenId" -> tokenId = text(parser, value, name);
            case "certificateId" -> certificateId = text(parser, value, name);
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
                clearPin();
                pin = Arrays.copyOfRange(
                        parser.getStringCharacters(),
                        parser.getStringOffset(),
                        parser.getStringOffset() + Math.min(parser.getStringLength(), MAX_PIN_CHARS + 1));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    void clearPin() {
        if (pin != null) {
            Arrays.fill(pin, '\0');
        }
    }

    static String text(JsonParser parser, JsonToken value, String name) throws AgentException {
        if (value != JsonToken.VALUE_STRING) {
            throw bad(name + " must be a string");
        }
        return parser.getString();
    }

    static AgentException bad(String detail) {
        return new AgentException(ErrorCode.BAD_REQUEST, detail);
    }
}
