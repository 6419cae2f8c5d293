package org.cagate.server.driver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Replaces one entry of a zip and copies every other entry byte for byte, local header, data and
 * central-directory record alike. Re-writing through {@link java.util.zip.ZipOutputStream} would lose
 * what it cannot set (the Unix mode that makes {@code bin/cagate-agent.sh} executable) and would make
 * the served bytes, and so their SHA-256, depend on each node's zlib. The replaced entry is STORED, so
 * the result is the same on every node. Zip64 archives are refused; the agent's zip is a few megabytes.
 */
final class AgentZip {

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int END_BYTES = 22;
    private static final int DATA_DESCRIPTOR_FLAG = 0x0008;

    private AgentZip() {}

    /** The archive is not one this class can rewrite. */
    static final class BadZipException extends IOException {
        private static final long serialVersionUID = 1L;

        BadZipException(String message) {
            super(message);
        }
    }

    private record Entry(String name, int centralOffset, int centralLength, int localOffset) {}

    /** The uncompressed bytes of an entry, or null when there is none of that name. */
    static byte[] read(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        return null;
    }

    /** The entry's last-modified time in milliseconds, or -1 when there is none of that name. */
    static long time(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return e.getTime();
                }
            }
        }
        return -1;
    }

    /**
     * The zip with the named entry's content replaced by {@code change} of its old content.
     *
     * @throws BadZipException when the archive cannot be read this way or has no such entry
     */
    static byte[] replace(byte[] zip, String name, UnaryOperator<byte[]> change) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = findEnd(in);
        int count = in.getShort(end + 10) & 0xFFFF;
        int centralSize = in.getInt(end + 12);
        int centralStart = in.getInt(end + 16);
        if (in.getShort(end + 4) != 0
                || count == 0xFFFF
                || centralStart < 0
                || centralSize < 0
                || (long) centralStart + centralSize > end) {
            throw new BadZipException("multi-disk, zip64 or damaged archive");
        }
        List<Entry> entries = centralDirectory(in, centralStart, count);
        byte[] newContent = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length + 256);
        int[] newOffsets = new int[entries.size()];
        List<Entry> byLocal = new ArrayList<>(entries);
        byLocal.sort(Comparator.comparingInt(Entry::localOffset));
        for (int i = 0; i < byLocal.size(); i++) {
            Entry e = byLocal.get(i);
            int next = i + 1 < byLocal.size() ? byLocal.get(i + 1).localOffset() : centralStart;
            newOffsets[entries.indexOf(e)] = out.size();
            if (!e.name().equals(name)) {
                out.write(zip, e.localOffset(), next - e.localOffset());
                continue;
            }
            byte[] old = read(zip, name);
            newContent = change.apply(old);
            writeStoredLocal(out, in, e, newContent);
        }
        if (newContent == null) {
            throw new BadZipException("no entry " + name);
        }
        int newCentralStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] record = new byte[e.centralLength()];
            System.arraycopy(zip, e.centralOffset(), record, 0, record.length);
            ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            if (e.name().equals(name)) {
                r.putShort(8, (short) (r.getShort(8) & ~DATA_DESCRIPTOR_FLAG));
                r.putShort(10, (short) ZipEntry.STORED);
                r.putInt(16, (int) crc(newContent));
                r.putInt(20, newContent.length);
                r.putInt(24, newContent.length);
            }
            r.putInt(42, newOffsets[i]);
            out.write(record);
        }
        int newCentralSize = out.size() - newCentralStart;
        byte[] tail = new byte[zip.length - end];
        System.arraycopy(zip, end, tail, 0, tail.length);
        ByteBuffer t = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
        t.putInt(12, newCentralSize);
        t.putInt(16, newCentralStart);
        out.write(tail);
        return out.toByteArray();
    }

    private static int findEnd(ByteBuffer in) throws BadZipException {
        int limit = Math.max(0, in.capacity() - END_BYTES - 0xFFFF);
        for (int at = in.capacity() - END_BYTES; at >= limit; at--) {
            if (in.getInt(at) == END && at + END_BYTES + (in.getShort(at + 20) & 0xFFFF) == in.capacity()) {
                return at;
            }
        }
        throw new BadZipException("no end of central directory");
    }

    private static List<Entry> centralDirectory(ByteBuffer in, int start, int count) throws BadZipException {
        List<Entry> entries = new ArrayList<>(count);
        int at = start;
        for (int i = 0; i < count; i++) {
            if (at + 46 > in.capacity() || in.getInt(at) != CENTRAL) {
                throw new BadZipException("bad central directory record " + i);
            }
            int nameLength = in.getShort(at + 28) & 0xFFFF;
            int extraLength = in.getShort(at + 30) & 0xFFFF;
            int commentLength = in.getShort(at + 32) & 0xFFFF;
            int localOffset = in.getInt(at + 42);
            if (localOffset < 0 || localOffset >= start || in.getInt(localOffset) != LOCAL) {
                throw new BadZipException("bad local header offset of record " + i);
            }
            byte[] name = new byte[nameLength];
            in.get(at + 46, name);
            int length = 46 + nameLength + extraLength + commentLength;
            entries.add(new Entry(new String(name, StandardCharsets.UTF_8), at, length, localOffset));
            at += length;
        }
        return entries;
    }

    /** A local header for the new content: the old one's version, flags (without a data descriptor) and time. */
    private static void writeStoredLocal(ByteArrayOutputStream out, ByteBuffer in, Entry e, byte[] content) {
        int at = e.localOffset();
        int nameLength = in.getShort(at + 26) & 0xFFFF;
        ByteBuffer header = ByteBuffer.allocate(30 + nameLength).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(LOCAL);
        header.putShort(in.getShort(at + 4));
        header.putShort((short) (in.getShort(at + 6) & ~DATA_DESCRIPTOR_FLAG));
        header.putShort((short) ZipEntry.STORED);
        header.putShort(in.getShort(at + 10));
        header.putShort(in.getShort(at + 12));
        header.putInt((int) crc(content));
        header.putInt(content.length);
        header.putInt(content.length);
        header.putShort((short) nameLength);
        header.putShort((short) 0);
        byte[] name = new byte[nameLength];
        in.get(at + 30, name);
        header.put(name);
        out.write(header.array(), 0, header.capacity());
        out.write(content, 0, content.length);
    }

    private static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }
}
