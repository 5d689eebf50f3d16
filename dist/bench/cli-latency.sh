#!/bin/sh
# Median wall time of `ocean --version`, `ocean job list` and `ocean job submit` against a
# throwaway local cluster (a server on a free loopback port with a temporary data dir and one
# process-runtime agent), next to `java -version` on the same runtime: cold (OCEAN_NO_DAEMON=1,
# a JVM per command) and warm (served by the resident daemon, its own in a temporary
# XDG_RUNTIME_DIR), and a shell loop's submissions per second both ways. Not a test: it prints
# figures. Usage: dist/bench/cli-latency.sh [RUNS]   (after ./mvnw -B -q package -DskipTests)
set -eu
runs=${1:-15}
here=$(cd "$(dirname "$0")" && pwd)
bin=${OCEAN_BIN:-$here/../target/ocean/bin}
[ -x "$bin/ocean" ] || { echo "no $bin/ocean: run ./mvnw -B -q package -DskipTests first" >&2; exit 1; }
if [ -n "${OCEAN_JAVA:-}" ]; then java=$OCEAN_JAVA
elif [ -x "$bin/../runtime/bin/java" ]; then java=$bin/../runtime/bin/java
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
else java=java
fi
work=$(mktemp -d)
server_pid= agent_pid=
cleanup() {
  "$bin/ocean" daemon stop >/dev/null 2>&1 || true
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
export XDG_CONFIG_HOME="$work/config" NO_COLOR=1 XDG_RUNTIME_DIR="$work/run" OCEAN_DAEMON_IDLE_SECONDS=600
mkdir -m 700 "$work/run"

OCEAN_ADMIN_EMAIL=bench@example.com OCEAN_ADMIN_PASSWORD='Bench-pass-1!' \
  "$bin/ocean-server" --port 0 --host 127.0.0.1 --data "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*serving on http:\/\/[^ ]*:\([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$port" ] || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
url=http://127.0.0.1:$port
ocean() { "$bin/ocean" "$@"; }
# Runs a set-up step; on failure shows what it said and stops.
setup() { "$@" >>"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }; }
echo 'Bench-pass-1!' | setup ocean login --server "$url" --email bench@example.com --password-stdin
ocean admin node token -q | "$bin/ocean-agent" join --server "$url" --token - --name bench \
  --runtime process --state-dir "$work/agent" --storage "$work/data/storage" >"$work/agent.log" 2>&1 &
agent_pid=$!
setup ocean admin machine-type create cpu.small --cpus 1 --memory 1 --gpus 0
setup ocean admin image add host local/host --description "process runtime"
setup ocean admin quota grant bench@example.com --machine-type cpu.small --count 1000 --days 1

# Median wall milliseconds of RUNS runs of a command (after warm-ups that also warm the
# server's JIT), output discarded.
median_ms() {
  for _ in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
  i=0
  while [ "$i" -lt "$runs" ]; do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    echo $(((e - s) / 1000000))
    i=$((i + 1))
  done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
row() { printf '%-22s %8s %8s\n' "$1" "$2" "$3"; }
cold() { OCEAN_NO_DAEMON=1 "$bin/ocean" "$@"; }
# Submissions per second of a shell loop of N `ocean job submit`s with launcher $1 (cold|ocean).
loop_rate() {
  how=$1 n=$2
  s=$(date +%s%N)
  for _ in $(seq 1 "$n"); do $how job submit --name b --machine-type cpu.small --image host -- true >/dev/null 2>&1; done
  e=$(date +%s%N)
  echo "$e $s" | awk -v n="$n" '{ printf "%.1f/s", n / (($1 - $2) / 1e9) }'
}

echo "runtime: $("$java" -version 2>&1 | head -1); median of $runs runs, wall ms"
row "" "cold" "daemon"
row "java -version" "$(median_ms "$java" -Xshare:auto -version)" "-"
for args in "--version" "job list" "job submit --name b --machine-type cpu.small --image host -- true"; do
  # shellcheck disable=SC2086 # the words of a command
  row "ocean ${args%% --name*}" "$(median_ms cold $args)" "$(median_ms ocean $args)"
done
row "submit loop" "$(loop_rate cold 10)" "$(loop_rate ocean 40)"
ocean daemon status | sed -n 's/^requests */daemon: requests served /p; s/^memory */daemon: /p'
