#!/usr/bin/env bash
# The image door's progress events: their delay from the Island to the client of a streamed
# /v1/images/generations, printed beside the delay of a streamed chat's text chunk on the same path in the same run.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
# surefire:test@default-test only: -Dtest would also run the test in the coordinator's second surefire execution
./mvnw -B -o -pl coordinator -am test-compile surefire:test@default-test -Dtest=ProgressDelayBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^(progress event|anchor text chunk)'
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
