package org.cagate.agent;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallFunctionMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One vendor SKF library, loaded once per process, and the calls the agent makes on it, each turning a
 * code other than SAR_OK into an {@link SkfException}. All calls are made with {@link #lock()} held: a
 * USB key does one thing at a time, and many vendor libraries are not thread-safe.
 *
 * <p>Structures are read from memory at their GM/T 0016 offsets, packed to 1 byte: DEVINFO's Version (2),
 * Manufacturer[64] at 2, Issuer[64] at 66, Label[32] at 130, SerialNumber[32] at 162; ECCSIGNATUREBLOB's
 * r[64] and s[64], each value right-aligned in its field.
 */
final class Skf {
    static final int USER_TYPE = 1;
    static final int CONTAINER_RSA = 1;
    static final int CONTAINER_ECC = 2;

    private static final Map<Path, Skf> LOADED = new ConcurrentHashMap<>();
    /** DEVINFO is 294 bytes packed; vendors that add fields get room. */
    private static final int DEVINFO_BYTES = 1024;

    private final Path path;
    private final SkfLibrary library;
    private final Charset charset;
    private final ReentrantLock lock = new ReentrantLock(true);

    record DeviceInfo(String label, String serial, String manufacturer, String issuer) {}

    record PinInfo(int maxRetries, int retriesLeft) {}

    private Skf(Path path, SkfLibrary library) {
        this.path = path;
        this.library = library;
        this.charset = charset(Native.getDefaultStringEncoding());
    }

    /**
     * The library at {@code path}, loaded on first use (a driver installed after the agent started is
     * picked up). A failure is not remembered, so the next request tries again.
     *
     * @throws AgentException TOKEN_NOT_FOUND, with the help-desk reason ({@link SkfLoading}) as detail
     */
    static Skf load(Path path) throws AgentException {
        Path key = path.toAbsolutePath().normalize();
        Skf loaded = LOADED.get(key);
        if (loaded != null) {
            return loaded;
        }
        synchronized (LOADED) {
            loaded = LOADED.get(key);
            if (loaded == null) {
                loaded = new Skf(key, open(key));
                LOADED.put(key, loaded);
            }
            return loaded;
        }
    }

    private static SkfLibrary open(Path path) throws AgentException {
        String problem = SkfLoading.problemBeforeLoading(path);
        if (problem != null) {
            throw new AgentException(ErrorCode.TOKEN_NOT_FOUND, "SKF library not loadable: " + problem);
        }
        try {
            return Native.load(path.toString(), SkfLibrary.class, options());
        } catch (UnsatisfiedLinkError e) {
            throw new AgentException(
                    ErrorCode.TOKEN_NOT_FOUND, "SKF library not loadable: " + SkfLoading.explain(path, e), e);
        }
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The functions of {@link SkfLibrary#FUNCTIONS} the library does not export. */
    List<String> missingFunctions() {
        NativeLibrary loaded = NativeLibrary.getInstance(path.toString(), options());
        List<String> missing = new ArrayList<>();
        for (String function : SkfLibrary.FUNCTIONS) {
            try {
                loaded.getFunction(function);
            } catch (UnsatisfiedLinkError e) {
                if (!(Platform.isWindows() && !Platform.is64Bit() && stdcallExported(loaded, function))) {
                    missing.add(function);
                }
            }
        }
        return missing;
    }

    /** A 32-bit Windows DLL may export _SKF_EnumDev@12 instead of SKF_EnumDev. */
    private static boolean stdcallExported(NativeLibrary loaded, String function) {
        for (int bytes = 0; bytes <= 40; bytes += 4) {
            for (String name : new String[] {function + "@" + bytes, "_" + function + "@" + bytes}) {
                try {
                    loaded.getFunction(name);
                    return true;
                } catch (UnsatisfiedLinkError e) {
                    // try the next decoration
                }
            }
        }
        return false;
    }

    private static Map<String, Object> options() {
        Map<String, Object> options = new HashMap<>();
        if (Platform.isWindows() && !Platform.is64Bit()) {
            // 32-bit Windows SKF DLLs use stdcall (DEVAPI __stdcall), exported plain or as _name@n.
            options.put(Library.OPTION_CALLING_CONVENTION, Function.ALT_CONVENTION);
            options.put(Library.OPTION_FUNCTION_MAPPER, new StdCallFunctionMapper());
        }
        return options;
    }

    ReentrantLock lock() {
        return lock;
    }

    Path path() {
        return path;
    }

    /** The names of the devices plugged in now. */
    List<byte[]> devices() throws SkfException {
        return names("SKF_EnumDev", (buffer, size) -> library.SKF_EnumDev(1, buffer, size));
    }

    Pointer connect(byte[] device) throws SkfException {
        PointerByReference handle = new PointerByReference();
        check("SKF_ConnectDev", library.SKF_ConnectDev(cString(device), handle));
        return handle.getValue();
    }

    void disconnect(Pointer device) {
        library.SKF_DisConnectDev(device);
    }

    DeviceInfo info(Pointer device) throws SkfException {
        Memory info = new Memory(DEVINFO_BYTES);
        info.clear();
        check("SKF_GetDevInfo", library.SKF_GetDevInfo(device, info));
        return new DeviceInfo(text(info, 130, 32), text(info, 162, 32), text(info, 2, 64), text(info, 66, 64));
    }

    List<byte[]> applications(Pointer device) throws SkfException {
        return names("SKF_EnumApplication", (buffer, size) -> library.SKF_EnumApplication(device, buffer, size));
    }

    Pointer openApplication(Pointer device, byte[] name) throws SkfException {
        PointerByReference handle = new PointerByReference();
        check("SKF_OpenApplication", library.SKF_OpenApplication(device, cString(name), handle));
        return handle.getValue();
    }

    void closeApplication(Pointer application) {
        library.SKF_CloseApplication(application);
    }

    PinInfo pinInfo(Pointer application) throws SkfException {
        IntByReference max = new IntByReference();
        IntByReference left = new IntByReference();
        IntByReference isDefault = new IntByReference();
        check("SKF_GetPINInfo", library.SKF_GetPINInfo(application, USER_TYPE, max, left, isDefault));
        return new PinInfo(max.getValue(), left.getValue());
    }

    /** The user PIN, as bytes in native memory that is wiped before this returns. */
    void verifyPin(Pointer application, char[] pin) throws SkfException {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        Memory secret = new Memory(encoded.remaining() + 1L);
        try {
            for (int i = 0; encoded.hasRemaining(); i++) {
                secret.setByte(i, encoded.get());
            }
            secret.setByte(secret.size() - 1, (byte) 0);
            IntByReference retries = new IntByReference(-1);
            int code = library.SKF_VerifyPIN(application, USER_TYPE, secret, retries);
            if (code != Sar.OK) {
                throw new SkfException("SKF_VerifyPIN", code, retries.getValue() < 0 ? null : retries.getValue());
            }
        } finally {
            secret.clear();
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    void clearSecureState(Pointer application) {
        library.SKF_ClearSecureState(application);
    }

    List<byte[]> containers(Pointer application) throws SkfException {
        return names("SKF_EnumContainer", (buffer, size) -> library.SKF_EnumContainer(application, buffer, size));
    }

    Pointer openContainer(Pointer application, byte[] name) throws SkfException {
        PointerByReference handle = new PointerByReference();
        check("SKF_OpenContainer", library.SKF_OpenContainer(application, cString(name), handle));
        return handle.getValue();
    }

    void closeContainer(Pointer container) {
        library.SKF_CloseContainer(container);
    }

    /** 0 empty, 1 RSA, 2 ECC (SM2). */
    int containerType(Pointer container) throws SkfException {
        IntByReference type = new IntByReference();
        check("SKF_GetContainerType", library.SKF_GetContainerType(container, type));
        return type.getValue();
    }

    /** The container's signing certificate (DER). */
    byte[] signingCertificate(Pointer container) throws SkfException {
        IntByReference size = new IntByReference(0);
        check("SKF_ExportCertificate", library.SKF_ExportCertificate(container, 1, null, size));
        byte[] der = new byte[size.getValue()];
        check("SKF_ExportCertificate", library.SKF_ExportCertificate(container, 1, der, size));
        return Arrays.copyOf(der, size.getValue());
    }

    /**
     * SM2 over e (32 bytes, SM3(Z || M), computed by the caller).
     *
     * @return the ECCSIGNATUREBLOB: r in the first 64 bytes, s in the next, each right-aligned
     */
    byte[] eccSign(Pointer container, byte[] e) throws SkfException {
        Memory blob = new Memory(128);
        blob.clear();
        check("SKF_ECCSignData", library.SKF_ECCSignData(container, e, e.length, blob));
        return blob.getByteArray(0, 128);
    }

    /** RSA PKCS#1 v1.5 over the DER DigestInfo the caller made. */
    byte[] rsaSign(Pointer container, byte[] digestInfo) throws SkfException {
        IntByReference size = new IntByReference(1024);
        byte[] signature = new byte[1024];
        check("SKF_RSASignData", library.SKF_RSASignData(container, digestInfo, digestInfo.length, signature, size));
        return Arrays.copyOf(signature, size.getValue());
    }

    /** Text in the library's encoding (GBK on a Chinese Windows), for names read from a list. */
    String text(byte[] name) {
        return new String(name, charset);
    }

    private String text(Memory memory, int offset, int length) {
        byte[] field = memory.getByteArray(offset, length);
        int end = 0;
        while (end < field.length && field[end] != 0) {
            end++;
        }
        return new String(field, 0, end, charset).strip();
    }

    private interface ListCall {
        int call(byte[] buffer, IntByReference size);
    }

    /** An SKF name list: asked for its size, then read; names separated by NUL, ended by an empty one. */
    private static List<byte[]> names(String function, ListCall call) throws SkfException {
        for (int attempt = 0; ; attempt++) {
            IntByReference size = new IntByReference(0);
            check(function, call.call(null, size));
            byte[] buffer = new byte[Math.max(size.getValue(), 2) + 2];
            size.setValue(buffer.length);
            int code = call.call(buffer, size);
            if (code == Sar.BUFFER_TOO_SMALL && attempt < 2) {
                continue; // a key plugged in between the two calls
            }
            check(function, code);
            List<byte[]> names = new ArrayList<>();
            int start = 0;
            int end = Math.min(size.getValue(), buffer.length);
            for (int i = 0; i < end; i++) {
                if (buffer[i] == 0) {
                    if (i == start) {
                        break;
                    }
                    names.add(Arrays.copyOfRange(buffer, start, i));
                    start = i + 1;
                }
            }
            return names;
        }
    }

    private static byte[] cString(byte[] name) {
        return Arrays.copyOf(name, name.length + 1);
    }

    private static void check(String function, int code) throws SkfException {
        if (code != Sar.OK) {
            throw new SkfException(function, code, null);
        }
    }
}
