#!/usr/bin/env bash
# The agent's Debian package against the zip on the system's Java (issue 18), in one run: package size,
# installed size, time from start to the first /v1/status answer, and idle memory (RSS) 5 s after that
# answer. Starts each variant --runs times (default 5) and prints min / median / max. Needs root (dpkg -i)
# and the built package and zip (mvn -Pdeb -pl cagate-agent -am package); the package is installed for the
# run and purged after it (a cagate-agent installed before is refused, not touched). Each agent listens on
# a free port of its own. See docs/benchmarks.md, "cagate-agent: the Debian package".
#   cagate-bench/agent-package-bench.sh [--runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
for arg in "$@"; do
  case "$arg" in
    --runs=*) RUNS=${arg#--runs=} ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "agent-package-bench: needs root (it installs the package with dpkg)" >&2; exit 2; }
DEB=$(ls cagate-agent/target/cagate-agent_*_amd64.deb)
ZIP=$(ls cagate-agent/target/cagate-agent-*.zip)
if dpkg -s cagate-agent >/dev/null 2>&1; then
  echo "agent-package-bench: cagate-agent is installed already; remove it first" >&2; exit 2
fi
WORK=$(mktemp -d)
cleanup() { dpkg --purge cagate-agent >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
config() { # <file> <port>
  cat > "$1" <<CONF
agent.allowedOrigins=https://zcy.example.gov.cn
agent.port=$2
agent.log.file=$WORK/agent.log
provider.SOFT.name=软证书
provider.SOFT.backend=pkcs12
provider.SOFT.pkcs12.folder=$WORK/p12
CONF
}
mkdir -p "$WORK/p12"

# One start: prints "<ms to first /v1/status> <RSS KiB 5 s later>". $1 = port, the rest = the command.
measure() {
  local port=$1; shift
  local start end pid rss
  start=$(date +%s%N)
  "$@" > "$WORK/out.txt" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/v1/status"; do
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/out.txt" >&2; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  sleep 5
  # The java process: the launcher execs it, so $pid is java itself.
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $rss"
}

# min / median / max of a column of numbers
stats() { sort -n | awk '{v[NR]=$1} END {printf "%s / %s / %s", v[1], v[int((NR+1)/2)], v[NR]}'; }

# Every round starts each variant once, in turn, so that the load of the machine falls on all alike.
: > "$WORK/runs.txt"
round() { # <variant number> <port> <command...>
  local n=$1 port=$2; shift 2
  echo "$n $(measure "$port" "$@")" >> "$WORK/runs.txt"
}
report() { # <variant number> <label>
  printf '| %s | %s | %s |\n' "$2" "$(awk -v n="$1" '$1 == n {print $2}' "$WORK/runs.txt" | stats)" \
    "$(awk -v n="$1" '$1 == n {print int($3 / 1024)}' "$WORK/runs.txt" | stats)"
}

CAGATE_AGENT_NO_START=1 dpkg -i "$DEB" > /dev/null
PORT=$(free_port)
config /etc/cagate-agent/cagate-agent.properties "$PORT"
unzip -q "$ZIP" -d "$WORK/zip"
ZPORT=$(free_port)
config "$WORK/zip/cagate-agent/conf/cagate-agent.properties" "$ZPORT"

echo "cagate-agent package benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $RUNS starts each"
echo "system Java: $(java -version 2>&1 | head -n 1)"
echo
echo "| | size |"
echo "|---|---|"
echo "| $(basename "$DEB") | $(( $(stat -c %s "$DEB") / 1024 )) KiB |"
echo "| installed (dpkg Installed-Size) | $(dpkg-query -W -f '${Installed-Size}' cagate-agent) KiB |"
echo "| installed, with the AppCDS archive postinst makes (du /opt/cagate-agent) | $(du -sk /opt/cagate-agent | cut -f1) KiB |"
echo "| $(basename "$ZIP") | $(( $(stat -c %s "$ZIP") / 1024 )) KiB |"
echo "| the zip unpacked (needs a Java 17 besides) | $(du -sk "$WORK/zip" | cut -f1) KiB |"
echo
echo "| variant | start to first /v1/status, ms (min / median / max) | idle RSS, MiB (min / median / max) |"
echo "|---|---|---|"
for _ in $(seq 1 "$RUNS"); do
  round 1 "$PORT" /opt/cagate-agent/bin/cagate-agent
  mv /opt/cagate-agent/lib/cagate-agent.jsa "$WORK/jsa"
  round 2 "$PORT" /opt/cagate-agent/bin/cagate-agent
  mv "$WORK/jsa" /opt/cagate-agent/lib/cagate-agent.jsa
  round 3 "$ZPORT" env -u JAVA_HOME sh "$WORK/zip/cagate-agent/bin/cagate-agent.sh"
done
report 1 "package: bundled runtime + AppCDS (/opt/cagate-agent/bin/cagate-agent)"
report 2 "package without the AppCDS archive"
report 3 "zip on the system's Java (bin/cagate-agent.sh)"
