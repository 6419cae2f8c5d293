package org.cagate.pki.fuzz;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The few generator shapes the properties share, in QuickTheories terms. Everything draws from the
 * {@code RandomnessSource} QuickTheories passes in, so an input is fixed by the seed and can be shrunk.
 */
final class Gens {
    private static final Gen<Byte> ANY_BYTE = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);

    private Gens() {}

    /** Uniformly random bytes, between {@code min} and {@code max} of them. */
    static Gen<byte[]> bytes(int min, int max) {
        return Generate.byteArrays(Generate.range(min, max), ANY_BYTE);
    }

    static Gen<byte[]> bytes(int size) {
        return bytes(size, size);
    }

    /**
     * Strings of up to {@code maxLength} chars, a third each from ASCII (control characters included), the
     * Basic Multilingual Plane (lone surrogates included) and all of Unicode.
     */
    static Gen<String> strings(int maxLength) {
        return Generate.oneOf(
                SourceDSL.strings().ascii().ofLengthBetween(0, maxLength),
                SourceDSL.strings().basicMultilingualPlaneAlphabet().ofLengthBetween(0, maxLength),
                SourceDSL.strings().allPossible().ofLengthBetween(0, maxLength));
    }

    /** Strings of the given characters only. */
    static Gen<String> stringsOf(String chars, int minLength, int maxLength) {
        Gen<Character> one = Generate.pick(chars.chars().mapToObj(c -> (char) c).toList());
        return list(one, minLength, maxLength).map(cs -> {
            StringBuilder out = new StringBuilder(cs.size());
            cs.forEach(out::append);
            return out.toString();
        });
    }

    static <T> Gen<List<T>> list(Gen<T> element, int min, int max) {
        return lists().of(element).ofSizeBetween(min, max);
    }

    @SafeVarargs
    static <T> Gen<T> pick(T... values) {
        return Generate.pick(Arrays.asList(values));
    }

    static <T> Gen<T> pick(List<T> values) {
        return Generate.pick(values);
    }

    static <T> Gen<T> just(T value) {
        return in -> value;
    }

    /** {@code gen}, or null in {@code percent} of the cases. */
    static <T> Gen<T> orNull(Gen<T> gen, int percent) {
        return gen.mix(just(null), percent);
    }

    static <T> Pair<Integer, Gen<T>> weight(int weight, Gen<T> gen) {
        return Pair.of(weight, gen);
    }

    /** True in one case of ten. */
    static Gen<Boolean> rarely() {
        return Generate.frequency(weight(9, just(false)), weight(1, just(true)));
    }

    /** {@code usual} in three cases of four, else any constant (the usual one included). */
    static <E extends Enum<E>> Gen<E> mostly(Class<E> type, E usual) {
        return Generate.frequency(weight(3, just(usual)), weight(1, Generate.enumValues(type)));
    }
}
