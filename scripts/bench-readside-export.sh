#!/usr/bin/env bash
# The read side under load, on a coordinator with a durable embedded PostgreSQL and its embedded KRaft broker.
# ExportLagBench: BENCH_THREADS clients (default 8) bid, start and complete jobs for BENCH_SECONDS (default 30);
# prints the events per second and the export lag (event timestamp -> Kafka acknowledgement) at p50 and p99.
# ReadSideCostBench: bids at BENCH_RATE (default 5816/s, the durable bid benchmark's best) for BENCH_SECONDS with
# every event processor running, then with all of them stopped (the anchor); prints placements/s, the coordinator
# JVM's CPU per placement in both phases, and the projections' and the export's lag. BENCH_CLASSES picks the
# benchmarks (default both); BENCH_PROPERTIES=a=b,c=d adds coordinator settings.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_THREADS="${BENCH_THREADS:-8}"
export BENCH_SECONDS="${BENCH_SECONDS:-30}"
export BENCH_DURABLE="${BENCH_DURABLE:-true}"
export BENCH_RATE="${BENCH_RATE:-5816}"
classes="${BENCH_CLASSES:-ExportLagBench,ReadSideCostBench}"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -B -o -q -pl coordinator -am test-compile surefire:test@default-test -Dtest="$classes" \
    -Dsurefire.failIfNoSpecifiedTests=false | grep -E "^bench:|Tests run:|FAIL"
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
