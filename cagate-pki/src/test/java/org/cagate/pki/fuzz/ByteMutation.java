package org.cagate.pki.fuzz;

import java.util.Arrays;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * A structure-blind change of an input's bytes: truncation, bit flips, a splice with another input,
 * insertion, deletion, overwriting, a repeated range. Positions are taken modulo the input's length.
 */
record ByteMutation(Kind kind, int at, int count, byte[] bytes) {

    enum Kind {
        TRUNCATE,
        FLIP_BITS,
        SPLICE,
        INSERT,
        DELETE,
        OVERWRITE,
        REPEAT
    }

    static Gen<ByteMutation> any() {
        return Generate.enumValues(Kind.class)
                .zip(Generate.range(0, 1 << 20), Generate.range(1, 64), Gens.bytes(1, 32), ByteMutation::new);
    }

    /** A valid input with one to three byte mutations; splices take their second half from {@code other}. */
    static Gen<byte[]> of(Gen<byte[]> valid, Gen<byte[]> other) {
        return valid.zip(other, Gens.list(any(), 1, 3), (input, second, mutations) -> {
            byte[] out = input;
            for (ByteMutation mutation : mutations) {
                out = mutation.apply(out, second);
            }
            return out;
        });
    }

    byte[] apply(byte[] input, byte[] other) {
        int n = input.length;
        int pos = n == 0 ? 0 : Math.floorMod(at, n);
        return switch (kind) {
            case TRUNCATE -> Arrays.copyOf(input, pos);
            case FLIP_BITS -> flip(input);
            case SPLICE -> splice(input, pos, other);
            case INSERT -> insert(input, pos, bytes);
            case DELETE -> delete(input, pos, Math.min(count, n - pos));
            case OVERWRITE -> overwrite(input, pos);
            case REPEAT -> insert(input, pos, Arrays.copyOfRange(input, pos, Math.min(n, pos + count)));
        };
    }

    private byte[] flip(byte[] input) {
        byte[] out = input.clone();
        for (int i = 0; i < Math.min(count, 8) && out.length > 0; i++) {
            int bit = Math.floorMod(at + i * 7919, out.length * 8);
            out[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return out;
    }

    private static byte[] splice(byte[] input, int pos, byte[] other) {
        int from = other.length == 0 ? 0 : Math.floorMod(pos * 31, other.length);
        byte[] out = Arrays.copyOf(input, pos + other.length - from);
        System.arraycopy(other, from, out, pos, other.length - from);
        return out;
    }

    private static byte[] insert(byte[] input, int pos, byte[] inserted) {
        byte[] out = new byte[input.length + inserted.length];
        System.arraycopy(input, 0, out, 0, pos);
        System.arraycopy(inserted, 0, out, pos, inserted.length);
        System.arraycopy(input, pos, out, pos + inserted.length, input.length - pos);
        return out;
    }

    private static byte[] delete(byte[] input, int pos, int length) {
        byte[] out = new byte[input.length - length];
        System.arraycopy(input, 0, out, 0, pos);
        System.arraycopy(input, pos + length, out, pos, input.length - pos - length);
        return out;
    }

    private byte[] overwrite(byte[] input, int pos) {
        byte[] out = input.clone();
        for (int i = 0; i < bytes.length && pos + i < out.length; i++) {
            out[pos + i] = bytes[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return kind + "@" + at + "x" + count;
    }
}
