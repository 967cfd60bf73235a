#!/usr/bin/env bash
# One coordinator node against two on this machine: whole chat completions through /v1, closed loop, clients spread
# over the nodes (ClusterLoadBenchmark). The nodes share this machine's cores: the figures say what a second node
# costs or gains here, not on a machine of its own. Extra Maven arguments pass through, e.g. -Dbench.clients=32
# -Dbench.seconds=30 -Dbench.nodes=1,2.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

model="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
echo "machine: $(nproc) cores, ${model}, $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -B -pl coordinator -am verify -Dtest=ClusterLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    | grep -E '^cluster '
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
