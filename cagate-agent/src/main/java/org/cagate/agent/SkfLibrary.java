package org.cagate.agent;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of the SKF API (GM/T 0016-2012, 智能密码钥匙密码应用接口规范) the agent calls, as JNA maps it.
 * ULONG and BOOL are 32-bit on every platform ({@code int}); handles are pointers; names go in and come
 * out as NUL-terminated bytes in the library's own encoding, so a name read from a list is handed back
 * byte for byte. Structures (DEVINFO, ECCSIGNATUREBLOB) are read from plain memory at their packed
 * offsets (see {@link Skf}). On 32-bit Windows the library is loaded with stdcall.
 */
interface SkfLibrary extends Library {
    int SKF_EnumDev(int bPresent, byte[] szNameList, IntByReference pulSize);

    int SKF_ConnectDev(byte[] szName, PointerByReference phDev);

    int SKF_DisConnectDev(Pointer hDev);

    int SKF_GetDevInfo(Pointer hDev, Pointer pDevInfo);

    int SKF_EnumApplication(Pointer hDev, byte[] szAppName, IntByReference pulSize);

    int SKF_OpenApplication(Pointer hDev, byte[] szAppName, PointerByReference phApplication);

    int SKF_CloseApplication(Pointer hApplication);

    int SKF_GetPINInfo(
            Pointer hApplication,
            int ulPINType,
            IntByReference pulMaxRetryCount,
            IntByReference pulRemainRetryCount,
            IntByReference pbDefaultPin);

    int SKF_VerifyPIN(Pointer hApplication, int ulPINType, Pointer szPIN, IntByReference pulRetryCount);

    int SKF_ClearSecureState(Pointer hApplication);

    int SKF_EnumContainer(Pointer hApplication, byte[] szContainerName, IntByReference pulSize);

    int SKF_OpenContainer(Pointer hApplication, byte[] szContainerName, PointerByReference phContainer);

    int SKF_CloseContainer(Pointer hContainer);

    int SKF_GetContainerType(Pointer hContainer, IntByReference pulContainerType);

    int SKF_ExportCertificate(Pointer hContainer, int bSignFlag, byte[] pbCert, IntByReference pulCertLen);

    int SKF_ECCSignData(Pointer hContainer, byte[] pbData, int ulDataLen, Pointer pSignature);

    int SKF_RSASignData(
            Pointer hContainer, byte[] pbData, int ulDataLen, byte[] pbSignature, IntByReference pulSignLen);

    /** The functions the agent needs; --diagnose checks each is exported. */
    String[] FUNCTIONS = {
        "SKF_EnumDev",
        "SKF_ConnectDev",
        "SKF_DisConnectDev",
        "SKF_GetDevInfo",
        "SKF_EnumApplication",
        "SKF_OpenApplication",
        "SKF_CloseApplication",
        "SKF_GetPINInfo",
        "SKF_VerifyPIN",
        "SKF_ClearSecureState",
        "SKF_EnumContainer",
        "SKF_OpenContainer",
        "SKF_CloseContainer",
        "SKF_GetContainerType",
        "SKF_ExportCertificate",
        "SKF_ECCSignData",
        "SKF_RSASignData"
    };
}
