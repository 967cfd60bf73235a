#!/usr/bin/env bash
# The island bridge's figures, printed: a job's dispatch round trip through the bridge beside a raw NATS
# request/reply on the same nats-server in the same run, the cost of probing 2,000 Islands, then submission -> first
# chunk through the whole coordinator (PostgreSQL, event processor, NATS, an Island agent) and a burst of jobs.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -q -B -pl coordinator -am install -DskipTests
./mvnw -B -pl island-bridge test -Dtest='BridgeRoundTripBenchmark,ManyIslandsBenchmark' \
    -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -E '^(raw NATS|bridge dispatch|ratio|[0-9]+ islands probed|RTT commands)'
./mvnw -B -pl coordinator test -Dtest=SubmissionToFirstChunkBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -E '^(submission|burst)'
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
