package org.cagate.agent;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a vendor's SKF library does not load, in words a help desk can act on: the file is not there, it
 * is a 32-bit library under a 64-bit agent (or the other way round, or for another processor), or a
 * library it needs is missing. The bitness is read from the file's own header (ELF, PE, Mach-O), not
 * guessed from the loader's message, which differs per OS and language.
 */
final class SkfLoading {
    /** glibc: "libfoo.so.1: cannot open shared object file: No such file or directory". */
    private static final Pattern MISSING_DEPENDENCY = Pattern.compile("([^\\s:]+): cannot open shared object file");

    private SkfLoading() {}

    /** The problem before loading is even tried, or null: a missing file, the wrong bitness or processor. */
    static String problemBeforeLoading(Path library) {
        if (!Files.exists(library)) {
            return "file not found: " + library
                    + " (install the CA company's USB key driver, or correct skf.library in the configuration)";
        }
        if (!Files.isRegularFile(library) || !Files.isReadable(library)) {
            return "not a readable file: " + library;
        }
        String architecture = architecture(library);
        String agent = Platform.is64Bit() ? "64-bit" : "32-bit";
        if (architecture != null && !architecture.equals(agentArchitecture())) {
            return library + " is a " + architecture + " library and this agent runs in a " + agent + " Java ("
                    + System.getProperty("os.arch") + "): install the CA company's " + agentArchitecture()
                    + " driver, or run the agent with a Java of the library's kind";
        }
        return null;
    }

    /** Explains a loader failure for a file that exists and has the right architecture. */
    static String explain(Path library, UnsatisfiedLinkError error) {
        String message = String.valueOf(error.getMessage());
        Matcher m = MISSING_DEPENDENCY.matcher(message);
        while (m.find()) {
            String missing = m.group(1);
            if (!missing.endsWith(library.getFileName().toString())) {
                return "a library that " + library.getFileName() + " needs is missing: " + missing
                        + " (install the vendor's whole driver package, or put the file beside it and on "
                        + (Platform.isWindows() ? "PATH" : "LD_LIBRARY_PATH") + ")";
            }
        }
        if (Platform.isWindows()
                && (message.contains("126")
                        || message.toLowerCase(Locale.ROOT).contains("module could not be found"))) {
            return "a DLL that " + library.getFileName() + " needs is missing (Windows error 126): install the"
                    + " vendor's whole driver package (and its Visual C++ runtime), or put the DLLs beside it";
        }
        if (message.contains("wrong ELF class")
                || message.contains("193")
                || message.contains("incompatible architecture")) {
            return library + " is built for another processor or bitness than this " + agentArchitecture()
                    + " agent: install the CA company's " + agentArchitecture() + " driver";
        }
        return "the system could not load " + library + ": " + message;
    }

    static String agentArchitecture() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.contains("aarch64") || arch.contains("arm64")) {
            return "64-bit ARM";
        }
        return Platform.is64Bit() ? "64-bit x86" : "32-bit x86";
    }

    /** "32-bit x86", "64-bit x86", "64-bit ARM", another name, or null when the header says nothing clear. */
    static String architecture(Path library) {
        byte[] header = new byte[4096];
        int n;
        try (InputStream in = Files.newInputStream(library)) {
            n = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            return null;
        }
        if (n >= 20 && header[0] == 0x7f && header[1] == 'E' && header[2] == 'L' && header[3] == 'F') {
            boolean little = header[5] == 1;
            int machine = little
                    ? (header[18] & 0xff) | (header[19] & 0xff) << 8
                    : (header[19] & 0xff) | (header[18] & 0xff) << 8;
            return machine(machine, header[4] == 2);
        }
        if (n >= 64 && header[0] == 'M' && header[1] == 'Z') {
            int pe = le32(header, 0x3c);
            if (pe > 0 && pe + 6 <= n && header[pe] == 'P' && header[pe + 1] == 'E') {
                int machine = (header[pe + 4] & 0xff) | (header[pe + 5] & 0xff) << 8;
                return switch (machine) {
                    case 0x014c -> "32-bit x86";
                    case 0x8664 -> "64-bit x86";
                    case 0xaa64 -> "64-bit ARM";
                    default -> String.format(Locale.ROOT, "machine 0x%04x", machine);
                };
            }
            return null;
        }
        if (n >= 8) {
            int magic = le32(header, 0);
            if (magic == 0xfeedface) {
                return "32-bit x86";
            }
            if (magic == 0xfeedfacf) {
                int cpu = le32(header, 4);
                return cpu == 0x0100000c ? "64-bit ARM" : "64-bit x86";
            }
        }
        return null;
    }

    private static String machine(int machine, boolean is64) {
        return switch (machine) {
            case 3 -> "32-bit x86";
            case 62 -> "64-bit x86";
            case 183 -> "64-bit ARM";
            case 40 -> "32-bit ARM";
            default -> (is64 ? "64-bit" : "32-bit") + " machine " + machine;
        };
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
