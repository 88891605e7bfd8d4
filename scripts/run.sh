#!/usr/bin/env bash
# `make run`: installs what is missing, builds, migrates ./data/vigil.db,
# seeds the demo organisation on first start and serves Vigil.
#   VIGIL_LISTEN=0.0.0.0:8080 make run     listen elsewhere
#   DATABASE_URL=postgres://... make run   use PostgreSQL
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/build-frontend.sh"
say "compiling the server (release)"
cargo build --quiet --release -p server --bin vigil
export VIGIL_SITE_ROOT="${VIGIL_SITE_ROOT:-$ROOT/target/site}"
say "starting Vigil on http://${VIGIL_LISTEN:-127.0.0.1:3000}"
exec "$ROOT/target/release/vigil" serve --demo "$@"
