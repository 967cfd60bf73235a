#!/usr/bin/env bash
# The durable bid path: placements per second on one market from submission to commit, against a PostgreSQL 15
# with fsync on that this script creates in a temporary directory and removes afterwards, beside that server's raw
# one-row INSERT + COMMIT rate measured in the same run. Extra arguments go to the driver
# (--seconds N per phase, --clients 16,64,256,1024). JDBC_PARAMETERS (e.g. reWriteBatchedInserts=true) are appended
# to the coordinator's DATABASE_URL; JAVA_OPTIONS go to the JVM (e.g. -XX:StartFlightRecording=filename=bench.jfr).
# Runs as root (the server runs as the postgres user).
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

pg_bin=/usr/lib/postgresql/15/bin
if [[ ! -x "$pg_bin/initdb" ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15
fi

./mvnw -q -B -pl coordinator,benchmarks -am package -Dmaven.test.skip=true

work=$(mktemp -d /tmp/bench-durable.XXXXXX)
pg_data="$work/pgdata"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chown postgres:postgres "$work"

stop_server() {
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop_server EXIT

runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" --auth=trust -U postgres >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c fsync=on -c synchronous_commit=on" \
    start >/dev/null
runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres archipelago

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(java -version 2>&1 | head -n 1)"
echo "disk under the server's data: $(df -h --output=source,fstype "$work" | tail -n 1 | tr -s ' ')"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"

url="jdbc:postgresql://127.0.0.1:$port/archipelago"
if [[ -n "${JDBC_PARAMETERS:-}" ]]; then
    url="$url?$JDBC_PARAMETERS"
fi
echo "DATABASE_URL=$url"

# The driver runs inside the coordinator's executable jar (its exact class path) with the benchmark classes added.
# shellcheck disable=SC2086 # JAVA_OPTIONS are words
DATABASE_URL="$url" DATABASE_USER=postgres java -Xms2g -Xmx2g -Ddisable-axoniq-console-message=true ${JAVA_OPTIONS:-} \
    -Dloader.path=benchmarks/target/classes \
    -Dloader.main=io.archipelago.benchmarks.DurableBidBenchmark \
    -cp coordinator/target/coordinator-0.1.0-SNAPSHOT.jar org.springframework.boot.loader.launch.PropertiesLauncher \
    --pgdata "$pg_data" "$@"

echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
