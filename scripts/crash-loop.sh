#!/usr/bin/env bash
# kill -9 of the coordinator under load with idempotent clients, again and again (CrashLoopTest in coordinator):
#   scripts/crash-loop.sh [KILLS] [CLIENTS] [SEED]     (defaults: 20 kills, 4 clients, seed 11)
# Each kill comes 2-8 s after the coordinator served again; it is restarted on the same data dir each time. Prints the
# CRASH-LOOP line (keys, requests, how each key ended, lost, charged, charged twice, time to serve again after each
# restart in ms) and the auditor's result; fails when a key was lost, charged twice or the audit fails.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
kills=${1:-20}
clients=${2:-4}
seed=${3:-11}
started=$SECONDS
log=$(mktemp)
status=0
./mvnw -B -q -o -pl coordinator -am test-compile surefire:test@default-test -Dtest=CrashLoopTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Dcrash.kills="$kills" -Dcrash.clients="$clients" \
    -Dcrash.seed="$seed" >"$log" 2>&1 || status=$?
grep -E 'CRASH-LOOP|RESULT|FAIL' "$log" || true
if ((status != 0)); then
    grep -E 'expected|Expecting|AssertionError' "$log" | head -10 || true
    echo "crash-loop: failed (the log is in $log)"
fi
echo "crash-loop: $((SECONDS - started)) s"
exit "$status"
