#!/usr/bin/env bash
# Builds the browser bundle into target/site:
#   pkg/vigil.js, pkg/vigil_bg.wasm (+ .br), pkg/vigil.css, favicon.svg
# Why not cargo-leptos: on this toolchain it must be compiled from source
# (about 21 minutes on 2 cores); these three steps do the same job and the
# only tool they install, wasm-bindgen-cli, takes about 5.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
SITE="$ROOT/target/site"
PKG="$SITE/pkg"
mkdir -p "$PKG"

say "compiling the front end to WASM (profile wasm-release)"
cargo build --quiet -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
WASM="$ROOT/target/wasm32-unknown-unknown/wasm-release/frontend.wasm"

# Redo the (slow) bindgen + wasm-opt steps only when the WASM changed.
STAMP="$PKG/.source-wasm.sha256"
SUM="$(sha256sum "$WASM" | cut -d' ' -f1)"
if [ ! -f "$PKG/vigil_bg.wasm" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$SUM" ]; then
  say "wasm-bindgen + wasm-opt -Oz"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name vigil "$WASM"
  wasm-opt -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$PKG/vigil_bg.wasm" -o "$PKG/vigil_bg.wasm.opt"
  mv "$PKG/vigil_bg.wasm.opt" "$PKG/vigil_bg.wasm"
  echo "$SUM" > "$STAMP"
fi
cp "$ROOT/style/vigil.css" "$PKG/vigil.css"
cp "$ROOT/style/favicon.svg" "$SITE/favicon.svg"
for f in "$PKG/vigil_bg.wasm" "$PKG/vigil.js" "$PKG/vigil.css"; do
  brotli -f -q 11 -o "$f.br" "$f"
done
printf 'front end: wasm %s bytes raw, %s brotli\n' "$(stat -c %s "$PKG/vigil_bg.wasm")" "$(stat -c %s "$PKG/vigil_bg.wasm.br")" >&2
