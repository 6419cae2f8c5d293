package org.cagate.server.driver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of file the download centre accepts, told by their bytes rather than by the name or the
 * Content-Type the uploading browser claims: installers and archives that drivers ship as on Windows,
 * macOS and Linux (including 国产 Linux distributions, which take .deb and .rpm). The file's name must
 * end with an extension of the kind found, so a user's "驱动.exe" is an executable and never a zip.
 */
enum PackageKind {
    ZIP("application/zip", ".zip"),
    EXE("application/vnd.microsoft.portable-executable", ".exe"),
    MSI("application/x-msi", ".msi"),
    PKG("application/x-xar", ".pkg"),
    DMG("application/x-apple-diskimage", ".dmg"),
    DEB("application/vnd.debian.binary-package", ".deb"),
    RPM("application/x-rpm", ".rpm"),
    TAR_GZ("application/gzip", ".tar.gz", ".tgz");

    /** How many leading bytes {@link #detect} needs: enough for a PE header offset of a normal executable. */
    static final int HEAD_BYTES = 4096;

    /** How many trailing bytes {@link #detect} needs: the UDIF trailer of a disk image. */
    static final int TAIL_BYTES = 512;

    private static final byte[] ZIP_LOCAL_HEADER = {0x50, 0x4B, 0x03, 0x04};
    private static final byte[] CFB = {
        (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1
    };
    private static final byte[] XAR = ascii("xar!");
    private static final byte[] KOLY = ascii("koly");
    private static final byte[] DEB_HEADER = ascii("!<arch>\ndebian-binary");
    private static final byte[] RPM_LEAD = {(byte) 0xED, (byte) 0xAB, (byte) 0xEE, (byte) 0xDB};
    private static final byte[] GZIP_DEFLATE = {0x1F, (byte) 0x8B, 0x08};

    private final String mediaType;
    private final List<String> extensions;

    PackageKind(String mediaType, String... extensions) {
        this.mediaType = mediaType;
        this.extensions = List.of(extensions);
    }

    String mediaType() {
        return mediaType;
    }

    List<String> extensions() {
        return extensions;
    }

    /** Whether the file name ends with one of this kind's extensions (any case). */
    boolean fitsName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return extensions.stream().anyMatch(lower::endsWith);
    }

    /**
     * The kind the bytes are, if any accepted one.
     *
     * @param head the file's first bytes (up to {@link #HEAD_BYTES})
     * @param tail the file's last bytes (up to {@link #TAIL_BYTES}); the same as head for a small file
     */
    static Optional<PackageKind> detect(byte[] head, byte[] tail) {
        if (startsWith(head, ZIP_LOCAL_HEADER)) {
            return Optional.of(ZIP);
        }
        if (isPortableExecutable(head)) {
            return Optional.of(EXE);
        }
        if (startsWith(head, CFB)) {
            return Optional.of(MSI);
        }
        if (startsWith(head, XAR)) {
            return Optional.of(PKG);
        }
        if (startsWith(head, DEB_HEADER)) {
            return Optional.of(DEB);
        }
        if (startsWith(head, RPM_LEAD)) {
            return Optional.of(RPM);
        }
        if (startsWith(head, GZIP_DEFLATE)) {
            return Optional.of(TAR_GZ);
        }
        // A UDIF disk image starts with whatever its first partition holds; its 512-byte trailer says "koly".
        if (tail.length == TAIL_BYTES && startsWith(tail, KOLY)) {
            return Optional.of(DMG);
        }
        return Optional.empty();
    }

    /** "MZ", and at the offset the DOS header names, "PE\0\0": a DOS stub alone is not a Windows program. */
    private static boolean isPortableExecutable(byte[] head) {
        if (head.length < 0x40 || head[0] != 'M' || head[1] != 'Z') {
            return false;
        }
        int offset =
                (head[0x3C] & 0xFF) | (head[0x3D] & 0xFF) << 8 | (head[0x3E] & 0xFF) << 16 | (head[0x3F] & 0xFF) << 24;
        return offset >= 0x40
                && offset <= head.length - 4
                && head[offset] == 'P'
                && head[offset + 1] == 'E'
                && head[offset + 2] == 0
                && head[offset + 3] == 0;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
