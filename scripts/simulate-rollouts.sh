#!/usr/bin/env bash
# Simulates rollouts between two stand-in versions with set success rates, checked by the rollout policy after every
# observation (RolloutSimulationTest in exchange-core): how often A/A rollouts wrongly promote, and how many
# observations A/B rollouts with a known effect took, beside a z-test peeked at after every observation.
#   scripts/simulate-rollouts.sh [ROLLOUTS] [HORIZON]     (defaults: 1000 rollouts per case, 5000 observations each)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
rollouts=${1:-1000}
horizon=${2:-5000}
./mvnw -B -q -pl exchange-core -am test -Dtest=RolloutSimulationTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Darchipelago.rollouts.simulations="$rollouts" -Darchipelago.rollouts.horizon="$horizon" >/dev/null
cat exchange-core/target/rollout-simulation.txt
