package org.cagate.server.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The accepted kinds are told by their bytes, and a name must carry the kind's extension. */
class PackageKindTests {

    static byte[] bytes(int length, int... prefix) {
        byte[] b = new byte[length];
        for (int i = 0; i < prefix.length; i++) {
            b[i] = (byte) prefix[i];
        }
        return b;
    }

    /** A minimal DOS header pointing at a PE signature at 0x80. */
    static byte[] portableExecutable() {
        byte[] b = bytes(512, 'M', 'Z');
        b[0x3C] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    private static Optional<PackageKind> detect(byte[] file) {
        byte[] head = Arrays.copyOf(file, Math.min(file.length, PackageKind.HEAD_BYTES));
        byte[] tail = Arrays.copyOfRange(file, Math.max(0, file.length - PackageKind.TAIL_BYTES), file.length);
        return PackageKind.detect(head, tail);
    }

    @Test
    void detectWhenEachAcceptedSignatureThenItsKind() {
        assertThat(detect(bytes(100, 0x50, 0x4B, 0x03, 0x04))).contains(PackageKind.ZIP);
        assertThat(detect(portableExecutable())).contains(PackageKind.EXE);
        assertThat(detect(bytes(600, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)))
                .contains(PackageKind.MSI);
        assertThat(detect(bytes(100, 'x', 'a', 'r', '!'))).contains(PackageKind.PKG);
        assertThat(detect(bytes(100, 0xED, 0xAB, 0xEE, 0xDB))).contains(PackageKind.RPM);
        assertThat(detect(bytes(100, 0x1F, 0x8B, 0x08))).contains(PackageKind.TAR_GZ);
        byte[] deb = Arrays.copyOf("!<arch>\ndebian-binary   ".getBytes(StandardCharsets.US_ASCII), 200);
        assertThat(detect(deb)).contains(PackageKind.DEB);
        byte[] dmg = new byte[4096];
        System.arraycopy("koly".getBytes(StandardCharsets.US_ASCII), 0, dmg, 4096 - 512, 4);
        assertThat(detect(dmg)).contains(PackageKind.DMG);
    }

    @Test
    void detectWhenNotAnInstallerThenNothing() {
        assertThat(detect("这是一个文本文件，不是安装包".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(detect(bytes(512, 'M', 'Z')))
                .as("DOS stub without PE header")
                .isEmpty();
        assertThat(detect("<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(detect(bytes(300, 0x50, 0x4B, 0x05, 0x06)))
                .as("an empty zip")
                .isEmpty();
        assertThat(detect(new byte[0])).isEmpty();
        byte[] shortDmg = "koly".getBytes(StandardCharsets.US_ASCII);
        assertThat(detect(shortDmg)).as("no 512-byte trailer").isEmpty();
    }

    @Test
    void fitsNameWhenExtensionOfTheKindThenTrueInAnyCase() {
        assertThat(PackageKind.ZIP.fitsName("四川CA驱动.ZIP")).isTrue();
        assertThat(PackageKind.TAR_GZ.fitsName("driver-3.2.tar.gz")).isTrue();
        assertThat(PackageKind.TAR_GZ.fitsName("driver.tgz")).isTrue();
        assertThat(PackageKind.ZIP.fitsName("driver.exe")).isFalse();
        assertThat(PackageKind.EXE.fitsName("driver.exe.zip")).isFalse();
    }
}
