#!/usr/bin/env bash
# Kafka export lag under load: BENCH_THREADS clients (default 8) bid, start and complete jobs for BENCH_SECONDS
# (default 30) against a coordinator on a durable embedded PostgreSQL and its embedded KRaft broker; prints the events
# per second and the export lag (event timestamp -> Kafka acknowledgement) at p50 and p99. BENCH_PROPERTIES=a=b,c=d
# adds coordinator settings.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_THREADS="${BENCH_THREADS:-8}"
export BENCH_SECONDS="${BENCH_SECONDS:-30}"
export BENCH_DURABLE="${BENCH_DURABLE:-true}"
./mvnw -q -B install -pl coordinator -am -DskipTests
./mvnw -B verify -pl coordinator -Dtest=ExportLagBench -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -E "^bench:|Tests run:|BUILD"
