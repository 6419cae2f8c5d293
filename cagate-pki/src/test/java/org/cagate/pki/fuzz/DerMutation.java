package org.cagate.pki.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * One change to one element of a DER tree; the enclosing lengths are recomputed when the tree is encoded
 * again, so the change is what the parser meets (see {@link Der}). The target is an index into the
 * element list, taken modulo its size; {@code bytes} and {@code number} parameterise the change.
 */
record DerMutation(Kind kind, int target, byte[] bytes, int number) {

    enum Kind {
        REPLACE_CONTENT,
        TRUNCATE_CONTENT,
        FLIP_BIT,
        WRONG_LENGTH,
        CHANGE_TAG,
        TYPED_VALUE,
        DELETE,
        DUPLICATE,
        SWAP_WITH_NEXT,
        INSERT
    }

    private static final int[] UNIVERSAL_TAGS = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0x30, 0x31, 0x80, 0xa0, 0xa3
    };

    private static final List<String> BAD_TIMES = List.of(
            "",
            "991332256099Z",
            "260230100000Z",
            "261128246000Z",
            "2611281000Z",
            "261128100000",
            "261128100000+0800",
            "20261301000000Z",
            "20260229100000Z",
            "99991231235960Z",
            "20261128100000.5Z",
            "2026112810000Z",
            "00000101000000Z",
            "20261128100000\u0000",
            "２０２６１１２８１０００００Z");

    static Gen<DerMutation> any() {
        return Generate.enumValues(Kind.class)
                .zip(Generate.range(0, 100_000), Gens.bytes(0, 48), Generate.range(0, 1 << 20), DerMutation::new);
    }

    /** A valid DER input with one to three mutations applied in turn. */
    static Gen<byte[]> of(Gen<byte[]> valid) {
        return valid.zip(Gens.list(any(), 1, 3), (der, mutations) -> {
            Der tree = Der.parse(der);
            for (DerMutation mutation : mutations) {
                tree = mutation.apply(tree);
            }
            return tree.encode();
        });
    }

    Der apply(Der root) {
        List<Der> all = root.elements();
        boolean structural =
                kind == Kind.DELETE || kind == Kind.DUPLICATE || kind == Kind.SWAP_WITH_NEXT || kind == Kind.INSERT;
        if (structural && all.size() < 2) {
            return root;
        }
        Der node = structural
                ? all.get(1 + Math.floorMod(target, all.size() - 1))
                : all.get(Math.floorMod(target, all.size()));
        Der changed = switch (kind) {
            case REPLACE_CONTENT -> node.withContent(bytes.clone());
            case TRUNCATE_CONTENT -> truncate(node);
            case FLIP_BIT -> flip(node);
            case WRONG_LENGTH -> wrongLength(node);
            case CHANGE_TAG -> node.withTag(tag(node));
            case TYPED_VALUE -> node.withContent(typedValue(node));
            case DELETE, DUPLICATE, SWAP_WITH_NEXT, INSERT -> null;
        };
        if (changed != null) {
            return node == root ? changed : root.replace(node, List.of(changed));
        }
        return switch (kind) {
            case DELETE -> root.replace(node, List.of());
            case DUPLICATE -> root.replace(node, List.of(node, node));
            case INSERT ->
                root.replace(node, List.of(node, Der.primitive(bytes.length == 0 ? 0x05 : bytes[0], rest())));
            default -> swapWithNext(root, node);
        };
    }

    private Der truncate(Der node) {
        byte[] content = node.contentBytes();
        return node.withContent(Arrays.copyOf(content, Math.floorMod(number, content.length + 1)));
    }

    private Der flip(Der node) {
        byte[] content = node.contentBytes().clone();
        if (content.length == 0) {
            return node.withContent(new byte[] {(byte) number});
        }
        content[Math.floorMod(number >>> 3, content.length)] ^= (byte) (1 << (number & 7));
        return node.withContent(content);
    }

    /** Lengths DER forbids or that do not fit: too long, too short, indefinite, non-minimal, absurd. */
    private Der wrongLength(Der node) {
        int actual = node.contentBytes().length;
        return switch (Math.floorMod(number, 9)) {
            case 0 -> node.withLength(Der.definiteLength(actual + 1 + (number >>> 4) % 64));
            case 1 -> node.withLength(Der.definiteLength(Math.max(0, actual - 1 - (number >>> 4) % 4)));
            case 2 -> node.withLength(new byte[] {(byte) 0x80});
            case 3 -> node.withLength(new byte[] {(byte) 0x82, (byte) (actual >>> 8), (byte) actual});
            case 4 -> node.withLength(new byte[] {(byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            case 5 -> node.withLength(new byte[] {(byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            case 6 -> node.withLength(new byte[] {(byte) 0x89, 0, 0, 0, 0, 0, 0, 0, 0, (byte) actual});
            case 7 -> node.withLength(new byte[] {(byte) 0xff});
            default -> indefiniteWithEndOfContents(node);
        };
    }

    /** BER's indefinite form done right (content, then 00 00): valid BER, not DER. */
    private static Der indefiniteWithEndOfContents(Der node) {
        byte[] content = node.contentBytes();
        byte[] withEoc = Arrays.copyOf(content, content.length + 2);
        byte[] tag = node.tag().clone();
        tag[0] |= 0x20;
        return new Der(tag, withEoc, null, null, new byte[] {(byte) 0x80});
    }

    private byte[] tag(Der node) {
        int first = node.firstTag();
        return switch (Math.floorMod(number, 4)) {
            case 0 -> new byte[] {(byte) (first ^ 0x20)};
            case 1 -> new byte[] {bytes.length == 0 ? 0 : bytes[0]};
            case 2 -> new byte[] {(byte) (first | 0x1f), (byte) 0x81, (byte) (number >>> 2 & 0x7f)};
            default -> new byte[] {(byte) UNIVERSAL_TAGS[(number >>> 2) % UNIVERSAL_TAGS.length]};
        };
    }

    /** Contents that are wrong in a way particular to the element's type. */
    private byte[] typedValue(Der node) {
        int pick = number >>> 3;
        return switch (node.firstTag()) {
            case Der.INTEGER ->
                pickOf(
                        pick,
                        new byte[0],
                        new byte[] {0, 0, 1},
                        new byte[] {(byte) 0xff, (byte) 0xff},
                        new byte[] {(byte) 0x80},
                        filled(300, 0x7f),
                        new byte[] {0});
            case Der.OID ->
                pickOf(
                        pick,
                        new byte[0],
                        new byte[] {(byte) 0x80, 1},
                        new byte[] {0x2a, (byte) 0x80},
                        concat(filled(20, 0xff), new byte[] {1}),
                        new byte[] {0x2a, (byte) 0x86, 0x48},
                        new byte[] {(byte) 0xff});
            case Der.UTC_TIME, Der.GENERALIZED_TIME ->
                BAD_TIMES.get(pick % BAD_TIMES.size()).getBytes(StandardCharsets.UTF_8);
            case 0x01 -> pickOf(pick, new byte[] {5}, new byte[] {0, 0}, new byte[0]);
            case 0x05 -> pickOf(pick, new byte[] {0}, filled(3, 0));
            case Der.BIT_STRING ->
                pickOf(pick, new byte[] {8}, new byte[] {7}, new byte[] {1, (byte) 0xff}, new byte[0], new byte[] {0});
            case 0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e ->
                pickOf(
                        pick,
                        new byte[] {(byte) 0xc0, (byte) 0x80},
                        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                        new byte[] {(byte) 0xff},
                        new byte[] {0},
                        new byte[] {0, 0, 0},
                        filled(5000, 'A'),
                        new byte[0]);
            default -> pickOf(pick, new byte[0], filled(1, 0), bytes.clone(), filled(70_000, 0x30));
        };
    }

    private static Der swapWithNext(Der root, Der node) {
        Der parent = parentOf(root, node);
        if (parent == null) {
            return root;
        }
        List<Der> children = new ArrayList<>(parent.children());
        int i = indexOf(children, node);
        if (i + 1 >= children.size()) {
            return root;
        }
        children.set(i, children.get(i + 1));
        children.set(i + 1, node);
        Der swapped = new Der(parent.tag(), null, children, parent.prefix(), parent.length());
        return parent == root ? swapped : root.replace(parent, List.of(swapped));
    }

    private static Der parentOf(Der from, Der node) {
        if (!from.isParent()) {
            return null;
        }
        if (indexOf(from.children(), node) >= 0) {
            return from;
        }
        for (Der child : from.children()) {
            Der found = parentOf(child, node);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static int indexOf(List<Der> list, Der node) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == node) {
                return i;
            }
        }
        return -1;
    }

    private byte[] rest() {
        return bytes.length <= 1 ? new byte[0] : Arrays.copyOfRange(bytes, 1, bytes.length);
    }

    private static byte[] pickOf(int pick, byte[]... choices) {
        return choices[pick % choices.length].clone();
    }

    static byte[] filled(int n, int value) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) value);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return kind + "@" + target + "#" + number + "[" + bytes.length + " bytes]";
    }
}
