#!/bin/sh
# Builds the soft SKF test token (softskf.c) into <out>/libcagate-softskf.so. Called by Maven
# (cagate-testca, generate-resources); skips with a message, not a failure, when gcc or OpenSSL 3's
# headers (Debian libssl-dev) are missing: tests that need the token then skip and say why.
set -eu
src="$(dirname "$0")/softskf.c"
out="$1"
if ! command -v gcc >/dev/null 2>&1; then
  echo "[softskf] NOT built: gcc is missing (apt-get install gcc libssl-dev); SKF tests will be skipped"
  exit 0
fi
if [ "$(uname -s)" != "Linux" ]; then
  echo "[softskf] NOT built: the soft SKF token builds on Linux only; SKF tests will be skipped"
  exit 0
fi
if ! printf '#include <openssl/evp.h>\n#if OPENSSL_VERSION_MAJOR < 3\n#error old\n#endif\nint main(void){return 0;}\n' \
    | gcc -x c -o /dev/null - -lcrypto >/dev/null 2>&1; then
  echo "[softskf] NOT built: OpenSSL 3 headers/libcrypto missing (apt-get install libssl-dev); SKF tests will be skipped"
  exit 0
fi
mkdir -p "$out"
gcc -std=c11 -O2 -Wall -Wextra -Werror -Wno-format-truncation -fPIC -shared -fvisibility=hidden \
  -o "$out/libcagate-softskf.so" "$src" -lcrypto -lpthread
echo "[softskf] built $out/libcagate-softskf.so"

# A test fixture: an SKF-looking library that needs libcagate-gone.so, which is then deleted, so tests
# can check what --diagnose says about a vendor library with a missing dependency.
fixtures="$out/fixtures"
mkdir -p "$fixtures"
tmp="$(mktemp -d)"
printf 'int cagate_gone(void) { return 1; }\n' > "$tmp/gone.c"
printf 'int cagate_gone(void);\nint SKF_EnumDev(void) { return cagate_gone(); }\n' > "$tmp/needs.c"
gcc -shared -fPIC -o "$tmp/libcagate-gone.so" "$tmp/gone.c"
gcc -shared -fPIC -o "$fixtures/libcagate-skf-needs-gone.so" "$tmp/needs.c" -L"$tmp" -lcagate-gone
rm -rf "$tmp"
