package org.cagate.agent;

import java.util.Locale;
import java.util.Map;

/** SKF return codes (GM/T 0016, SAR_*) the agent names in its log and in --diagnose. */
final class Sar {
    static final int OK = 0;
    static final int FAIL = 0x0A000001;
    static final int BUFFER_TOO_SMALL = 0x0A000020;
    static final int DEVICE_REMOVED = 0x0A000023;
    static final int PIN_INCORRECT = 0x0A000024;
    static final int PIN_LOCKED = 0x0A000025;
    static final int PIN_INVALID = 0x0A000026;
    static final int PIN_LEN_RANGE = 0x0A000027;
    static final int USER_NOT_LOGGED_IN = 0x0A00002D;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "SAR_OK"),
            Map.entry(0x0A000001, "SAR_FAIL"),
            Map.entry(0x0A000002, "SAR_UNKNOWNERR"),
            Map.entry(0x0A000003, "SAR_NOTSUPPORTYETERR"),
            Map.entry(0x0A000004, "SAR_FILEERR"),
            Map.entry(0x0A000005, "SAR_INVALIDHANDLEERR"),
            Map.entry(0x0A000006, "SAR_INVALIDPARAMERR"),
            Map.entry(0x0A000007, "SAR_READFILEERR"),
            Map.entry(0x0A000008, "SAR_WRITEFILEERR"),
            Map.entry(0x0A000009, "SAR_NAMELENERR"),
            Map.entry(0x0A00000A, "SAR_KEYUSAGEERR"),
            Map.entry(0x0A00000B, "SAR_MODULUSLENERR"),
            Map.entry(0x0A00000C, "SAR_NOTINITIALIZEERR"),
            Map.entry(0x0A00000D, "SAR_OBJERR"),
            Map.entry(0x0A00000E, "SAR_MEMORYERR"),
            Map.entry(0x0A00000F, "SAR_TIMEOUTERR"),
            Map.entry(0x0A000010, "SAR_INDATALENERR"),
            Map.entry(0x0A000011, "SAR_INDATAERR"),
            Map.entry(0x0A000012, "SAR_GENRANDERR"),
            Map.entry(0x0A000013, "SAR_HASHOBJERR"),
            Map.entry(0x0A000014, "SAR_HASHERR"),
            Map.entry(0x0A000015, "SAR_GENRSAKEYERR"),
            Map.entry(0x0A000016, "SAR_RSAMODULUSLENERR"),
            Map.entry(0x0A000017, "SAR_CSPIMPRTPUBKEYERR"),
            Map.entry(0x0A000018, "SAR_RSAENCERR"),
            Map.entry(0x0A000019, "SAR_RSADECERR"),
            Map.entry(0x0A00001A, "SAR_HASHNOTEQUALERR"),
            Map.entry(0x0A00001B, "SAR_KEYNOTFOUNTERR"),
            Map.entry(0x0A00001C, "SAR_CERTNOTFOUNTERR"),
            Map.entry(0x0A00001D, "SAR_NOTEXPORTERR"),
            Map.entry(0x0A00001E, "SAR_DECRYPTPADERR"),
            Map.entry(0x0A00001F, "SAR_MACLENERR"),
            Map.entry(0x0A000020, "SAR_BUFFER_TOO_SMALL"),
            Map.entry(0x0A000021, "SAR_KEYINFOTYPEERR"),
            Map.entry(0x0A000022, "SAR_NOT_EVENTERR"),
            Map.entry(0x0A000023, "SAR_DEVICE_REMOVED"),
            Map.entry(0x0A000024, "SAR_PIN_INCORRECT"),
            Map.entry(0x0A000025, "SAR_PIN_LOCKED"),
            Map.entry(0x0A000026, "SAR_PIN_INVALID"),
            Map.entry(0x0A000027, "SAR_PIN_LEN_RANGE"),
            Map.entry(0x0A000028, "SAR_USER_ALREADY_LOGGED_IN"),
            Map.entry(0x0A000029, "SAR_USER_PIN_NOT_INITIALIZED"),
            Map.entry(0x0A00002A, "SAR_USER_TYPE_INVALID"),
            Map.entry(0x0A00002B, "SAR_APPLICATION_NAME_INVALID"),
            Map.entry(0x0A00002C, "SAR_APPLICATION_EXISTS"),
            Map.entry(0x0A00002D, "SAR_USER_NOT_LOGGED_IN"),
            Map.entry(0x0A00002E, "SAR_APPLICATION_NOT_EXISTS"),
            Map.entry(0x0A00002F, "SAR_FILE_ALREADY_EXIST"),
            Map.entry(0x0A000030, "SAR_NO_ROOM"),
            Map.entry(0x0A000031, "SAR_FILE_NOT_EXIST"),
            Map.entry(0x0A000032, "SAR_REACH_MAX_CONTAINER_COUNT"));

    private Sar() {}

    /** "SAR_PIN_LOCKED (0x0A000025)"; a vendor's own code as its hex value. */
    static String name(int code) {
        String hex = String.format(Locale.ROOT, "0x%08X", code);
        String name = NAMES.get(code);
        return name == null ? "vendor code " + hex : name + " (" + hex + ")";
    }
}
