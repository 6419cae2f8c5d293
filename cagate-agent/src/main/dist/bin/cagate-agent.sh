#!/bin/sh
# cagate-agent (证书驱动 + 签章服务) for Linux and macOS. Needs Java 17 or later: JAVA_HOME, or java on PATH.
#   bin/cagate-agent.sh              start the agent (keep this window open, or run it as a service)
#   bin/cagate-agent.sh --diagnose   print modules, keys and certificates for the help desk
HERE=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
exec "$JAVA" -jar "$HERE/cagate-agent.jar" --config "$HERE/conf/cagate-agent.properties" "$@"
