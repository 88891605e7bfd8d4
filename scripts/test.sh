#!/usr/bin/env bash
# `make test`: installs what the tests need, then runs every test:
#   1. Rust unit and integration tests, on SQLite and on a throwaway PostgreSQL cluster;
#   2. the browser tests (Chromium) against the real server, on SQLite (one process) and on
#      PostgreSQL (two processes behind a round-robin balancer; the files that do not depend
#      on the database, such as the bundle and script-policy checks, run on SQLite only),
#      including the WASM size budget;
#   3. the independent numerical cross-checks (Python: numpy, scipy, statsmodels);
#   and first, in seconds, the structure check (scripts/check-structure.py).
#   Each browser run's server log is then scanned for secrets (scripts/check-logs.py).
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"
START=$(date +%s)
SERVER_PIDS=()
stop_server() {  # every server and balancer still running
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}
trap 'stop_server; pg_stop' EXIT

# ---- set-up (each step skips itself when done) ----
ensure_build_tools
apt_install chromium python3-aiosmtpd  # aiosmtpd: the real SMTP server the e-mail tests send to
find_pg_bin
if [ ! -d tests/browser/node_modules/playwright-core ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  say "installing the browser tests' npm packages"
  (cd tests/browser && npm ci --silent --no-audit --no-fund)
fi

# ---- 0. the shape of the code (seconds): no import circles, no long file without its reason ----
say "structure: import circles and file lengths"
python3 scripts/check-structure.py --selftest
python3 scripts/check-structure.py
python3 scripts/check-logs.py --selftest

# ---- build ----
scripts/build-frontend.sh
say "compiling the tests"
cargo test --no-run --quiet 2>&1 | grep -v '^\s*Executable' || true

# ---- 1. Rust tests on both databases ----
# (Not --workspace: that would build `app` with ssr and hydrate together.)
pg_start
export VIGIL_REQUIRE_SMTP=1
say "Rust tests (unit + integration; SQLite and PostgreSQL)"
rc=0
timeout 1800 cargo test --quiet >target/rust-tests.log 2>&1 || rc=$?
grep -E '^(test result|running|failures|---- |thread|error)' target/rust-tests.log || true
if [ "$rc" != 0 ] || grep -q 'test result: FAILED' target/rust-tests.log; then
  echo "Rust tests failed or did not finish (exit $rc; full log: target/rust-tests.log)" >&2
  exit 1
fi

# ---- 2. browser tests against the real server, on each database ----
VIGIL="$ROOT/target/debug/vigil"
# One secret key for every server of the browser runs (the durability test starts its own).
VIGIL_SECRET_KEY="$("$VIGIL" secret-key new)"
export VIGIL_SECRET_KEY
wait_healthy() {  # wait_healthy PORT PID LOG...: until /healthz answers (up to 5 minutes), or the process is gone
  local port="$1" pid="$2" deadline=$((SECONDS + 300)); shift 2
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$@" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "nothing answered on port $port" >&2; cat "$@" >&2; exit 1; }
    sleep 0.1
  done
}
start_vigil() {  # start_vigil NAME DATABASE_URL CREDENTIALS_FILE PORT [ARGS...]: a server in the background
  local name="$1" url="$2" credentials="$3" port="$4"; shift 4
  # Log level info: every request's path is in the log that check-logs.py scans.
  DATABASE_URL="$url" VIGIL_LOG="${VIGIL_LOG:-info}" VIGIL_DEMO_CREDENTIALS="$credentials" "$VIGIL" serve --listen "127.0.0.1:$port" \
    --site-root "$ROOT/target/site" --banks "$ROOT/assessments/banks" "$@" >"target/server-$name.stdout" 2>"target/server-$name.log" &
  SERVER_PIDS+=($!)
  wait_healthy "$port" "$!" "target/server-$name.stdout" "target/server-$name.log"
}
stop_vigil() {  # stop_vigil PID NAME: SIGTERM must end a server cleanly (exit 0)
  local rc=0; kill -TERM "$1"; wait "$1" || rc=$?
  [ "$rc" = 0 ] || { echo "the server $2 did not shut down cleanly on SIGTERM (exit $rc)" >&2; tail -20 "target/server-$2.log" >&2; exit 1; }
}
# run_browser_suite NAME DATABASE_URL CREDENTIALS_FILE PROCESSES TEST_FILE...
# PROCESSES=2: two `vigil serve` processes on the one database behind a round-robin
# balancer (server/examples/balance.rs), each request to the next process in turn, as
# behind a load balancer; the first seeds the demo data, both trust the balancer's
# X-Forwarded-For. Afterwards each process must have served candidates' pages and saves.
run_browser_suite() {
  local name="$1" url="$2" credentials="$3" processes="$4" base names=() i port ports=()
  shift 4; local files=("$@")
  local secrets="$ROOT/target/browser-secrets-$name.txt"; : >"$secrets"
  for i in $(seq 1 "$processes"); do
    port="$(free_port)"; ports+=("$port")
    if [ "$processes" = 1 ]; then names+=("$name"); else names+=("$name-$i"); fi
    if [ "$i" = 1 ]; then set -- --demo; else set --; fi
    [ "$processes" = 1 ] || set -- "$@" --trusted-proxy 127.0.0.1
    start_vigil "${names[-1]}" "$url" "$credentials" "$port" "$@"
  done
  if [ "$processes" = 1 ]; then
    base="http://127.0.0.1:${ports[0]}"
    say "browser tests on $name (port ${ports[0]})"
  else
    port="$(free_port)"
    "$ROOT/target/debug/examples/balance" --listen "127.0.0.1:$port" $(printf -- '--backend 127.0.0.1:%s ' "${ports[@]}") \
      >"target/balance-$name.txt" 2>"target/balance-$name.log" &
    local balancer=$!; SERVER_PIDS+=($balancer)
    wait_healthy "$port" "$balancer" "target/balance-$name.log"
    base="http://127.0.0.1:$port"
    say "browser tests on $name: $processes processes (ports ${ports[*]}) behind a round-robin balancer (port $port)"
  fi
  (cd tests/browser && VIGIL_BASE_URL="$base" VIGIL_DB="$name" VIGIL_BIN="$VIGIL" DATABASE_URL="$url" VIGIL_SECRETS_FILE="$secrets" \
    node --test --test-reporter=spec --test-concurrency=1 --test-timeout=180000 "${files[@]}")
  for i in "${!names[@]}"; do stop_vigil "${SERVER_PIDS[$i]}" "${names[$i]}"; done
  if [ "$processes" != 1 ]; then
    kill -TERM "$balancer"; wait "$balancer" || true
    say "each of the $processes processes served candidates (requests given by the balancer):"
    cat "target/balance-$name.txt"
    for i in "${!names[@]}"; do
      # Requests of the candidate's path (links, pages, form posts, saves), and the saves among them.
      # (Which page views land where depends on how many requests a page load makes; the
      # candidate's path as a whole alternates.)
      local log="target/server-${names[$i]}.log" candidate saves
      candidate=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -cE 'path=(/take/|/assessment[/ }]|/api/save_answers[ }])' || true)
      saves=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -c 'path=/api/save_answers[ }]' || true)
      echo "  ${names[$i]}: $candidate requests of the candidate's path, $saves of them answer saves"
      [ "$candidate" -gt 0 ] && [ "$saves" -gt 0 ] || { echo "${names[$i]} served no candidate request or no save: the balancer did not alternate" >&2; exit 1; }
    done
  fi
  SERVER_PIDS=()
  # The log is what a server writes to stderr; stdout holds only what --demo prints for
  # the person who started it (the demo accounts' passwords), as `make run` shows them.
  for i in "${!names[@]}"; do
    say "the server log of the browser run on ${names[$i]} gives no secret away"
    python3 scripts/check-logs.py "target/server-${names[$i]}.log" --secrets "$credentials" --secrets "$secrets"
  done
}
# What a browser receives from the bundle and the pages alone (its size, the script policy,
# hydration, no scoring material) does not depend on the database: those run on SQLite only.
BROWSER_ONCE=(budget csp hydration secrecy)
ALL_FILES=(); ON_BOTH=()
for f in tests/browser/*.test.mjs; do
  f="./$(basename "$f")"; ALL_FILES+=("$f")
  [[ " ${BROWSER_ONCE[*]} " == *" $(basename "$f" .test.mjs) "* ]] || ON_BOTH+=("$f")
done
[ "${#ALL_FILES[@]}" = $(( ${#ON_BOTH[@]} + ${#BROWSER_ONCE[@]} )) ] || { echo "BROWSER_ONCE names a test file that is not there" >&2; exit 1; }
TMP_DB="$(mktemp -d /tmp/vigil-browser.XXXXXX)"
run_browser_suite sqlite "sqlite://$TMP_DB/vigil.db" "$TMP_DB/demo-credentials.txt" 1 "${ALL_FILES[@]}"
PGDB="vigil_browser_$$"
pg_as "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $PGDB" >/dev/null
run_browser_suite postgres "postgres://postgres@127.0.0.1:$PG_PORT/$PGDB" "$TMP_DB/demo-credentials-postgres.txt" 2 "${ON_BOTH[@]}"
rm -rf "$TMP_DB"

# ---- 3. independent numerical cross-checks ----
# (Creates target/pyenv with numpy + scipy from PyPI on first use.)
say "cross-check: classical test theory against numpy"
python3 tests/psychometrics/crosscheck_ctt.py
say "cross-check: fairness (Fisher, Mantel-Haenszel DIF) against scipy and statsmodels"
python3 tests/psychometrics/crosscheck_fairness.py

say "all tests passed in $(( $(date +%s) - START )) s"
