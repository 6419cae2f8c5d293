#!/usr/bin/env bash
# The CA binding list benchmark (issue 4) in one line: compiles the server and its tests, then runs
# BindingListBenchmark (test sources) against PostgreSQL. It creates a schema of its own in the database,
# migrates it with Flyway, loads 1,000,000 active bindings (plus 100,000 unbound ones) with COPY, times
# BindingRepository.list for each case the CA绑定与解绑 page runs, prints the table and the plans of the
# slowest cases, and drops the schema. Arguments (all optional, in this order):
#   [jdbc url, default jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [active bindings, 1000000]
#   [measured queries per case, 2000]
# e.g. cagate-server/binding-list-bench.sh 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' 1000000 2000
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl cagate-server -am test-compile dependency:build-classpath -Dspotless.skip=true \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xms512m -Xmx512m \
    -cp "cagate-server/target/test-classes:cagate-server/target/classes:$(cat cagate-server/target/test-classpath.txt)" \
    org.cagate.server.binding.BindingListBenchmark "$@"
