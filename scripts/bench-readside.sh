#!/usr/bin/env bash
# Read side at scale: grows the event store to BENCH_EVENTS events (default 1,000,000) by copying a traded history,
# then measures the hash chain writer, a rebuild of every read model beside the anchor of merely reading the store,
# and the auditor's replay beside the anchor of merely reading the audit's rows. PostgreSQL is the coordinator's
# embedded one, with fsync unless BENCH_DURABLE=false; BENCH_PROPERTIES=a=b,c=d adds coordinator settings (e.g.
# archipelago.rebuild.threads=4). Prints lines starting with "bench:".
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_EVENTS="${BENCH_EVENTS:-1000000}"
export BENCH_DURABLE="${BENCH_DURABLE:-true}"
./mvnw -B -o -pl coordinator -am test-compile surefire:test@default-test -Dtest=ReadSideBench \
    -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -E "^bench:|^audit:|^  |RESULT|Tests run:|BUILD"
