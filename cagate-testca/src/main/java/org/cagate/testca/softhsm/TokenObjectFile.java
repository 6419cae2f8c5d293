package org.cagate.testca.softhsm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SoftHSM2's file-backend token.object: an 8-byte generation counter followed by attributes, each
 * (type, kind, value) in big-endian 64-bit words. The token's label, serial and flags live here; SoftHSM2
 * reads them on every C_GetTokenInfo. We rewrite only the serial and the flags, and bump the generation
 * so that a library that already loaded the file sees the change.
 */
final class TokenObjectFile {
    static final long LABEL = 0x80005349L;
    static final long SERIAL = 0x8000534aL;
    static final long FLAGS = 0x8000534bL;

    private static final long KIND_BOOLEAN = 1;
    private static final long KIND_ULONG = 2;
    private static final long KIND_BYTES = 3;

    private record Attribute(long type, long kind, byte[] value) {}

    private final Path file;
    private long generation;
    private final List<Attribute> attributes = new ArrayList<>();

    private TokenObjectFile(Path file) {
        this.file = file;
    }

    static TokenObjectFile read(Path file) {
        TokenObjectFile object = new TokenObjectFile(file);
        try {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
            object.generation = in.getLong();
            while (in.hasRemaining()) {
                long type = in.getLong();
                long kind = in.getLong();
                int length = switch ((int) kind) {
                    case (int) KIND_BOOLEAN -> 1;
                    case (int) KIND_ULONG -> 8;
                    case (int) KIND_BYTES -> Math.toIntExact(in.getLong());
                    default -> throw new SoftHsmException("unexpected attribute kind " + kind + " in " + file);
                };
                byte[] value = new byte[length];
                in.get(value);
                object.attributes.add(new Attribute(type, kind, value));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SoftHsmException s) {
                throw s;
            }
            throw new SoftHsmException("cannot read SoftHSM2 token file " + file, e);
        }
        return object;
    }

    String text(long type) {
        return new String(value(type), StandardCharsets.UTF_8).stripTrailing();
    }

    long number(long type) {
        return ByteBuffer.wrap(value(type)).getLong();
    }

    void setText(long type, String text, int width) {
        byte[] bytes = new byte[width];
        java.util.Arrays.fill(bytes, (byte) ' ');
        byte[] given = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(given, 0, bytes, 0, given.length);
        replace(type, KIND_BYTES, bytes);
    }

    void setNumber(long type, long value) {
        replace(type, KIND_ULONG, ByteBuffer.allocate(8).putLong(value).array());
    }

    void write() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer word = ByteBuffer.allocate(8);
        writeLong(out, word, generation + 1);
        for (Attribute a : attributes) {
            writeLong(out, word, a.type());
            writeLong(out, word, a.kind());
            if (a.kind() == KIND_BYTES) {
                writeLong(out, word, a.value().length);
            }
            out.writeBytes(a.value());
        }
        try {
            Files.write(file, out.toByteArray());
            generation++;
        } catch (IOException e) {
            throw new SoftHsmException("cannot write SoftHSM2 token file " + file, e);
        }
    }

    private static void writeLong(ByteArrayOutputStream out, ByteBuffer word, long value) {
        out.writeBytes(word.clear().putLong(value).array());
    }

    private byte[] value(long type) {
        return attributes.stream()
                .filter(a -> a.type() == type)
                .findFirst()
                .map(Attribute::value)
                .orElseThrow(() -> new SoftHsmException("no attribute 0x" + Long.toHexString(type) + " in " + file));
    }

    private void replace(long type, long kind, byte[] value) {
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).type() == type) {
                attributes.set(i, new Attribute(type, kind, value));
                return;
            }
        }
        throw new SoftHsmException("no attribute 0x" + Long.toHexString(type) + " in " + file);
    }
}
