#!/usr/bin/env bash
# Coverage-guided fuzzing of what reads bytes from strangers: the island protocol's codec (what a rogue Island sends
# over NATS) and the /v1 chat and embeddings request parsers. Every build runs the stored inputs (regression mode); this fuzzes each target for its maxDuration
# (30 s) or FUZZ_SECONDS. A finding is written under src/test/resources/.../<Test>Inputs/<method>/ as a new
# regression input and fails the run: fix the code, keep the input.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
extra=()
if [[ -n "${FUZZ_SECONDS:-}" ]]; then
    extra+=("-Djazzer.max_duration=${FUZZ_SECONDS}s")
fi
./mvnw -q -B -pl coordinator -am install -DskipTests
for target in island-protocol:CodecFuzzTest coordinator:RequestParsersFuzzTest; do
    JAZZER_FUZZ=1 ./mvnw -B -o -pl "${target%%:*}" test -Dtest="${target#*:}" -Dsurefire.failIfNoSpecifiedTests=false \
        "${extra[@]}" | grep -E '^(#[0-9]+.*DONE|==|\[(INFO|ERROR)\] Tests run)' || true
done
