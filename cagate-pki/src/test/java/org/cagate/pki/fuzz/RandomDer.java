package org.cagate.pki.fuzz;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Random input for parsers that expect DER: plain random bytes, and random but well-formed TLV trees
 * (mostly SEQUENCEs, the types certificates and CMS use), so parsing gets past the first length check.
 */
final class RandomDer {
    private static final int[] PRIMITIVES = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x80, 0x81};
    private static final int[] CONSTRUCTED = {0x30, 0x30, 0x30, 0x31, 0xa0, 0xa1, 0xa3};

    private RandomDer() {}

    static Gen<byte[]> any() {
        Gen<byte[]> tree = in -> tree(in, 0).encode();
        return Generate.frequency(
                Gens.weight(2, Gens.bytes(0, 600)),
                Gens.weight(2, Gens.bytes(2, 64).map(RandomDer::sequenceHeader)),
                Gens.weight(6, tree));
    }

    /** Random bytes behind a SEQUENCE tag and a length that may or may not fit. */
    private static byte[] sequenceHeader(byte[] body) {
        byte[] out = new byte[body.length + 2];
        out[0] = 0x30;
        out[1] = (byte) (body.length - (body[0] & 3));
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    /** Drawn from QuickTheories' source, not a Random of its own, so the seed fixes the tree and shrinks it. */
    private static Der tree(RandomnessSource in, int depth) {
        if (depth > 0 && (depth > 7 || below(in, 3) == 0)) {
            int tag = PRIMITIVES[below(in, PRIMITIVES.length)];
            byte[] content = Gens.bytes(0, depth == 0 ? 7 : 39).generate(in);
            return Der.primitive(tag, content);
        }
        int tag = depth == 0 ? 0x30 : CONSTRUCTED[below(in, CONSTRUCTED.length)];
        List<Der> children = new ArrayList<>();
        int n = below(in, depth == 0 ? 4 : 6);
        for (int i = 0; i < n; i++) {
            children.add(tree(in, depth + 1));
        }
        return Der.constructed(tag, children);
    }

    private static int below(RandomnessSource in, int bound) {
        return Generate.range(0, bound - 1).generate(in);
    }
}
