#!/bin/sh
# The simulated-cluster benchmark: real ocean-server processes from the distribution, simulated
# agents speaking the real agent protocol from one JVM, one row per figure and a JSON file per
# figure under bench/results/.
#
# Usage: bench/run.sh [scenario...] [--db sqlite|postgres] [--set knob=value]... [--jfr DIR]
#   scenarios: api script list sched e2e heartbeat logs memory (default: all)
#   --db postgres starts a throwaway PostgreSQL cluster (Debian's postgresql) for the run.
#   --set e.g. sched.nodes=2000 heartbeat.nodes=10000 (bench/README.md lists the knobs)
#   --jfr DIR records each server with Java Flight Recorder into DIR.
#   --dist DIR runs another build's distribution (e.g. an older one, to compare side by side).
#   --results DIR where rows, JSON files and each server's log (server-logs/) go (bench/results).
# bench/run.sh jmh [JMH options...] runs the JMH benchmark of Scheduler.plan instead (e.g. -p nodes=10000).
# Builds what it needs first (./mvnw package -DskipTests with -Pbench), unless BENCH_NO_BUILD=1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; java=$JAVA_HOME/bin/java
else java=java
fi
if [ "${1:-}" = jmh ]; then
  shift
  if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -B -q -Pbench package -DskipTests -Dspotless.check.skip=true -pl bench -am) || {
      echo "the build failed" >&2; exit 1; }
  fi
  cd "$root"
  exec "$java" -cp "bench/target/ocean-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
    org.openjdk.jmh.Main SchedulerPlanBenchmark "$@"
fi
db=sqlite
jfr=
results=bench/results
args=
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --db=*) db=${1#--db=}; shift ;;
    --jfr) jfr=$2; shift 2 ;;
    --set) args="$args --set $2"; shift 2 ;;
    --results) results=$2; args="$args --results $2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args="$args $1"; shift ;;
  esac
done
case "$db" in sqlite|postgres) ;; *) echo "--db must be sqlite or postgres, not '$db'" >&2; exit 2 ;; esac

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -B -q -Pbench package -DskipTests -Dspotless.check.skip=true) || {
    echo "the build failed" >&2; exit 1; }
fi

work=$(mktemp -d)
pg_bin= pg_dir=
# Each server's output (its log, and the line of a JVM that exits, e.g. on OutOfMemoryError) is
# kept under RESULTS/server-logs/ before the scratch directory goes.
keep_logs() {
  for f in "$work"/*/server.log; do
    [ -f "$f" ] || continue
    (cd "$root" && mkdir -p "$results/server-logs" &&
      cp "$f" "$results/server-logs/$(basename "$(dirname "$f")").log") || true
  done
}
cleanup() {
  keep_logs
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
# PostgreSQL refuses to run as root: as root its tools run as the postgres OS user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_url=
if [ "$db" = postgres ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$pg_bin" ] || { echo "--db postgres needs PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
  pg_dir=$(mktemp -d /tmp/ocean-bench-pg-XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U ocean --auth=trust --encoding=UTF8 --no-locale --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/pg.log" -w \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U ocean ocean
  pg_url="jdbc:postgresql://127.0.0.1:$port/ocean?user=ocean"
  args="$args --pg-url $pg_url"
fi

# Simulated agents' idle connections close after 3 s (the JDK keeps them 20 min by default): a
# node's heartbeat connection then holds no file descriptor between beats, which lets 10,000
# nodes fit under the usual limit of open files, and none is reused after the server closed it.
jvm="-Xmx2g -Djdk.httpclient.keepalive.timeout=3"
[ -n "$jfr" ] && mkdir -p "$jfr" && jvm="$jvm -Dbench.jfr=$(cd "$jfr" && pwd)/server.jfr"
# BENCH_JFC: the recording's settings (a .jfc file, e.g. with a 1 ms sampling period); default profile
[ -n "$jfr" ] && [ -n "${BENCH_JFC:-}" ] && jvm="$jvm -Dbench.jfrSettings=$BENCH_JFC"
cd "$root"
# shellcheck disable=SC2086
"$java" $jvm -cp "bench/target/ocean-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.ocean.bench.Bench --dist dist/target/ocean --results bench/results --work "$work" $args
