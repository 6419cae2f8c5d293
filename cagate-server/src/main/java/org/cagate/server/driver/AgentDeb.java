package org.cagate.server.driver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads a Debian binary package (an ar archive of debian-binary, control.tar.gz and data.tar.gz) and
 * replaces one file of its data.tar.gz, copying every other tar entry byte for byte. The agent's package is
 * built with gzip (cagate-agent/src/deb/build-deb.sh) so that java.util.zip can do this; the conffile
 * that changes is left out of DEBIAN/md5sums, as conffiles are. GNU long names ({@code ././@LongLink}) and
 * ustar prefixes are understood; the result is the same bytes on every node.
 */
final class AgentDeb {

    static final class BadDebException extends IOException {
        BadDebException(String message) {
            super(message);
        }
    }

    private static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
    private static final int AR_HEADER = 60;
    private static final int BLOCK = 512;

    private record Member(String name, int header, int data, int size) {}

    private AgentDeb() {}

    /** The fields of DEBIAN/control (Package, Version, Architecture, ...). */
    static Map<String, String> control(byte[] deb) throws IOException {
        byte[] tar = gunzip(deb, member(deb, "control.tar.gz"));
        byte[] control = entry(tar, "./control");
        if (control == null) {
            throw new BadDebException("no control file in control.tar.gz");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : new String(control, StandardCharsets.UTF_8).split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.merge(last, "\n" + line.strip(), String::concat);
            } else if (line.indexOf(':') > 0) {
                last = line.substring(0, line.indexOf(':')).strip();
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }

    /** A file of data.tar.gz (e.g. "./etc/cagate-agent/cagate-agent.properties"), or null. */
    static byte[] read(byte[] deb, String path) throws IOException {
        return entry(gunzip(deb, member(deb, "data.tar.gz")), path);
    }

    /** The modification time (seconds since 1970) of a file of data.tar.gz, or -1 when absent. */
    static long time(byte[] deb, String path) throws IOException {
        byte[] tar = gunzip(deb, member(deb, "data.tar.gz"));
        for (Entry e : entries(tar)) {
            if (e.name().equals(path)) {
                return octal(tar, e.header() + 136, 12);
            }
        }
        return -1;
    }

    /** The package with one file of data.tar.gz replaced by {@code change} of its old content. */
    static byte[] replace(byte[] deb, String path, UnaryOperator<byte[]> change) throws IOException {
        Member data = member(deb, "data.tar.gz");
        byte[] tar = gunzip(deb, data);
        Entry found = null;
        for (Entry e : entries(tar)) {
            if (e.name().equals(path) && e.regular()) {
                found = e;
            }
        }
        if (found == null) {
            throw new BadDebException("no " + path + " in data.tar.gz");
        }
        byte[] content = change.apply(Arrays.copyOfRange(tar, found.data(), found.data() + found.size()));
        ByteArrayOutputStream newTar = new ByteArrayOutputStream(tar.length + BLOCK);
        newTar.write(tar, 0, found.header());
        byte[] header = Arrays.copyOfRange(tar, found.header(), found.header() + BLOCK);
        byte[] size = String.format("%011o", content.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, header, 124, 11);
        header[135] = 0;
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, header, 148, 6);
        header[154] = 0;
        header[155] = ' ';
        newTar.write(header);
        newTar.write(content);
        newTar.write(new byte[padding(content.length)]);
        int after = found.data() + found.size() + padding(found.size());
        newTar.write(tar, after, tar.length - after);
        byte[] gz = gzip(newTar.toByteArray());

        ByteArrayOutputStream out = new ByteArrayOutputStream(deb.length + 1024);
        out.write(deb, 0, data.header());
        byte[] arHeader = Arrays.copyOfRange(deb, data.header(), data.header() + AR_HEADER);
        byte[] arSize = String.format("%-10d", gz.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(arSize, 0, arHeader, 48, 10);
        out.write(arHeader);
        out.write(gz);
        if (gz.length % 2 == 1) {
            out.write('\n');
        }
        int next = data.data() + data.size() + data.size() % 2;
        out.write(deb, next, deb.length - next);
        return out.toByteArray();
    }

    private static Member member(byte[] deb, String wanted) throws IOException {
        if (deb.length < MAGIC.length || !Arrays.equals(deb, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BadDebException("not a Debian package (no ar archive)");
        }
        int at = MAGIC.length;
        boolean first = true;
        while (at + AR_HEADER <= deb.length) {
            String name = new String(deb, at, 16, StandardCharsets.US_ASCII).strip();
            if (name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            int size;
            try {
                size = Integer.parseInt(new String(deb, at + 48, 10, StandardCharsets.US_ASCII).strip());
            } catch (NumberFormatException e) {
                throw new BadDebException("damaged ar member header at " + at);
            }
            int data = at + AR_HEADER;
            if (size < 0 || data + size > deb.length) {
                throw new BadDebException("ar member " + name + " runs past the end");
            }
            if (first
                    && (!name.equals("debian-binary")
                            || !new String(deb, data, size, StandardCharsets.US_ASCII).startsWith("2."))) {
                throw new BadDebException("not a Debian 2.x package (no debian-binary first)");
            }
            first = false;
            if (name.equals(wanted)) {
                return new Member(name, at, data, size);
            }
            at = data + size + size % 2;
        }
        throw new BadDebException("no " + wanted + " in the package (it must be built with dpkg-deb -Zgzip)");
    }

    private record Entry(String name, int header, int data, int size, byte type) {
        boolean regular() {
            return type == '0' || type == 0;
        }
    }

    private static List<Entry> entries(byte[] tar) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String longName = null;
        int at = 0;
        while (at + BLOCK <= tar.length && tar[at] != 0) {
            long size = octal(tar, at + 124, 12);
            if (size < 0 || at + BLOCK + size > tar.length) {
                throw new BadDebException("damaged tar entry at " + at);
            }
            byte type = tar[at + 156];
            int data = at + BLOCK;
            if (type == 'L') {
                longName = cString(tar, data, (int) size);
            } else {
                String name = longName;
                if (name == null) {
                    String prefix = cString(tar, at + 345, 155);
                    String base = cString(tar, at, 100);
                    boolean ustar = new String(tar, at + 257, 5, StandardCharsets.US_ASCII).equals("ustar");
                    name = ustar && !prefix.isEmpty() && tar[at + 263] == '0' ? prefix + "/" + base : base;
                }
                entries.add(new Entry(name, at, data, (int) size, type));
                longName = null;
            }
            at = data + (int) size + padding((int) size);
        }
        return entries;
    }

    private static byte[] entry(byte[] tar, String path) throws IOException {
        for (Entry e : entries(tar)) {
            if (e.name().equals(path) && e.regular()) {
                return Arrays.copyOfRange(tar, e.data(), e.data() + e.size());
            }
        }
        return null;
    }

    private static long octal(byte[] b, int at, int length) throws BadDebException {
        long value = 0;
        int i = at;
        while (i < at + length && (b[i] == ' ' || b[i] == 0)) {
            i++;
        }
        for (; i < at + length && b[i] >= '0' && b[i] <= '7'; i++) {
            value = value * 8 + (b[i] - '0');
        }
        if (i < at + length && b[i] != 0 && b[i] != ' ') {
            throw new BadDebException("not an octal number in a tar header");
        }
        return value;
    }

    private static String cString(byte[] b, int at, int length) {
        int end = at;
        while (end < at + length && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    private static int padding(int size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static byte[] gunzip(byte[] deb, Member member) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(deb, member.data(), member.size()))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
        // The default level: level 9 takes twice as long for 1-2 % on a runtime image that is mostly compressed.
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
