#!/usr/bin/env bash
# The OpenAI-compatible door's figures, printed: time to first token through POST /v1/chat/completions (stream: true)
# beside the same Island stream read straight off the bridge, open loop at 100 requests/s of each, then how many
# streamed completions one coordinator (a JVM of its own) holds at once, with its heap and threads.
# Extra Maven arguments pass through, e.g. -Dbench.rate=50 -Dbench.seconds=60 -Dbench.streams=250,500,1000,1500,2000
# -Dbench.coordinator-jvm="-Xmx512m".
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

model="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
echo "machine: $(nproc) cores, ${model}, $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -q -B -pl coordinator -am install -DskipTests
./mvnw -B -pl coordinator test -Dtest=GatewayFirstTokenBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    | grep -E '^(gateway|direct|paired|load)'
echo "load average between: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -B -pl coordinator test -Dtest=ConcurrentStreamsBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    | grep -E '^(coordinator JVM| *[0-9]+ streams|  +error)'
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
