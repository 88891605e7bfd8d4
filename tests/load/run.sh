#!/usr/bin/env bash
# The answer-save load test (issue 5), on SQLite and on PostgreSQL:
#   1. builds target/release/vigil and target/release/vigil-load (CARGO_BUILD_JOBS=1 unless set);
#   2. per database: starts `vigil serve --demo` on a free loopback port (SQLite in a temporary
#      folder; PostgreSQL: a throwaway cluster from scripts/pg.sh, fsync and synchronous_commit ON), prepares
#      LOAD_CANDIDATES candidates (vigil invite --count, links opened, sessions started),
#      settles (PostgreSQL: VACUUM ANALYZE and CHECKPOINT; then LOAD_SETTLE s), then LOAD_RUNS times: an open-loop phase at LOAD_RATE answers/s for LOAD_DURATION s
#      (after LOAD_WARMUP s of warm-up) and a closed-loop burst of LOAD_BURST_CONCURRENCY
#      workers for LOAD_BURST_DURATION s;
#   3. writes tests/load/results/<date>[-LOAD_TAG].md: machine, load averages before each run,
#      versions, the median of the runs of every figure, and every run's raw JSON line.
# Not part of `make test` or CI. Loopback only; bounded in count and time (about 2 minutes
# per database and run with the defaults).
#
#   tests/load/run.sh                                   # defaults: 2000/s for 30 s, 64 workers for 10 s, 3 runs
#   LOAD_DATABASES=sqlite LOAD_RUNS=1 tests/load/run.sh # one database, one run
#   LOAD_NO_BUILD=1 ...                                 # use the binaries as built
#   LOAD_DATABASES=postgres LOAD_PROCESSES="1 2 2d" ... # one server, two behind the balancer, two without
#   LOAD_ADAPTIVE=1 LOAD_CANDIDATES=20000 ...           # the adaptive demo campaign: each save answers the
#                                                       # question the engine chose (read from the page first)
source "$(dirname "$0")/../../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

RATE="${LOAD_RATE:-2000}"
DURATION="${LOAD_DURATION:-30}"
BURST="${LOAD_BURST_CONCURRENCY:-64}"
BURST_S="${LOAD_BURST_DURATION:-10}"
RUNS="${LOAD_RUNS:-3}"
CANDIDATES="${LOAD_CANDIDATES:-1000}"
# Warm-up: at least 5 s, and long enough to reach every candidate once (vigil-load sends the
# first requests to each in turn), so the measured phase sees candidates mid-assessment.
REACH_ALL=$(( CANDIDATES / ${RATE%.*} + 2 ))
WARMUP="${LOAD_WARMUP:-$(( REACH_ALL > 5 ? REACH_ALL : 5 ))}"
DATABASES="${LOAD_DATABASES:-sqlite postgres}"
# LOAD_PROCESSES: the layouts measured on each database, one after another on the same
# candidates: 1 = one server, addressed directly; 2 = two servers behind the round-robin
# balancer; 1b = one server behind the balancer (its cost alone); 2d = two servers, each
# request sent to the next by the load generator itself (no balancer). More than one
# process: PostgreSQL only (on SQLite one process serves). E.g. LOAD_PROCESSES="1 1b 2 2d".
PROCESSES="${LOAD_PROCESSES:-1}"
GROUPS_MEASURED=""
if [ -n "${LOAD_ADAPTIVE:-}" ]; then
  CAMPAIGN="Demo: Security Analyst hiring"; RUN_BANK="assessments/banks/svi/1.1.0.toml"; RUN_MODE="--adaptive"
else
  CAMPAIGN="Demo: full fixed battery (SVI 1.0.0 + SJS)"; RUN_BANK="assessments/banks/svi/1.0.0.toml"; RUN_MODE=""
fi
SETTLE="${LOAD_SETTLE:-10}"  # seconds of quiet between preparing the candidates and the first run
SERVER_LOG="${LOAD_SERVER_LOG:-warn}"
# LOAD_SQLITE_DIR: where the SQLite database goes (default: a temporary folder under /tmp;
# e.g. /dev/shm to take fsync out of the picture, as a diagnostic).
# PostgreSQL as a production server runs it by default: fsync on, each commit flushed
# (synchronous_commit=on; docs/operations.md, "Durability", measured off against on).
# SQLite: VIGIL_SQLITE_SYNCHRONOUS=full flushes each commit too; the default is normal.
export PG_SETTINGS="${LOAD_PG_SETTINGS:--c synchronous_commit=on}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

if [ -z "${LOAD_NO_BUILD:-}" ]; then
  say "building the server and the load generator (release, CARGO_BUILD_JOBS=$CARGO_BUILD_JOBS)"
  # Two invocations: built together, cargo would unify features and rebuild the server's dependencies.
  cargo build --quiet --release -p server --bin vigil
  cargo build --quiet --release -p load
  cargo build --quiet --release -p server --example balance
fi
VIGIL="$ROOT/target/release/vigil"
LOAD="$ROOT/target/release/vigil-load"
BALANCE="$ROOT/target/release/examples/balance"
# One secret key for every server process of the run (each process of one database needs the same).
VIGIL_SECRET_KEY="$("$VIGIL" secret-key new)"
export VIGIL_SECRET_KEY

WORK="$(mktemp -d /tmp/vigil-load.XXXXXX)"
SERVER_PIDS=()
stop_server() {  # every server (and the balancer) of the current layout
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}
DBDIR=""
trap 'stop_server; pg_stop; rm -rf "$WORK" ${DBDIR:+"$DBDIR"}' EXIT

# The built front end if there is one; the load test does not need it (empty files otherwise).
SITE="$ROOT/target/site"
if [ ! -f "$SITE/pkg/vigil.js" ]; then
  SITE="$WORK/site"
  mkdir -p "$SITE/pkg"
  : >"$SITE/pkg/vigil.js"; : >"$SITE/pkg/vigil_bg.wasm"; : >"$SITE/pkg/vigil.css"
fi

wait_healthy() {  # wait_healthy BASE PID LOG
  for _ in $(seq 1 300); do
    curl -fsS "$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not become healthy" >&2; exit 1
}
start_server() {  # start_server NAME DATABASE_URL LAYOUT -> BASE
  # LAYOUT: N (N servers; for N > 1 behind the balancer), Nb (behind the round-robin
  # balancer, server/examples/balance.rs, even for one) or Nd (no balancer: the load
  # generator sends each request to the next server itself). The servers share the one
  # database; the first seeds the demo data.
  local name="$1" url="$2" layout="$3" processes="${3%[bd]}" port i backends=() bases=() demo=--demo
  for i in $(seq 1 "$processes"); do
    port="$(free_port)"; backends+=(--backend "127.0.0.1:$port"); bases+=("http://127.0.0.1:$port")
    DATABASE_URL="$url" VIGIL_LOG="$SERVER_LOG" "$VIGIL" serve $demo --listen "127.0.0.1:$port" --site-root "$SITE" \
      --banks "$ROOT/assessments/banks" --trusted-proxy 127.0.0.1 >"$WORK/server-$name-$i.log" 2>&1 &
    SERVER_PIDS+=($!)
    wait_healthy "${bases[-1]}" "$!" "$WORK/server-$name-$i.log"
    demo=""
  done
  BASE="$(IFS=,; echo "${bases[*]}")"
  if [ "$layout" = "${processes}b" ] || { [ "$layout" = "$processes" ] && [ "$processes" -gt 1 ]; }; then
    port="$(free_port)"
    "$BALANCE" --listen "127.0.0.1:$port" "${backends[@]}" >"$WORK/balance-$name.txt" 2>&1 &
    SERVER_PIDS+=($!)
    BASE="http://127.0.0.1:$port"
    wait_healthy "$BASE" "$!" "$WORK/balance-$name.txt"
  fi
}

# What was measured: the commit, and whether the binaries may include uncommitted changes.
GIT_STATE="\`$(git rev-parse --short HEAD)\`"
[ -n "$(git status --porcelain --untracked-files=no)" ] && GIT_STATE="$GIT_STATE, with uncommitted changes"
JSONL="$WORK/results.jsonl"
LOADAVG="$WORK/loadavg.txt"
: >"$JSONL"; : >"$LOADAVG"
PG_VERSION=""
for db in $DATABASES; do
  case "$db" in
    sqlite) DBDIR="$(mktemp -d "${LOAD_SQLITE_DIR:-$WORK}/vigil-load-db.XXXXXX")"; url="sqlite://$DBDIR/vigil.db" ;;
    postgres)
      pg_start
      PG_VERSION="$("$PG_BIN/postgres" --version | awk '{print $3}')"
      pg_as "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE vigil_load" >/dev/null
      url="postgres://postgres@127.0.0.1:$PG_PORT/vigil_load" ;;
    *) echo "unknown database $db (sqlite or postgres)" >&2; exit 1 ;;
  esac
  first=1
  for processes in $PROCESSES; do
    if [ "$db" = sqlite ] && [ "${processes%[bd]}" != 1 ]; then say "sqlite: one process serves (not measured with $processes)"; continue; fi
    case "$processes" in
      1) group="$db" ;;
      *d) group="$db-x${processes%d}-direct" ;;
      *) group="$db-x${processes%b}-balanced" ;;
    esac
    GROUPS_MEASURED="$GROUPS_MEASURED $group"
    say "$group: $processes server process(es)${first:+, $CANDIDATES candidates}"
    start_server "$group" "$url" "$processes"
    if [ -n "$first" ]; then
      first=""
      DATABASE_URL="$url" "$LOAD" prepare --base-url "${BASE%%,*}" --vigil "$VIGIL" --campaign "$CAMPAIGN" --count "$CANDIDATES" --out "$WORK/cookies-$db.txt"
      # Settle before measuring: creating thousands of candidates just now is not the steady state
      # being measured (PostgreSQL would otherwise vacuum and checkpoint the new rows mid-run).
      if [ "$db" = postgres ]; then
        pg_as "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d vigil_load -c "VACUUM (ANALYZE)" -c "CHECKPOINT" >/dev/null
      fi
      sleep "$SETTLE"
    fi
    for run in $(seq 1 "$RUNS"); do
      sleep 2
      printf '%s run %s: %s\n' "$group" "$run" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$LOADAVG"
      say "$group run $run/$RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
      "$LOAD" run --base-url "$BASE" --cookies "$WORK/cookies-$db.txt" --bank "$RUN_BANK" $RUN_MODE \
        --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --burst-concurrency "$BURST" --burst-duration "$BURST_S" \
        --label "$group run $run" --seed "$run" --json-out "$JSONL" >/dev/null
    done
    stop_server
    [ ! -f "$WORK/balance-$group.txt" ] || { echo "requests the balancer gave each process:"; cat "$WORK/balance-$group.txt"; }
    grep -iE 'error|panic' "$WORK/server-$group-"*.log | head -5 >&2 || true
  done
  [ "$db" = postgres ] && pg_stop
done

mkdir -p tests/load/results
OUT="tests/load/results/$(date +%F)${LOAD_TAG:+-$LOAD_TAG}.md"
RATE="$RATE" DURATION="$DURATION" WARMUP="$WARMUP" SETTLE="$SETTLE" BURST="$BURST" BURST_S="$BURST_S" CANDIDATES="$CANDIDATES" RUNS="$RUNS" \
  DATABASES="$GROUPS_MEASURED" SERVER_LOG="$SERVER_LOG" PG_VERSION="$PG_VERSION" VIGIL="$VIGIL" TAG="${LOAD_TAG:-}" GIT_STATE="$GIT_STATE" ADAPTIVE="${LOAD_ADAPTIVE:-}" \
  python3 "$ROOT/tests/load/summarise.py" "$JSONL" "$LOADAVG" "$OUT"
cat "$OUT"
