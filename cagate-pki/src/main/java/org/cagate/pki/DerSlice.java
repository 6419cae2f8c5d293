package org.cagate.pki;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One DER element (tag, length, value) inside a byte array, read without copying or building objects:
 * what {@link CmsSignatures} walks a SignedData with. Strict DER framing only: one-byte tags, definite
 * minimal lengths, children that fill their parent exactly. Anything else is a {@link MalformedException}.
 */
final class DerSlice {
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int OID = 0x06;
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;

    private final byte[] data;
    private final int tag;
    private final int start;
    private final int valueStart;
    private final int end;

    /** The input is not DER this reader accepts. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private DerSlice(byte[] data, int tag, int start, int valueStart, int end) {
        this.data = data;
        this.tag = tag;
        this.start = start;
        this.valueStart = valueStart;
        this.end = end;
    }

    /** The one element that makes up all of {@code data}. */
    static DerSlice of(byte[] data) throws MalformedException {
        DerSlice slice = read(data, 0, data.length);
        if (slice.end != data.length) {
            throw new MalformedException("data after the DER element");
        }
        return slice;
    }

    private static DerSlice read(byte[] data, int offset, int limit) throws MalformedException {
        if (limit - offset < 2) {
            throw new MalformedException("truncated element");
        }
        int tag = data[offset] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new MalformedException("multi-byte tag");
        }
        int first = data[offset + 1] & 0xff;
        int position = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4) {
                throw new MalformedException(count == 0 ? "indefinite length (BER, not DER)" : "length too long");
            }
            if (limit - position < count) {
                throw new MalformedException("truncated length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (data[position++] & 0xff);
            }
            if (length < 0x80 || (data[offset + 2] & 0xff) == 0) {
                throw new MalformedException("length not in its shortest form");
            }
        }
        if (length > limit - position) {
            throw new MalformedException("length beyond the data");
        }
        return new DerSlice(data, tag, offset, position, position + (int) length);
    }

    int tag() {
        return tag;
    }

    boolean is(int expectedTag) {
        return tag == expectedTag;
    }

    /** The elements a constructed element holds, in order. */
    List<DerSlice> children() throws MalformedException {
        if ((tag & 0x20) == 0) {
            throw new MalformedException("tag " + Integer.toHexString(tag) + " is not constructed");
        }
        List<DerSlice> children = new ArrayList<>(6);
        int position = valueStart;
        while (position < end) {
            DerSlice child = read(data, position, end);
            children.add(child);
            position = child.end;
        }
        return children;
    }

    /** The whole element, tag and length included, as sent. */
    byte[] encoded() {
        return Arrays.copyOfRange(data, start, end);
    }

    /** The whole element with its tag replaced: an IMPLICIT [0] SET as the SET it stands for. */
    byte[] encodedAs(int newTag) {
        byte[] copy = encoded();
        copy[0] = (byte) newTag;
        return copy;
    }

    byte[] value() {
        return Arrays.copyOfRange(data, valueStart, end);
    }

    /** True when this element's bytes, tag to end, are exactly {@code encoding}. */
    boolean sameBytes(byte[] encoding) {
        return Arrays.equals(data, start, end, encoding, 0, encoding.length);
    }

    /** True when this element's value bytes are exactly {@code value}. */
    boolean sameValue(byte[] value) {
        return Arrays.equals(data, valueStart, end, value, 0, value.length);
    }
}
