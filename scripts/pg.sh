# Throwaway PostgreSQL cluster for tests (sourced by test.sh).
#   pg_start  -> exports VIGIL_TEST_POSTGRES_URL; pg_stop stops and deletes it.
#   PG_SETTINGS overrides the durability settings (default: fsync off, for test speed;
#   tests/load/run.sh keeps fsync on).
PG_BIN=""
find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN="$d"; done
  if [ -z "$PG_BIN" ]; then
    apt_install postgresql
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN="$d"; done
  fi
  [ -n "$PG_BIN" ] || { echo "PostgreSQL binaries not found after installing" >&2; exit 1; }
}

# Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

pg_start() {
  find_pg_bin
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  PG_DIR="$(mktemp -d /tmp/vigil-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  PG_PORT="$(free_port)"
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 ${PG_SETTINGS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off} -c max_connections=300" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; exit 1; }
  export VIGIL_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export VIGIL_REQUIRE_POSTGRES=1
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') test cluster on port $PG_PORT"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
