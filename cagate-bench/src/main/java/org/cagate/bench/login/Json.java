package org.cagate.bench.login;

import java.util.List;

/**
 * The little JSON the generator writes and reads: bodies of known shape whose values are ids, base64 and
 * names. Hand-written so the load path allocates a string builder and nothing else.
 */
final class Json {

    private Json() {}

    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String array(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(string(values.get(i)));
        }
        return out.append(']').toString();
    }

    /**
     * The value of a top-level string field in a flat object the server wrote, or null. Good for the
     * server's answers (ids, base64, codes: no escapes inside); not a general parser.
     */
    static String field(String json, String name) {
        String key = "\"" + name + "\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int colon = json.indexOf(':', at + key.length());
        int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        return close < 0 ? null : json.substring(open + 1, close);
    }

    /** A field name as {@link #valueStart} looks for it: in quotes, in UTF-8. */
    static byte[] key(String name) {
        return ("\"" + name + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Where the value of a top-level string field begins (after its opening quote) in a flat object the
     * server wrote, as bytes, or -1; it ends at {@link #valueEnd}. The same reading as {@link #field},
     * without a string made of the answer.
     */
    static int valueStart(byte[] json, byte[] key) {
        int at = indexOf(json, key, 0);
        int colon = at < 0 ? -1 : indexOf(json, (byte) ':', at + key.length);
        int open = colon < 0 ? -1 : indexOf(json, (byte) '"', colon + 1);
        return open < 0 ? -1 : open + 1;
    }

    /** The index of the quote that ends a string value begun at {@code start}, or -1. */
    static int valueEnd(byte[] json, int start) {
        return start < 0 ? -1 : indexOf(json, (byte) '"', start);
    }

    private static int indexOf(byte[] json, byte b, int from) {
        for (int i = from; i < json.length; i++) {
            if (json[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] json, byte[] word, int from) {
        outer:
        for (int i = from; i <= json.length - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (json[i + j] != word[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
