#!/usr/bin/env bash
# Runs the seeded simulation of the exchange (ExchangeSimulation in exchange-core) over many seeds:
#   scripts/simulate.sh [SEEDS] [FIRST_SEED] [STEPS]     (defaults: 1000 seeds from seed 1, 250 steps each)
# A seed that breaks an invariant fails the run and names itself and its step; rerun that one seed with
#   scripts/simulate.sh 1 <seed>
# The totals of the run are printed from exchange-core/target/simulation-report.txt.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
seeds=${1:-1000}
first=${2:-1}
steps=${3:-250}
started=$SECONDS
log=$(mktemp)
status=0
./mvnw -B -q -pl exchange-core -am test -Dtest=ExchangeSimulationTest#everySeedKeepsEveryInvariantThroughCrashesAndLyingIslands \
    -Dsurefire.failIfNoSpecifiedTests=false -Darchipelago.simulation.seeds="$seeds" \
    -Darchipelago.simulation.first-seed="$first" -Darchipelago.simulation.steps="$steps" >"$log" 2>&1 || status=$?
grep -E 'seed [0-9]+ broke' "$log" | head -5 || true
if ((status == 0)); then
    cat exchange-core/target/simulation-report.txt
else
    echo "simulate: failed (the log is in $log)"
fi
echo "simulate: $((SECONDS - started)) s"
exit "$status"
