package org.cagate.pki.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Random input for parsers that expect DER: plain random bytes, and random but well-formed TLV trees
 * (mostly SEQUENCEs, the types certificates and CMS use), so parsing gets past the first length check.
 */
final class RandomDer {
    private static final int[] PRIMITIVES = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x80, 0x81};
    private static final int[] CONSTRUCTED = {0x30, 0x30, 0x30, 0x31, 0xa0, 0xa1, 0xa3};

    private RandomDer() {}

    static Arbitrary<byte[]> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(600)),
                Tuple.of(
                        2,
                        Arbitraries.bytes()
                                .array(byte[].class)
                                .ofMinSize(2)
                                .ofMaxSize(64)
                                .map(RandomDer::sequenceHeader)),
                Tuple.of(6, Arbitraries.randomValue(random -> tree(random, 0).encode())));
    }

    /** Random bytes behind a SEQUENCE tag and a length that may or may not fit. */
    private static byte[] sequenceHeader(byte[] body) {
        byte[] out = new byte[body.length + 2];
        out[0] = 0x30;
        out[1] = (byte) (body.length - (body[0] & 3));
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    private static Der tree(Random random, int depth) {
        if (depth > 0 && (depth > 7 || random.nextInt(3) == 0)) {
            int tag = PRIMITIVES[random.nextInt(PRIMITIVES.length)];
            byte[] content = new byte[random.nextInt(depth == 0 ? 8 : 40)];
            random.nextBytes(content);
            return Der.primitive(tag, content);
        }
        int tag = depth == 0 ? 0x30 : CONSTRUCTED[random.nextInt(CONSTRUCTED.length)];
        List<Der> children = new ArrayList<>();
        int n = random.nextInt(depth == 0 ? 4 : 6);
        for (int i = 0; i < n; i++) {
            children.add(tree(random, depth + 1));
        }
        return Der.constructed(tag, children);
    }
}
