#!/usr/bin/env bash
# A workflow's scheduling overhead: a 10-step DAG with a fan-out of five, from submission to its merged result,
# printed beside the sum, the maximum and the critical path of its steps' own times, measured in the same run.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
# surefire:test@default-test only: -Dtest would also run the test in the coordinator's second surefire execution
./mvnw -B -o -pl coordinator -am test-compile surefire:test@default-test -Dtest=WorkflowOverheadBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" | grep -E '^workflow'
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
