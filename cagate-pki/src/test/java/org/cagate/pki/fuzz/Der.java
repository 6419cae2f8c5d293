package org.cagate.pki.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DER element as a tree, just deep enough for structure-aware mutation: change one element (its tag,
 * length or content), then encode the whole again so every enclosing length still fits and the parser
 * reaches the changed element instead of failing at the outer SEQUENCE. OCTET STRING and BIT STRING
 * contents that are themselves DER (extension values, the SubjectPublicKey, signed attributes) are opened
 * too, since that is where certificates and CMS hide their deepest fields. Immutable.
 *
 * @param tag the identifier octets
 * @param content the content octets of a primitive element (null when {@code children} is set)
 * @param children the elements inside a constructed or encapsulating element, or null
 * @param prefix octets before encapsulated children (the unused-bits octet of a BIT STRING)
 * @param length the length octets to write instead of the right ones, or null for the right ones
 */
record Der(byte[] tag, byte[] content, List<Der> children, byte[] prefix, byte[] length) {

    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;

    static Der primitive(int tag, byte[] content) {
        return new Der(new byte[] {(byte) tag}, content, null, null, null);
    }

    static Der constructed(int tag, List<Der> children) {
        return new Der(new byte[] {(byte) tag}, null, List.copyOf(children), null, null);
    }

    /** Parses valid DER made by the tests themselves; anything else is a bug in the test. */
    static Der parse(byte[] der) {
        int[] end = new int[1];
        Der element = read(der, 0, end, 0);
        if (element == null || end[0] != der.length) {
            throw new IllegalArgumentException("not one DER element");
        }
        return element;
    }

    int firstTag() {
        return tag[0] & 0xff;
    }

    boolean isParent() {
        return children != null;
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    /** Every element, this one first, depth first: what a mutation picks its target from. */
    List<Der> elements() {
        List<Der> all = new ArrayList<>();
        collect(all);
        return all;
    }

    /** This tree with {@code target} (compared by identity) replaced by the given elements (none: deleted). */
    Der replace(Der target, List<Der> replacements) {
        if (!isParent()) {
            return this;
        }
        List<Der> changed = new ArrayList<>();
        for (Der child : children) {
            if (child == target) {
                changed.addAll(replacements);
            } else {
                changed.add(child.replace(target, replacements));
            }
        }
        return new Der(tag, null, changed, prefix, length);
    }

    /** The content octets as they would be encoded (children and prefix included). */
    byte[] contentBytes() {
        if (!isParent()) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (prefix != null) {
            out.writeBytes(prefix);
        }
        children.forEach(child -> child.write(out));
        return out.toByteArray();
    }

    Der withTag(byte[] newTag) {
        return new Der(newTag, content, children, prefix, length);
    }

    Der withContent(byte[] newContent) {
        return new Der(tag, newContent, null, null, length);
    }

    Der withLength(byte[] newLength) {
        return new Der(tag, content, children, prefix, newLength);
    }

    static byte[] definiteLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (n >>> (8 * i));
        }
        return out;
    }

    private void write(ByteArrayOutputStream out) {
        byte[] body = contentBytes();
        out.writeBytes(tag);
        out.writeBytes(length != null ? length : definiteLength(body.length));
        out.writeBytes(body);
    }

    private void collect(List<Der> all) {
        all.add(this);
        if (isParent()) {
            children.forEach(child -> child.collect(all));
        }
    }

    private static Der read(byte[] in, int offset, int[] end, int depth) {
        if (offset + 2 > in.length || depth > 40 || (in[offset] & 0x1f) == 0x1f) {
            return null;
        }
        byte[] tag = {in[offset]};
        int pos = offset + 1;
        int first = in[pos++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 3 || pos + count > in.length) {
                return null;
            }
            if (in[pos] == 0) {
                return null; // not minimal: re-encoding would change bytes nobody meant to change
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (in[pos++] & 0xff);
            }
            if (length < 0x80) {
                return null;
            }
        }
        if (pos + length > in.length) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(in, pos, pos + length);
        end[0] = pos + length;
        boolean constructed = (tag[0] & 0x20) != 0;
        if (constructed) {
            List<Der> children = readAll(body, 0, depth);
            return children == null ? new Der(tag, body, null, null, null) : new Der(tag, null, children, null, null);
        }
        int type = tag[0] & 0xff;
        if (type == OCTET_STRING && body.length > 1 && (body[0] & 0xff) >= 0x30) {
            List<Der> inside = readAll(body, 0, depth);
            if (inside != null && inside.size() == 1) {
                return new Der(tag, null, inside, null, null);
            }
        }
        if (type == BIT_STRING && body.length > 2 && body[0] == 0 && (body[1] & 0xff) == SEQUENCE) {
            List<Der> inside = readAll(body, 1, depth);
            if (inside != null && inside.size() == 1) {
                return new Der(tag, null, inside, new byte[] {0}, null);
            }
        }
        return new Der(tag, body, null, null, null);
    }

    private static List<Der> readAll(byte[] body, int start, int depth) {
        List<Der> children = new ArrayList<>();
        int pos = start;
        int[] end = new int[1];
        while (pos < body.length) {
            Der child = read(body, pos, end, depth + 1);
            if (child == null) {
                return null;
            }
            children.add(child);
            pos = end[0];
        }
        return children;
    }

    @Override
    public String toString() {
        return String.format("%02x", firstTag()) + (isParent() ? children.toString() : "(" + content.length + ")");
    }
}
