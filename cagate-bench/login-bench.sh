#!/usr/bin/env bash
# The CA-login load benchmark (issue 5) in one line: builds the server's exec jar and the load generator,
# starts the server in a JVM of its own against PostgreSQL (a fresh schema of the database in --pg),
# sets up the users and their bound keys, measures the bare verify rate, drives complete CA logins over
# HTTP, prints the report (also cagate-bench/target/login-bench/result.md), then stops the server and
# drops the schema. Options (all optional) are LoginBenchmark's, e.g.
#   cagate-bench/login-bench.sh --users=20000 --clients=32 --warmup=30s --duration=60s
#   cagate-bench/login-bench.sh --rate=1000 --clients=200          # open loop at 1,000 logins/s
#   cagate-bench/login-bench.sh --pg='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
#       --server-jvm='-Xms1g -Xmx1g' --server-arg=--spring.datasource.hikari.maximum-pool-size=16
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl cagate-server,cagate-bench -am package -DskipTests -Dspotless.skip=true
exec java -Xms1g -Xmx1g -cp cagate-bench/target/benchmarks.jar org.cagate.bench.login.LoginBenchmark "$@"
