package org.cagate.server.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing the configuration template in the agent's zip: the new content in, every other entry byte
 * for byte as it was (so Unix modes survive and the result does not depend on a node's zlib), readable
 * by the JDK and by Info-ZIP's unzip.
 */
class AgentZipTests {

    private static final String TEMPLATE = AgentPackage.TEMPLATE;

    @TempDir
    Path folder;

    private static byte[] replaced(byte[] zip) throws IOException {
        return AgentZip.replace(
                zip,
                TEMPLATE,
                old -> new String(old, StandardCharsets.UTF_8)
                        .replace(AgentPackage.PLACEHOLDER, "https://zcy.example.gov.cn")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, byte[]> contents(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** Each central-directory record without its local-header offset: name, method, CRC, sizes, modes. */
    private static Map<String, byte[]> centralRecords(byte[] zip) {
        ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (in.getInt(end) != 0x06054b50) {
            end--;
        }
        int count = in.getShort(end + 10) & 0xFFFF;
        int at = in.getInt(end + 16);
        Map<String, byte[]> records = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int length = 46
                    + (in.getShort(at + 28) & 0xFFFF)
                    + (in.getShort(at + 30) & 0xFFFF)
                    + (in.getShort(at + 32) & 0xFFFF);
            byte[] record = Arrays.copyOfRange(zip, at, at + length);
            Arrays.fill(record, 42, 46, (byte) 0);
            records.put(new String(record, 46, in.getShort(at + 28) & 0xFFFF, StandardCharsets.UTF_8), record);
            at += length;
        }
        return records;
    }

    @Test
    void replaceWhenTemplatePresentThenOnlyItChangesAndUnzipAgrees() throws Exception {
        byte[] original = LocalAgent.zipBytes("1.2.3", LocalAgent.template());

        byte[] result = replaced(original);

        Map<String, byte[]> before = contents(original);
        Map<String, byte[]> after = contents(result);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        String template = new String(after.get(TEMPLATE), StandardCharsets.UTF_8);
        assertThat(template)
                .contains("agent.allowedOrigins=https://zcy.example.gov.cn")
                .doesNotContain(AgentPackage.PLACEHOLDER);
        before.forEach((name, content) -> {
            if (!name.equals(TEMPLATE)) {
                assertThat(after.get(name)).as(name).isEqualTo(content);
            }
        });
        Map<String, byte[]> recordsBefore = centralRecords(original);
        Map<String, byte[]> recordsAfter = centralRecords(result);
        recordsBefore.forEach((name, record) -> {
            if (!name.equals(TEMPLATE)) {
                assertThat(recordsAfter.get(name)).as(name).isEqualTo(record);
            }
        });
        assertThat(replaced(original)).as("the same bytes every time").isEqualTo(result);
        assertUnzipAccepts(result);
    }

    @Test
    void replaceWhenAgentBuildZipPresentThenUnixModesAndOtherEntriesKept() throws Exception {
        File[] built = new File("../cagate-agent/target")
                .listFiles((dir, name) -> name.startsWith("cagate-agent-") && name.endsWith(".zip"));
        assumeTrue(built != null && built.length > 0, "cagate-agent's zip is not built: skipping the check on it");
        byte[] original = Files.readAllBytes(built[0].toPath());

        byte[] result = replaced(original);

        Map<String, byte[]> recordsBefore = centralRecords(original);
        Map<String, byte[]> recordsAfter = centralRecords(result);
        assertThat(recordsAfter.keySet()).containsExactlyElementsOf(recordsBefore.keySet());
        int modes = 0;
        for (String name : recordsBefore.keySet()) {
            byte[] before = recordsBefore.get(name);
            byte[] after = recordsAfter.get(name);
            // External attributes (bytes 38-41) hold the Unix mode in their upper half.
            assertThat(Arrays.copyOfRange(after, 38, 42)).as(name).isEqualTo(Arrays.copyOfRange(before, 38, 42));
            if (name.endsWith(".sh")
                    && (ByteBuffer.wrap(after, 40, 2)
                                            .order(ByteOrder.LITTLE_ENDIAN)
                                            .getShort()
                                    & 0111)
                            != 0) {
                modes++;
            }
            if (!name.equals(TEMPLATE)) {
                assertThat(after).as(name).isEqualTo(before);
            }
        }
        assertThat(modes).as("bin/cagate-agent.sh stays executable").isEqualTo(1);
        assertThat(new String(contents(result).get(TEMPLATE), StandardCharsets.UTF_8))
                .contains("agent.allowedOrigins=https://zcy.example.gov.cn");
        assertUnzipAccepts(result);
    }

    @Test
    void replaceWhenNoSuchEntryOrNotAZipThenRefused() throws Exception {
        byte[] zip = LocalAgent.zipBytes("1.0", "x=1");

        assertThatThrownBy(() -> AgentZip.replace(zip, "cagate-agent/none.properties", old -> old))
                .isInstanceOf(AgentZip.BadZipException.class);
        assertThatThrownBy(() -> AgentZip.replace("不是压缩包".getBytes(StandardCharsets.UTF_8), TEMPLATE, old -> old))
                .isInstanceOf(AgentZip.BadZipException.class);
        byte[] truncated = Arrays.copyOf(zip, zip.length / 2);
        assertThatThrownBy(() -> AgentZip.replace(truncated, TEMPLATE, old -> old))
                .isInstanceOf(IOException.class);
    }

    private void assertUnzipAccepts(byte[] zip) throws Exception {
        if (!new File("/usr/bin/unzip").canExecute()) {
            return; // the JDK's reading above is the check then
        }
        Path file = Files.write(folder.resolve("served.zip"), zip);
        Process unzip = new ProcessBuilder("/usr/bin/unzip", "-tq", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unzip.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unzip.exitValue()).as(output).isZero();
    }
}
