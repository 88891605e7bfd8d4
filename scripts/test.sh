#!/usr/bin/env bash
# `make test`: installs what the tests need, then runs every test:
#   1. Rust unit and integration tests, on SQLite and on a throwaway PostgreSQL cluster;
#   2. the browser tests (Chromium) against the real server, on SQLite and on PostgreSQL,
#      including the WASM size budget;
#   3. the independent numerical cross-checks (Python + numpy);
#   and first, in seconds, the structure check (scripts/check-structure.py).
#   Each browser run's server log is then scanned for secrets (scripts/check-logs.py).
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"
START=$(date +%s)
SERVER_PID=""
stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
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
run_browser_suite() {  # run_browser_suite NAME DATABASE_URL CREDENTIALS_FILE
  local name="$1" url="$2" credentials="$3" port; port="$(free_port)"
  local secrets="$ROOT/target/browser-secrets-$name.txt"; : >"$secrets"
  say "browser tests on $name (port $port)"
  # Log level info: every request's path is in the log that check-logs.py scans.
  DATABASE_URL="$url" VIGIL_LOG="${VIGIL_LOG:-info}" VIGIL_DEMO_CREDENTIALS="$credentials" "$VIGIL" serve --demo --listen "127.0.0.1:$port" --site-root "$ROOT/target/site" \
    --banks "$ROOT/assessments/banks" >"target/server-$name.stdout" 2>"target/server-$name.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "target/server-$name.stdout" "target/server-$name.log" >&2; exit 1; }
    sleep 0.1
  done
  (cd tests/browser && VIGIL_BASE_URL="http://127.0.0.1:$port" VIGIL_DB="$name" VIGIL_BIN="$VIGIL" DATABASE_URL="$url" VIGIL_SECRETS_FILE="$secrets" \
    node --test --test-reporter=spec --test-concurrency=1 --test-timeout=180000 ./*.test.mjs)
  # Graceful shutdown: SIGTERM must end the server cleanly (exit 0).
  kill -TERM "$SERVER_PID"; local rc=0; wait "$SERVER_PID" || rc=$?; SERVER_PID=""
  [ "$rc" = 0 ] || { echo "the server did not shut down cleanly on SIGTERM (exit $rc)" >&2; tail -20 "target/server-$name.log" >&2; exit 1; }
  # The log is what the server writes to stderr; stdout holds only what --demo prints for
  # the person who started it (the demo accounts' passwords), as `make run` shows them.
  say "the server log of the browser run on $name gives no secret away"
  python3 scripts/check-logs.py "target/server-$name.log" --secrets "$credentials" --secrets "$secrets"
}
TMP_DB="$(mktemp -d /tmp/vigil-browser.XXXXXX)"
run_browser_suite sqlite "sqlite://$TMP_DB/vigil.db" "$TMP_DB/demo-credentials.txt"
PGDB="vigil_browser_$$"
pg_as "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $PGDB" >/dev/null
run_browser_suite postgres "postgres://postgres@127.0.0.1:$PG_PORT/$PGDB" "$TMP_DB/demo-credentials-postgres.txt"
rm -rf "$TMP_DB"

# ---- 3. independent numerical cross-checks ----
# (Creates target/pyenv with numpy + scipy from PyPI on first use.)
say "cross-check: classical test theory against numpy"
python3 tests/psychometrics/crosscheck_ctt.py

say "all tests passed in $(( $(date +%s) - START )) s"
