#!/usr/bin/env bash
# The database-outage benchmark (issue 9) in one line: builds the server's exec jar and the load generator,
# makes a PostgreSQL cluster of its own (initdb in a temp folder, a free port; never the machine's cluster),
# starts the server against it, runs CA logins and binds on several clients while stopping PostgreSQL and
# starting it again several times (fast shutdown and crash by turns), prints the report (also
# cagate-bench/target/outage-bench/result.md): requests, answers by status, the longest answer, seconds
# until the server answered normally after each restart, bindings made exactly once. Exits 1 if any of
# that broke a promise. Needs the PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin). Options
# (all optional) are OutageBenchmark's, e.g.
#   cagate-bench/outage-bench.sh --restarts=6 --down=2s,5s,12s,1s --stop=alternate --between=10s
#   cagate-bench/outage-bench.sh --login-clients=16 --bind-clients=4 --users=5000
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl cagate-server,cagate-bench -am package -DskipTests -Dspotless.skip=true
exec java -Xms512m -Xmx512m -cp cagate-bench/target/benchmarks.jar org.cagate.bench.login.OutageBenchmark "$@"
