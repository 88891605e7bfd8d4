#!/usr/bin/env bash
# Time to interactive of a candidate items page in Chromium (issue 5): builds the front end
# (scripts/build-frontend.sh) and the release server, starts `vigil serve --demo` on SQLite in a
# temporary folder on a free loopback port, runs tests/browser/perf/tti.mjs (20 cold loads
# normal, 20 with the CPU throttled 4x) and writes tests/load/results/<date>-tti.md.
# Not part of `make test` or CI.
#   TTI_LOADS=20 TTI_THROTTLE=4 tests/browser/perf/run.sh      (TTI_NO_BUILD=1: use what is built)
source "$(dirname "$0")/../../../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"   # for free_port
cd "$ROOT"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

if [ -z "${TTI_NO_BUILD:-}" ]; then
  apt_install chromium
  if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --silent --no-audit --no-fund)
  fi
  scripts/build-frontend.sh
  say "compiling the server (release)"
  cargo build --quiet --release -p server --bin vigil
fi
VIGIL="$ROOT/target/release/vigil"
[ -f target/site/pkg/vigil_bg.wasm ] && [ -s target/site/pkg/vigil_bg.wasm ] || { echo "the front end is not built (scripts/build-frontend.sh)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/vigil-tti.XXXXXX)"
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && { kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; }; rm -rf "$WORK"' EXIT
PORT="$(free_port)"
export DATABASE_URL="sqlite://$WORK/vigil.db"
VIGIL_LOG=warn "$VIGIL" serve --demo --listen "127.0.0.1:$PORT" --site-root "$ROOT/target/site" --banks "$ROOT/assessments/banks" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "TTI measurement (load average $LOADAVG_BEFORE)"
VIGIL_BASE_URL="http://127.0.0.1:$PORT" VIGIL_BIN="$VIGIL" node tests/browser/perf/tti.mjs | tee "$WORK/tti.txt"
LOADAVG_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p tests/load/results
OUT="tests/load/results/$(date +%F)-tti${TTI_TAG:+-$TTI_TAG}.md"
{
  echo "# Time to interactive of a candidate items page, $(date +%F)"
  echo
  echo "\`tests/browser/perf/run.sh\` at commit \`$(git rev-parse --short HEAD)\`. Chromium $(chromium --version 2>/dev/null | awk '{print $2}') headless (harness flags), loopback, SQLite, release server, wasm-release bundle ($(stat -c %s target/site/pkg/vigil_bg.wasm) B raw, $(stat -c %s target/site/pkg/vigil_bg.wasm.br) B brotli)."
  echo "TTI = navigation start to the save-as-you-go island attaching its listeners to the answer form (WASM fetched and instantiated, hydrate() ran); every load then checked by saving one answer through the island."
  echo "Cold loads (HTTP cache disabled), one candidate session, median / p90 / max in ms. Machine: $(nproc) cores, shared; load average before $LOADAVG_BEFORE, after $LOADAVG_AFTER."
  echo
  echo '```'
  cat "$WORK/tti.txt"
  echo '```'
} >"$OUT"
echo "$OUT"
