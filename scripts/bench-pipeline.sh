#!/usr/bin/env bash
# all-MiniLM-L6-v2 split across Islands: 1, 2 and 3 stages on separate NATS connections over a loopback
# nats-server, latency and throughput, printed beside ONNX Runtime and the plain-Java whole model in process and
# beside NATS round trips (empty and one hop's tensor) measured in the same run.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
./mvnw -B -o -pl island-agent -am test-compile surefire:test@default-test -Dtest=PipelineBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^pipeline '
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
# the same model through a whole coordinator and three island agents over HTTP: one Island (ONNX Runtime) beside
# 2 and 3 stages on distinct Islands, the third hop's cost beside the coordinator's measured round trips
./mvnw -B -o -pl coordinator -am test-compile surefire:test@default-test -Dtest=PipelineThroughCoordinatorBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^pipeline-coordinator '
echo "load average after the coordinator run: $(cut -d ' ' -f 1-3 /proc/loadavg)"
