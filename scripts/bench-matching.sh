#!/usr/bin/env bash
# Placements per second of the order book on one thread, beside the naive reference measured in the same run.
# Extra arguments go to JMH (e.g. -f 1 -i 3 for a quicker run; -prof gc for allocation).
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

./mvnw -q -B -pl benchmarks -am package -Dmaven.test.skip=true

results=$(mktemp --suffix=.csv)
trap 'rm -f "$results"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(java -version 2>&1 | head -n 1)"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
java -jar benchmarks/target/benchmarks.jar 'MatchingBenchmark' -rf csv -rff "$results" "$@"
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"

# JMH's CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
awk -F ',' '
    { gsub(/"/, "") }
    $1 ~ /orderBook:placements$/ { book = $5; bookError = $6 }
    $1 ~ /naiveReference:placements$/ { naive = $5; naiveError = $6 }
    END {
        if (book == "" || naive == "") { print "no placements figures in the results"; exit 1 }
        printf "order book      %12.0f ± %.0f placements/s (goal: 2,000,000)\n", book, bookError
        printf "naive reference %12.0f ± %.0f placements/s (anchor, same run)\n", naive, naiveError
        printf "ratio           %12.1f x\n", book / naive
    }' "$results"
