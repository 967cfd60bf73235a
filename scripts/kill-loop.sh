#!/usr/bin/env bash
# kill -9 of the coordinator under load, again and again (KillLoopDrill): clients retry every request under its
# Idempotency-Key until it is answered; after the last restart it prints how many requests were answered, lost,
# answered twice or abandoned by a kill, and whether the consumer's balance is the deposit less what its jobs were
# charged. -Ddrill.rounds=N (5), -Ddrill.seconds=S (8 per round), -Ddrill.clients=C (4) pass through.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
./mvnw -B -pl coordinator -am verify -Dtest=KillLoopDrill -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    | grep -E '^(round|drill|  problem)'
