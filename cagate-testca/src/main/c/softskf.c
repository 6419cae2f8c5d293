/*
 * cagate soft SKF token: a TEST stand-in for a 国密 USB key driver (GM/T 0016 SKF API), as SoftHSM2 is
 * for PKCS#11. It keeps its keys in plain files and protects nothing: never use it for a real key.
 *
 * Devices live in a folder: $CAGATE_SOFTSKF_ROOT, else "devices" beside this library. Layout (see
 * docs/testca.md, "Soft SKF token"):
 *
 *   <root>/<device>/device.conf                 serial=, label=, manufacturer= (a device is "plugged in"
 *                                               while its folder is there)
 *   <root>/<device>/<application>/pin.conf      user-pin-sha256=<hex>, max-retries=N, retries-left=N,
 *                                               refused=N (PINs refused, wrong or locked: for tests)
 *   <root>/<device>/<application>/<container>/sign.key.pem   PKCS#8 PEM private key (SM2 or RSA)
 *   <root>/<device>/<application>/<container>/sign.cert.der  the signing certificate
 *
 * Signatures are OpenSSL's: SM2 signs the caller's 32-byte e (= SM3(Z || M)) with EVP_PKEY_sign, RSA
 * pads the caller's DigestInfo with PKCS#1 v1.5. ULONG is 32-bit, structures are packed to 1 byte.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

typedef uint32_t ULONG;
typedef int32_t BOOL;
typedef uint8_t BYTE;
typedef char *LPSTR;
typedef void *HANDLE;

#define EXPORT __attribute__((visibility("default")))

#define SAR_OK 0x00000000
#define SAR_FAIL 0x0A000001
#define SAR_NOTSUPPORTYETERR 0x0A000003
#define SAR_FILEERR 0x0A000004
#define SAR_INVALIDHANDLEERR 0x0A000005
#define SAR_INVALIDPARAMERR 0x0A000006
#define SAR_READFILEERR 0x0A000007
#define SAR_WRITEFILEERR 0x0A000008
#define SAR_NAMELENERR 0x0A000009
#define SAR_MEMORYERR 0x0A00000E
#define SAR_INDATALENERR 0x0A000010
#define SAR_KEYNOTFOUNTERR 0x0A00001B
#define SAR_CERTNOTFOUNTERR 0x0A00001C
#define SAR_BUFFER_TOO_SMALL 0x0A000020
#define SAR_KEYINFOTYPEERR 0x0A000021
#define SAR_DEVICE_REMOVED 0x0A000023
#define SAR_PIN_INCORRECT 0x0A000024
#define SAR_PIN_LOCKED 0x0A000025
#define SAR_PIN_LEN_RANGE 0x0A000027
#define SAR_USER_TYPE_INVALID 0x0A00002A
#define SAR_APPLICATION_NAME_INVALID 0x0A00002B
#define SAR_USER_NOT_LOGGED_IN 0x0A00002D
#define SAR_APPLICATION_NOT_EXISTS 0x0A00002E
#define SAR_FILE_NOT_EXIST 0x0A000031

#define USER_TYPE 1
#define CONTAINER_EMPTY 0
#define CONTAINER_RSA 1
#define CONTAINER_ECC 2

#pragma pack(push, 1)
typedef struct {
    BYTE major;
    BYTE minor;
} VERSION;

typedef struct {
    VERSION Version;
    char Manufacturer[64];
    char Issuer[64];
    char Label[32];
    char SerialNumber[32];
    VERSION HWVersion;
    VERSION FirmwareVersion;
    ULONG AlgSymCap;
    ULONG AlgAsymCap;
    ULONG AlgHashCap;
    ULONG DevAuthAlgId;
    ULONG TotalSpace;
    ULONG FreeSpace;
    ULONG MaxECCBufferSize;
    ULONG MaxBufferSize;
    BYTE Reserved[64];
} DEVINFO;

typedef struct {
    BYTE r[64];
    BYTE s[64];
} ECCSIGNATUREBLOB;
#pragma pack(pop)

_Static_assert(sizeof(DEVINFO) == 294, "DEVINFO is packed to 1 byte");
_Static_assert(sizeof(ECCSIGNATUREBLOB) == 128, "ECCSIGNATUREBLOB is 2 x 64 bytes");

#define MAGIC_DEV 0x44455631u
#define MAGIC_APP 0x41505031u
#define MAGIC_CON 0x434f4e31u

typedef struct {
    uint32_t magic;
    char dir[PATH_MAX];
} Device;

typedef struct {
    uint32_t magic;
    Device *device;
    char dir[PATH_MAX];
} Application;

typedef struct {
    uint32_t magic;
    Application *app;
    char dir[PATH_MAX];
} Container;

/* pin.conf is read, changed and written back under this lock (one process; tests use one agent). */
static pthread_mutex_t pin_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The security state, as a real key keeps it: per application of a device, not per handle, so a
 * verified PIN unlocks the application for every handle of the process until SKF_ClearSecureState (or
 * a wrong PIN, or the key leaving). Guarded by pin_lock.
 */
#define MAX_UNLOCKED 64
static char unlocked[MAX_UNLOCKED][PATH_MAX];

static int unlocked_index(const char *dir) {
    for (int i = 0; i < MAX_UNLOCKED; i++) {
        if (unlocked[i][0] != '\0' && strcmp(unlocked[i], dir) == 0) {
            return i;
        }
    }
    return -1;
}

static void set_unlocked(const char *dir, int on) {
    pthread_mutex_lock(&pin_lock);
    int i = unlocked_index(dir);
    if (on && i < 0) {
        for (i = 0; i < MAX_UNLOCKED && unlocked[i][0] != '\0'; i++) {
        }
        if (i < MAX_UNLOCKED) {
            snprintf(unlocked[i], PATH_MAX, "%s", dir);
        }
    } else if (!on && i >= 0) {
        unlocked[i][0] = '\0';
    }
    pthread_mutex_unlock(&pin_lock);
}

static int is_unlocked(const char *dir) {
    pthread_mutex_lock(&pin_lock);
    int on = unlocked_index(dir) >= 0;
    pthread_mutex_unlock(&pin_lock);
    return on;
}

static int root_dir(char *out, size_t size) {
    const char *env = getenv("CAGATE_SOFTSKF_ROOT");
    if (env != NULL && env[0] != '\0') {
        return snprintf(out, size, "%s", env) < (int)size ? 0 : -1;
    }
    Dl_info info;
    if (dladdr((void *)root_dir, &info) == 0 || info.dli_fname == NULL) {
        return -1;
    }
    char lib[PATH_MAX];
    snprintf(lib, sizeof lib, "%s", info.dli_fname);
    char *slash = strrchr(lib, '/');
    if (slash == NULL) {
        return snprintf(out, size, "devices") < (int)size ? 0 : -1;
    }
    *slash = '\0';
    return snprintf(out, size, "%s/devices", lib) < (int)size ? 0 : -1;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int join(char *out, const char *dir, const char *name) {
    return snprintf(out, PATH_MAX, "%s/%s", dir, name) < PATH_MAX ? 0 : -1;
}

/* A name that stays inside its folder. */
static int safe_name(const char *name) {
    size_t n = name == NULL ? 0 : strlen(name);
    return n > 0 && n < 64 && strchr(name, '/') == NULL && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int device_present(const Device *d) {
    char conf[PATH_MAX];
    return join(conf, d->dir, "device.conf") == 0 && is_file(conf);
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The sub-folders of dir that hold a file named marker (NULL: any sub-folder), as an SKF name list:
 * names separated by NUL, the list ended by a second NUL.
 */
static ULONG list_names(const char *dir, const char *marker, LPSTR list, ULONG *size) {
    if (size == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    char *names[256];
    int count = 0;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL && count < 256) {
            char path[PATH_MAX], probe[PATH_MAX];
            if (e->d_name[0] == '.' || join(path, dir, e->d_name) != 0 || !is_dir(path)) {
                continue;
            }
            if (marker != NULL && (join(probe, path, marker) != 0 || !is_file(probe))) {
                continue;
            }
            names[count++] = strdup(e->d_name);
        }
        closedir(d);
    }
    qsort(names, count, sizeof names[0], compare_names);
    ULONG needed = 1;
    for (int i = 0; i < count; i++) {
        needed += (ULONG)strlen(names[i]) + 1;
    }
    if (count == 0) {
        needed = 2;
    }
    ULONG rv = SAR_OK;
    if (list != NULL) {
        if (*size < needed) {
            rv = SAR_BUFFER_TOO_SMALL;
        } else {
            char *p = list;
            for (int i = 0; i < count; i++) {
                size_t n = strlen(names[i]) + 1;
                memcpy(p, names[i], n);
                p += n;
            }
            *p = '\0';
            if (count == 0) {
                p[1] = '\0';
            }
        }
    }
    *size = needed;
    for (int i = 0; i < count; i++) {
        free(names[i]);
    }
    return rv;
}

/* value of "key=" in a small key=value file, stripped; 0 when found */
static int read_value(const char *file, const char *key, char *out, size_t size) {
    FILE *f = fopen(file, "r");
    if (f == NULL) {
        return -1;
    }
    char line[512];
    size_t klen = strlen(key);
    int found = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
            char *v = line + klen + 1;
            v[strcspn(v, "\r\n")] = '\0';
            snprintf(out, size, "%s", v);
            found = 0;
            break;
        }
    }
    fclose(f);
    return found;
}

static ULONG check_app(Application *app) {
    if (app == NULL || app->magic != MAGIC_APP) {
        return SAR_INVALIDHANDLEERR;
    }
    if (device_present(app->device) && is_dir(app->dir)) {
        return SAR_OK;
    }
    set_unlocked(app->dir, 0); /* a key that leaves the USB port loses its security state */
    return SAR_DEVICE_REMOVED;
}

static ULONG check_container(Container *c) {
    if (c == NULL || c->magic != MAGIC_CON) {
        return SAR_INVALIDHANDLEERR;
    }
    ULONG rv = check_app(c->app);
    if (rv != SAR_OK) {
        return rv;
    }
    return is_dir(c->dir) ? SAR_OK : SAR_DEVICE_REMOVED;
}

/* ---- 7.1 devices ---- */

EXPORT ULONG SKF_EnumDev(BOOL bPresent, LPSTR szNameList, ULONG *pulSize) {
    (void)bPresent; /* every device folder with a device.conf is present; absent ones are not known */
    char root[PATH_MAX];
    if (root_dir(root, sizeof root) != 0) {
        return SAR_FAIL;
    }
    return list_names(root, "device.conf", szNameList, pulSize);
}

EXPORT ULONG SKF_ConnectDev(LPSTR szName, HANDLE *phDev) {
    if (!safe_name(szName) || phDev == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    Device *d = calloc(1, sizeof *d);
    if (d == NULL) {
        return SAR_MEMORYERR;
    }
    char root[PATH_MAX];
    if (root_dir(root, sizeof root) != 0 || join(d->dir, root, szName) != 0) {
        free(d);
        return SAR_FAIL;
    }
    d->magic = MAGIC_DEV;
    if (!device_present(d)) {
        free(d);
        return SAR_DEVICE_REMOVED;
    }
    *phDev = d;
    return SAR_OK;
}

EXPORT ULONG SKF_DisConnectDev(HANDLE hDev) {
    Device *d = hDev;
    if (d == NULL || d->magic != MAGIC_DEV) {
        return SAR_INVALIDHANDLEERR;
    }
    d->magic = 0;
    free(d);
    return SAR_OK;
}

EXPORT ULONG SKF_GetDevState(LPSTR szDevName, ULONG *pulDevState) {
    if (!safe_name(szDevName) || pulDevState == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    Device d;
    char root[PATH_MAX];
    if (root_dir(root, sizeof root) != 0 || join(d.dir, root, szDevName) != 0) {
        return SAR_FAIL;
    }
    *pulDevState = device_present(&d) ? 1 : 0;
    return SAR_OK;
}

EXPORT ULONG SKF_GetDevInfo(HANDLE hDev, DEVINFO *pDevInfo) {
    Device *d = hDev;
    if (d == NULL || d->magic != MAGIC_DEV || pDevInfo == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    if (!device_present(d)) {
        return SAR_DEVICE_REMOVED;
    }
    char conf[PATH_MAX], value[256];
    join(conf, d->dir, "device.conf");
    memset(pDevInfo, 0, sizeof *pDevInfo);
    pDevInfo->Version.major = 1;
    pDevInfo->Version.minor = 0;
    snprintf(pDevInfo->Manufacturer, sizeof pDevInfo->Manufacturer, "%s",
             read_value(conf, "manufacturer", value, sizeof value) == 0 ? value : "cagate soft SKF (test only)");
    snprintf(pDevInfo->Issuer, sizeof pDevInfo->Issuer, "%s",
             read_value(conf, "issuer", value, sizeof value) == 0 ? value : "cagate test CA");
    if (read_value(conf, "label", value, sizeof value) == 0) {
        memcpy(pDevInfo->Label, value, strnlen(value, sizeof pDevInfo->Label));
    }
    if (read_value(conf, "serial", value, sizeof value) == 0) {
        /* a 32-character serial fills the field with no NUL, as on real keys */
        memcpy(pDevInfo->SerialNumber, value, strnlen(value, sizeof pDevInfo->SerialNumber));
    }
    pDevInfo->HWVersion.major = 1;
    pDevInfo->FirmwareVersion.major = 1;
    pDevInfo->AlgAsymCap = 0x00010000 | 0x00020100; /* SGD_RSA | SGD_SM2_1 */
    pDevInfo->AlgHashCap = 0x00000001 | 0x00000004; /* SGD_SM3 | SGD_SHA256 */
    pDevInfo->TotalSpace = 65536;
    pDevInfo->FreeSpace = 32768;
    pDevInfo->MaxECCBufferSize = 256;
    pDevInfo->MaxBufferSize = 4096;
    return SAR_OK;
}

/* ---- 7.3 applications ---- */

EXPORT ULONG SKF_EnumApplication(HANDLE hDev, LPSTR szAppName, ULONG *pulSize) {
    Device *d = hDev;
    if (d == NULL || d->magic != MAGIC_DEV) {
        return SAR_INVALIDHANDLEERR;
    }
    if (!device_present(d)) {
        return SAR_DEVICE_REMOVED;
    }
    return list_names(d->dir, "pin.conf", szAppName, pulSize);
}

EXPORT ULONG SKF_OpenApplication(HANDLE hDev, LPSTR szAppName, HANDLE *phApplication) {
    Device *d = hDev;
    if (d == NULL || d->magic != MAGIC_DEV || phApplication == NULL) {
        return SAR_INVALIDHANDLEERR;
    }
    if (!safe_name(szAppName)) {
        return SAR_APPLICATION_NAME_INVALID;
    }
    if (!device_present(d)) {
        return SAR_DEVICE_REMOVED;
    }
    Application *a = calloc(1, sizeof *a);
    char pin[PATH_MAX];
    if (a == NULL) {
        return SAR_MEMORYERR;
    }
    if (join(a->dir, d->dir, szAppName) != 0 || join(pin, a->dir, "pin.conf") != 0 || !is_file(pin)) {
        free(a);
        return SAR_APPLICATION_NOT_EXISTS;
    }
    a->magic = MAGIC_APP;
    a->device = d;
    *phApplication = a;
    return SAR_OK;
}

EXPORT ULONG SKF_CloseApplication(HANDLE hApplication) {
    Application *a = hApplication;
    if (a == NULL || a->magic != MAGIC_APP) {
        return SAR_INVALIDHANDLEERR;
    }
    a->magic = 0;
    free(a);
    return SAR_OK;
}

/* ---- 7.2 access control ---- */

typedef struct {
    char pin_sha256[65];
    ULONG max;
    ULONG left;
    ULONG refused; /* SKF_VerifyPIN calls refused (wrong PIN, or locked): tests see a PIN was not tried */
} PinState;

static ULONG read_pin(Application *a, PinState *s) {
    char file[PATH_MAX], v[128];
    join(file, a->dir, "pin.conf");
    if (read_value(file, "user-pin-sha256", s->pin_sha256, sizeof s->pin_sha256) != 0) {
        return SAR_READFILEERR;
    }
    s->max = read_value(file, "max-retries", v, sizeof v) == 0 ? (ULONG)strtoul(v, NULL, 10) : 10;
    s->left = read_value(file, "retries-left", v, sizeof v) == 0 ? (ULONG)strtoul(v, NULL, 10) : s->max;
    s->refused = read_value(file, "refused", v, sizeof v) == 0 ? (ULONG)strtoul(v, NULL, 10) : 0;
    return SAR_OK;
}

static ULONG write_pin(Application *a, const PinState *s) {
    char file[PATH_MAX], tmp[PATH_MAX];
    join(file, a->dir, "pin.conf");
    if (snprintf(tmp, sizeof tmp, "%s.tmp", file) >= (int)sizeof tmp) {
        return SAR_WRITEFILEERR;
    }
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        return errno == ENOENT ? SAR_DEVICE_REMOVED : SAR_WRITEFILEERR;
    }
    fprintf(f, "user-pin-sha256=%s\nmax-retries=%u\nretries-left=%u\nrefused=%u\n", s->pin_sha256, s->max, s->left,
            s->refused);
    if (fclose(f) != 0 || rename(tmp, file) != 0) {
        return SAR_WRITEFILEERR;
    }
    return SAR_OK;
}

static void sha256_hex(const char *text, char out[65]) {
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++) {
        sprintf(out + 2 * i, "%02x", md[i]);
    }
    out[64] = '\0';
}

EXPORT ULONG SKF_GetPINInfo(HANDLE hApplication, ULONG ulPINType, ULONG *pulMaxRetryCount,
                            ULONG *pulRemainRetryCount, BOOL *pbDefaultPin) {
    Application *a = hApplication;
    ULONG rv = check_app(a);
    if (rv != SAR_OK) {
        return rv;
    }
    if (ulPINType != USER_TYPE) {
        return SAR_USER_TYPE_INVALID;
    }
    PinState s;
    pthread_mutex_lock(&pin_lock);
    rv = read_pin(a, &s);
    pthread_mutex_unlock(&pin_lock);
    if (rv != SAR_OK) {
        return rv;
    }
    if (pulMaxRetryCount != NULL) {
        *pulMaxRetryCount = s.max;
    }
    if (pulRemainRetryCount != NULL) {
        *pulRemainRetryCount = s.left;
    }
    if (pbDefaultPin != NULL) {
        *pbDefaultPin = 0;
    }
    return SAR_OK;
}

EXPORT ULONG SKF_VerifyPIN(HANDLE hApplication, ULONG ulPINType, LPSTR szPIN, ULONG *pulRetryCount) {
    Application *a = hApplication;
    ULONG rv = check_app(a);
    if (rv != SAR_OK) {
        return rv;
    }
    if (ulPINType != USER_TYPE) {
        return SAR_USER_TYPE_INVALID;
    }
    if (szPIN == NULL || strlen(szPIN) < 4 || strlen(szPIN) > 64) {
        return SAR_PIN_LEN_RANGE;
    }
    PinState s;
    int unlock = 0;
    pthread_mutex_lock(&pin_lock);
    rv = read_pin(a, &s);
    if (rv == SAR_OK) {
        char given[65];
        sha256_hex(szPIN, given);
        if (s.left == 0) {
            s.refused++;
            rv = write_pin(a, &s);
            if (rv == SAR_OK) {
                rv = SAR_PIN_LOCKED;
            }
        } else if (CRYPTO_memcmp(given, s.pin_sha256, 64) == 0) {
            if (s.left != s.max) {
                s.left = s.max;
                rv = write_pin(a, &s);
            }
            unlock = rv == SAR_OK;
        } else {
            s.refused++;
            s.left--;
            rv = write_pin(a, &s);
            if (rv == SAR_OK) {
                rv = s.left == 0 ? SAR_PIN_LOCKED : SAR_PIN_INCORRECT;
            }
        }
    }
    if (pulRetryCount != NULL) {
        *pulRetryCount = s.left;
    }
    pthread_mutex_unlock(&pin_lock);
    set_unlocked(a->dir, unlock);
    return rv;
}

EXPORT ULONG SKF_ClearSecureState(HANDLE hApplication) {
    Application *a = hApplication;
    if (a == NULL || a->magic != MAGIC_APP) {
        return SAR_INVALIDHANDLEERR;
    }
    set_unlocked(a->dir, 0);
    return SAR_OK;
}

/* ---- 7.5 containers ---- */

EXPORT ULONG SKF_EnumContainer(HANDLE hApplication, LPSTR szContainerName, ULONG *pulSize) {
    Application *a = hApplication;
    ULONG rv = check_app(a);
    if (rv != SAR_OK) {
        return rv;
    }
    return list_names(a->dir, NULL, szContainerName, pulSize);
}

EXPORT ULONG SKF_OpenContainer(HANDLE hApplication, LPSTR szContainerName, HANDLE *phContainer) {
    Application *a = hApplication;
    ULONG rv = check_app(a);
    if (rv != SAR_OK) {
        return rv;
    }
    if (!safe_name(szContainerName) || phContainer == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    Container *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return SAR_MEMORYERR;
    }
    if (join(c->dir, a->dir, szContainerName) != 0 || !is_dir(c->dir)) {
        free(c);
        return SAR_FILE_NOT_EXIST;
    }
    c->magic = MAGIC_CON;
    c->app = a;
    *phContainer = c;
    return SAR_OK;
}

EXPORT ULONG SKF_CloseContainer(HANDLE hContainer) {
    Container *c = hContainer;
    if (c == NULL || c->magic != MAGIC_CON) {
        return SAR_INVALIDHANDLEERR;
    }
    c->magic = 0;
    free(c);
    return SAR_OK;
}

/*
 * Parsed keys, by file: a real key holds its private key parsed in the chip, and OpenSSL 3's PEM decoder
 * costs about as much as an SM2 signature, three times a request. An entry is used only while the file
 * is the same one (inode, size, modification time), so a container provisioned again is read again.
 */
#define KEY_CACHE 32
static struct {
    char file[PATH_MAX];
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    EVP_PKEY *key;
} key_cache[KEY_CACHE];
static int key_cache_next;
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static int same_file(int i, const char *file, const struct stat *st) {
    return key_cache[i].key != NULL && strcmp(key_cache[i].file, file) == 0 && key_cache[i].dev == st->st_dev &&
           key_cache[i].ino == st->st_ino && key_cache[i].size == st->st_size &&
           key_cache[i].mtime.tv_sec == st->st_mtim.tv_sec && key_cache[i].mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static EVP_PKEY *load_key(Container *c) {
    char file[PATH_MAX];
    struct stat st;
    if (join(file, c->dir, "sign.key.pem") != 0 || stat(file, &st) != 0) {
        return NULL;
    }
    pthread_mutex_lock(&key_lock);
    for (int i = 0; i < KEY_CACHE; i++) {
        if (same_file(i, file, &st)) {
            EVP_PKEY *key = key_cache[i].key;
            EVP_PKEY_up_ref(key);
            pthread_mutex_unlock(&key_lock);
            return key;
        }
    }
    pthread_mutex_unlock(&key_lock);
    BIO *in = BIO_new_file(file, "r");
    if (in == NULL) {
        return NULL;
    }
    EVP_PKEY *key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
    BIO_free(in);
    if (key == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&key_lock);
    int i = key_cache_next;
    key_cache_next = (key_cache_next + 1) % KEY_CACHE;
    EVP_PKEY_free(key_cache[i].key);
    snprintf(key_cache[i].file, sizeof key_cache[i].file, "%s", file);
    key_cache[i].dev = st.st_dev;
    key_cache[i].ino = st.st_ino;
    key_cache[i].size = st.st_size;
    key_cache[i].mtime = st.st_mtim;
    key_cache[i].key = key;
    EVP_PKEY_up_ref(key);
    pthread_mutex_unlock(&key_lock);
    return key;
}

static int is_sm2(EVP_PKEY *key) {
    if (EVP_PKEY_is_a(key, "SM2")) {
        return 1;
    }
    char group[64];
    size_t len = 0;
    return EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1 &&
           strcmp(group, "SM2") == 0;
}

EXPORT ULONG SKF_GetContainerType(HANDLE hContainer, ULONG *pulContainerType) {
    Container *c = hContainer;
    ULONG rv = check_container(c);
    if (rv != SAR_OK) {
        return rv;
    }
    if (pulContainerType == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    EVP_PKEY *key = load_key(c);
    *pulContainerType = key == NULL ? CONTAINER_EMPTY
                        : EVP_PKEY_is_a(key, "RSA") ? CONTAINER_RSA
                        : is_sm2(key) ? CONTAINER_ECC
                                      : CONTAINER_EMPTY;
    EVP_PKEY_free(key);
    return SAR_OK;
}

EXPORT ULONG SKF_ExportCertificate(HANDLE hContainer, BOOL bSignFlag, BYTE *pbCert, ULONG *pulCertLen) {
    Container *c = hContainer;
    ULONG rv = check_container(c);
    if (rv != SAR_OK) {
        return rv;
    }
    if (pulCertLen == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    char file[PATH_MAX];
    join(file, c->dir, bSignFlag ? "sign.cert.der" : "enc.cert.der");
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
        return SAR_CERTNOTFOUNTERR;
    }
    BYTE buffer[16384];
    size_t n = fread(buffer, 1, sizeof buffer, f);
    fclose(f);
    if (n == 0 || n == sizeof buffer) {
        return SAR_READFILEERR;
    }
    if (pbCert != NULL) {
        if (*pulCertLen < n) {
            *pulCertLen = (ULONG)n;
            return SAR_BUFFER_TOO_SMALL;
        }
        memcpy(pbCert, buffer, n);
    }
    *pulCertLen = (ULONG)n;
    return SAR_OK;
}

/* ---- 7.6 signatures ---- */

static ULONG sign_raw(EVP_PKEY *key, int rsa, const BYTE *in, size_t in_len, BYTE *out, size_t *out_len) {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    ULONG rv = SAR_FAIL;
    if (ctx != NULL && EVP_PKEY_sign_init(ctx) == 1 &&
        (!rsa || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1) &&
        EVP_PKEY_sign(ctx, out, out_len, in, in_len) == 1) {
        rv = SAR_OK;
    }
    EVP_PKEY_CTX_free(ctx);
    return rv;
}

EXPORT ULONG SKF_ECCSignData(HANDLE hContainer, BYTE *pbData, ULONG ulDataLen, ECCSIGNATUREBLOB *pSignature) {
    Container *c = hContainer;
    ULONG rv = check_container(c);
    if (rv != SAR_OK) {
        return rv;
    }
    if (pbData == NULL || pSignature == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    if (ulDataLen != 32) {
        return SAR_INDATALENERR; /* e = SM3(Z || M), computed by the caller */
    }
    if (!is_unlocked(c->app->dir)) {
        return SAR_USER_NOT_LOGGED_IN;
    }
    EVP_PKEY *key = load_key(c);
    if (key == NULL) {
        return SAR_KEYNOTFOUNTERR;
    }
    if (!is_sm2(key)) {
        EVP_PKEY_free(key);
        return SAR_KEYINFOTYPEERR;
    }
    BYTE der[128];
    size_t der_len = sizeof der;
    rv = sign_raw(key, 0, pbData, ulDataLen, der, &der_len);
    EVP_PKEY_free(key);
    if (rv != SAR_OK) {
        return rv;
    }
    const BYTE *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (sig == NULL) {
        return SAR_FAIL;
    }
    memset(pSignature, 0, sizeof *pSignature);
    /* r and s right-aligned in their 64-byte fields */
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig), pSignature->r + 32, 32) != 32 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), pSignature->s + 32, 32) != 32) {
        rv = SAR_FAIL;
    }
    ECDSA_SIG_free(sig);
    return rv;
}

EXPORT ULONG SKF_RSASignData(HANDLE hContainer, BYTE *pbData, ULONG ulDataLen, BYTE *pbSignature,
                             ULONG *pulSignLen) {
    Container *c = hContainer;
    ULONG rv = check_container(c);
    if (rv != SAR_OK) {
        return rv;
    }
    if (pbData == NULL || pulSignLen == NULL) {
        return SAR_INVALIDPARAMERR;
    }
    if (!is_unlocked(c->app->dir)) {
        return SAR_USER_NOT_LOGGED_IN;
    }
    EVP_PKEY *key = load_key(c);
    if (key == NULL) {
        return SAR_KEYNOTFOUNTERR;
    }
    if (!EVP_PKEY_is_a(key, "RSA")) {
        EVP_PKEY_free(key);
        return SAR_KEYINFOTYPEERR;
    }
    size_t needed = (size_t)EVP_PKEY_get_size(key);
    if (pbSignature == NULL || *pulSignLen < needed) {
        *pulSignLen = (ULONG)needed;
        EVP_PKEY_free(key);
        return pbSignature == NULL ? SAR_OK : SAR_BUFFER_TOO_SMALL;
    }
    size_t out_len = *pulSignLen;
    /* pbData is the DER DigestInfo; the key adds the PKCS#1 v1.5 padding */
    rv = sign_raw(key, 1, pbData, ulDataLen, pbSignature, &out_len);
    EVP_PKEY_free(key);
    if (rv == SAR_OK) {
        *pulSignLen = (ULONG)out_len;
    }
    return rv;
}
