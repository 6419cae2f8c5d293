#!/usr/bin/env bash
# The CA-login load benchmark (issue 5) in one line: builds the server's exec jar and the load generator,
# starts the server in a JVM of its own against PostgreSQL (a fresh schema of the database in --pg),
# sets up the users and their bound keys, measures the bare verify rate, drives complete CA logins over
# HTTP, prints the report (also cagate-bench/target/login-bench/result.md), then stops the server and
# drops the schema. The report's last line is for scripts:
#   login cost in bare verifies: server S, database D, generator G, total T
# (one decimal each; database = PostgreSQL backends + background; T = S + D + G as printed).
# Options (all optional, --name=value) are LoginBenchmark's:
#   --users=20000      accounts with a bound P-256 key, logged in round robin (at most 131072)
#   --clients=N        load-generating threads, one kept-alive connection each; default 32 in a closed
#                      loop, max(32, rate/10) in an open loop (60 at --rate=600: 100 ms of arrivals)
#   --rate=0           0: closed loop (each client starts its next login when the last one ended);
#                      R > 0: open loop, logins start at R/s whatever the answers; a login that finds no
#                      free client starts late and its latency counts from its intended start (no
#                      coordinated omission); the report gives offered vs achieved rate and how many
#                      logins started over 1 ms late
#   --warmup=30s --duration=60s   warm-up (a closed loop in both modes), then no load until the server's JIT
#                      compiler threads are quiet (under 2 % of a CPU for 1 s, at most 60 s), then 20 s
#                      run as measured but not counted (an open loop's schedule starts there), then the
#                      measured window
#   --pg=jdbc:postgresql://127.0.0.1:5432/test?user=postgres   --keep-schema
#   --server-jvm='-Xms1g -Xmx1g'   --server-arg=--spring...=...  (repeatable)   --jar=...   --out=...
# e.g.
#   cagate-bench/login-bench.sh --users=20000 --clients=32 --warmup=30s --duration=60s
#   cagate-bench/login-bench.sh --rate=600                        # the issue's open loop (60 clients)
#   cagate-bench/login-bench.sh --pg='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
#       --server-jvm='-Xms1g -Xmx1g' --server-arg=--spring.datasource.hikari.maximum-pool-size=16
# The generator's own cost without a server: java -cp cagate-bench/target/benchmarks.jar \
#   org.cagate.bench.login.GeneratorCost [logins] [rounds] (indicative). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl cagate-server,cagate-bench -am package -DskipTests -Dspotless.skip=true
exec java -Xms1g -Xmx1g -cp cagate-bench/target/benchmarks.jar org.cagate.bench.login.LoginBenchmark "$@"
