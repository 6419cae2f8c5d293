#!/usr/bin/env bash
# Builds cagate-agent_<version>_amd64.deb from the agent's zip: a Java runtime trimmed by jlink, the
# agent's jars, the launcher, the configuration as a conffile, XDG autostart and menu entries, and the
# class list for the AppCDS archive that postinst makes. Run by the Maven profile "deb" (docs/agent.md).
#   build-deb.sh <agent zip> <output folder> <agent version> <maintainer> <homepage>
set -euo pipefail
ZIP=$1 OUT=$2 VERSION=$3 MAINTAINER=$4 HOMEPAGE=$5
SRC=$(cd "$(dirname "$0")" && pwd)
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# What jdeps finds in the agent's jars (java.base, java.naming, java.sql, jdk.crypto.cryptoki,
# jdk.httpserver), java.logging that the agent logs with, and jdk.crypto.ec for EC keys on tokens.
MODULES=java.base,java.logging,java.naming,java.sql,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver
# The agent's release version (cagate.agent.release, e.g. 0.1.0.20261204, as /v1/status says); a Maven
# -SNAPSHOT version would become 0.1.0~SNAPSHOT (Debian sorts "~" before the release).
DEB_VERSION=${VERSION//-/\~}

WORK=$OUT/deb-work
ROOT=$WORK/root
OPT=$ROOT/opt/cagate-agent
rm -rf "$WORK"
mkdir -p "$WORK/zip" "$OPT/bin" "$OPT/app" "$OPT/lib"
unzip -q "$ZIP" -d "$WORK/zip"
cp -a "$WORK/zip/cagate-agent/cagate-agent.jar" "$WORK/zip/cagate-agent/lib" "$OPT/app/"
install -m 755 "$SRC/files/cagate-agent" "$OPT/bin/cagate-agent"

echo "deb: jlink $MODULES"
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$OPT/runtime"
# Debian's OpenJDK ships its native code with symbols (its -dbg package strips them); strip as dh_strip does.
find "$OPT/runtime" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) \
  -exec strip --remove-section=.comment --remove-section=.note --strip-unneeded {} +

echo "deb: class list for AppCDS (the agent started, asked for /v1/status and /v1/tokens, stopped)"
mkdir -p "$WORK/classlist/p12"
cat > "$WORK/classlist/agent.properties" <<CONF
agent.allowedOrigins=http://localhost:1
provider.SOFT.backend=pkcs12
provider.SOFT.pkcs12.folder=p12
CONF
"$OPT/runtime/bin/java" -XX:DumpLoadedClassList="$OPT/lib/classes.lst" -XX:+UseSerialGC \
  -jar "$OPT/app/cagate-agent.jar" --config "$WORK/classlist/agent.properties" --port 0 \
  > "$WORK/classlist/out.txt" 2>&1 &
agent=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/classlist/out.txt")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$WORK/classlist/out.txt"; kill "$agent"; exit 1; }
for path in /v1/status /v1/tokens; do
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:1\r\nConnection: close\r\n\r\n' "$path" >&3
  cat <&3 > /dev/null
  exec 3<&-
done
kill -TERM "$agent"
wait "$agent" || true

echo "deb: package tree"
mkdir -p "$ROOT/etc/cagate-agent" "$ROOT/etc/xdg/autostart" "$ROOT/usr/share/applications" \
  "$ROOT/usr/bin" "$ROOT/usr/share/doc/cagate-agent" "$ROOT/usr/share/lintian/overrides" "$ROOT/DEBIAN"
# The zip's template, with the log in the user's state folder (/etc is not writable by users).
sed 's|^agent\.log\.file=.*|agent.log.file=~/.local/state/cagate-agent/cagate-agent.log|' \
  "$WORK/zip/cagate-agent/conf/cagate-agent.properties" > "$ROOT/etc/cagate-agent/cagate-agent.properties"
install -m 644 "$SRC/files/cagate-agent-autostart.desktop" "$ROOT/etc/xdg/autostart/cagate-agent.desktop"
install -m 644 "$SRC/files/cagate-agent.desktop" "$SRC/files/cagate-agent-check.desktop" "$ROOT/usr/share/applications/"
ln -s /opt/cagate-agent/bin/cagate-agent "$ROOT/usr/bin/cagate-agent"
install -m 644 "$SRC/files/README.zh_CN.txt" "$SRC/files/copyright" "$ROOT/usr/share/doc/cagate-agent/"
install -m 644 "$SRC/files/lintian-overrides" "$ROOT/usr/share/lintian/overrides/cagate-agent"
{
  printf 'cagate-agent (%s) unstable; urgency=medium\n\n' "$DEB_VERSION"
  printf '  * Built from the cagate sources, agent %s.\n\n' "$VERSION"
  printf ' -- %s  %s\n' "$MAINTAINER" "$(date -R -r "$OPT/app/cagate-agent.jar")"
} | gzip -9n > "$ROOT/usr/share/doc/cagate-agent/changelog.gz"
mkdir -p "$ROOT/usr/share/man/man1"
gzip -9n < "$SRC/files/cagate-agent.1" > "$ROOT/usr/share/man/man1/cagate-agent.1.gz"

chmod -R u+rwX,go+rX,go-w "$ROOT"
install -m 755 "$SRC/debian/postinst" "$SRC/debian/prerm" "$SRC/debian/postrm" "$ROOT/DEBIAN/"
install -m 644 "$SRC/debian/conffiles" "$ROOT/DEBIAN/"
# md5sums of every file but the conffiles (dpkg keeps theirs in its database), as dh_md5sums does.
(cd "$ROOT" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | sort -z \
  | xargs -0 md5sum) > "$ROOT/DEBIAN/md5sums"
chmod 644 "$ROOT/DEBIAN/md5sums"
installed=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
sed -e "s|@DEB_VERSION@|$DEB_VERSION|" -e "s|@MAINTAINER@|$MAINTAINER|" -e "s|@HOMEPAGE@|$HOMEPAGE|" \
  -e "s|@INSTALLED_SIZE@|$installed|" "$SRC/debian/control" > "$ROOT/DEBIAN/control"

# gzip, not xz: the download centre writes the platform's origin into the conffile when it serves the
# package, and java.util.zip reads and writes gzip.
DEB=$OUT/cagate-agent_${DEB_VERSION}_amd64.deb
# One package in the folder: the version carries the build date, and the tests and the demo take the one there.
rm -f "$OUT"/cagate-agent_*_amd64.deb
dpkg-deb --root-owner-group -Zgzip -z9 --build "$ROOT" "$DEB"
echo "deb: $DEB ($(stat -c %s "$DEB") bytes, installed $installed KiB)"
