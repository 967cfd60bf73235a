#!/usr/bin/env bash
# Runs the coordinator as a newcomer should first see it: embedded PostgreSQL, a local nats-server, and six demo
# Islands: Frankfurt DE, Zurich CH and Amsterdam NL (the last two behind proxies that add distance) serving the demo
# market llm.chat.demo with a deterministic text generator (not a model), one in DE serving embeddings.minilm with
# all-MiniLM-L6-v2, one in DE serving images.demo with a deterministic painter (not a model), and one in DE serving
# the container Cargo container.demo: a signed busybox image the demo publisher publishes to a local docker-registry
# (data/demo-registry; REGISTRY_URL names another registry), run by runc under seccomp. Without root, runc, umoci,
# skopeo, docker-registry or busybox-static the coordinator logs one line and runs without that Island
# (apt-get install -y runc umoci skopeo docker-registry busybox-static). Extra arguments go to the coordinator, e.g.
# --server.port=9090. Stop with Ctrl-C.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

if ! command -v nats-server >/dev/null 2>&1 && [[ ! -x /usr/sbin/nats-server ]]; then
    echo "run-demo: installing nats-server (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nats-server
fi

./mvnw -q -B -DskipTests package -pl coordinator -am

port=8080
data=data
for argument in "$@"; do
    if [[ $argument == --server.port=* ]]; then
        port=${argument#--server.port=}
    elif [[ $argument == --archipelago.data-dir=* ]]; then
        data=${argument#--archipelago.data-dir=}
    fi
done

# Every call needs a credential: demo-consumer's API key (a new one each start) or the operator's token (made at the
# first start unless archipelago.security.operator-token sets it).
cat <<HINTS
run-demo: once "demo islands online" shows, open http://localhost:${port}/app/ and sign in with the key below
(account demo-consumer; a host's key from POST /accounts/host-demo-frankfurt/keys with the token shows the host
console), or in another terminal:
  KEY=\$(cat ${data}/demo-consumer-key)      # demo-consumer's API key
  TOKEN=\$(cat ${data}/operator-token)       # the operator's token
  curl -X PUT localhost:${port}/jobs/job-1/input -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' \\
       -d '{"prompt":"hello islands"}'
  curl -N -H "Authorization: Bearer \$KEY" localhost:${port}/jobs/job-1/output &
  curl -X POST localhost:${port}/markets/llm.chat.demo/bids -H "Authorization: Bearer \$KEY" \\
       -H 'Content-Type: application/json' \\
       -d '{"jobId":"job-1","consumer":"demo-consumer","limitMicroCredits":5000,"maxUnits":10}'
  curl -H "Authorization: Bearer \$KEY" localhost:${port}/jobs/job-1
  (add "jurisdiction":"CH" to the bid to see it go to Zurich instead of the nearer Frankfurt)
  (the same three calls with job-2 and markets/container.demo run the demo publisher's signed container Cargo under
   runc + seccomp, priced per second; GET /registry/cargos?type=container.demo shows the version and its royalties)
  curl localhost:${port}/v1/chat/completions -H "Authorization: Bearer \$KEY" -H 'Content-Type: application/json' \\
       -d '{"model":"llm.chat.demo","messages":[{"role":"user","content":"hello islands"}]}'
  curl -H "Authorization: Bearer \$TOKEN" localhost:${port}/accounts/demo-consumer/keys   # the operator sees all
HINTS

exec java -jar coordinator/target/coordinator-0.1.0-SNAPSHOT.jar --archipelago.demo-islands=true "$@"
