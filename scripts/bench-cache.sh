#!/usr/bin/env bash
# The inference cache's figures, printed: precision and recall of the semantic tier on the labelled pairs
# (SemanticPairsBenchmark, with the time to embed a prompt and search the index), then the time of an exact and of a
# semantic hit through POST /v1/chat/completions beside a live answer in the same run (CacheHitBenchmark).
# Extra Maven arguments pass through, e.g. -Dbench.requests=400. (surefire:test@default-test: the jazzer-regression
# execution would run each benchmark a second time.)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

model="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
echo "machine: $(nproc) cores, ${model}, $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -q -B -pl coordinator -am install -DskipTests
./mvnw -B -pl coordinator surefire:test@default-test -Dtest=SemanticPairsBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" | grep -E '^(pairs|threshold|  [0-9.]+ |at 0|  [a-z]+ +[0-9]|embed)'
echo "load average between: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -B -pl coordinator surefire:test@default-test -Dtest=CacheHitBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" | grep -E '^cache'
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
