#!/usr/bin/env bash
# Builds the browser bundle into target/site:
#   pkg/vigil.js, pkg/vigil_bg.wasm (+ .br), pkg/vigil.css, favicon.svg, and
#   pkg/bankcheck.js, pkg/bankcheck_bg.wasm (the instrument editor's live check)
# Why not cargo-leptos: on this toolchain it must be compiled from source
# (about 21 minutes on 2 cores); these three steps do the same job and the
# only tool they install, wasm-bindgen-cli, takes about 5.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
SITE="$ROOT/target/site"
PKG="$SITE/pkg"
mkdir -p "$PKG"

# bundle CRATE NAME: compiles CRATE to WASM and writes pkg/NAME.js and pkg/NAME_bg.wasm,
# redoing the (slow) bindgen + wasm-opt steps only when the WASM changed.
bundle() {
  local crate="$1" name="$2" wasm stamp sum
  cargo build --quiet -p "$crate" --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm="$ROOT/target/wasm32-unknown-unknown/wasm-release/$crate.wasm"
  stamp="$PKG/.source-$name.sha256"
  sum="$(sha256sum "$wasm" | cut -d' ' -f1)"
  if [ ! -f "$PKG/${name}_bg.wasm" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    say "wasm-bindgen + wasm-opt -Oz ($name)"
    wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$name" "$wasm"
    wasm-opt -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$PKG/${name}_bg.wasm" -o "$PKG/${name}_bg.wasm.opt"
    mv "$PKG/${name}_bg.wasm.opt" "$PKG/${name}_bg.wasm"
    echo "$sum" > "$stamp"
  fi
}

say "compiling the front end to WASM (profile wasm-release)"
bundle frontend vigil
# The instrument editor's live check (loaded on a draft's page only).
bundle bankcheck bankcheck
cp "$ROOT/style/vigil.css" "$PKG/vigil.css"
cp "$ROOT/style/favicon.svg" "$SITE/favicon.svg"
for f in "$PKG/vigil_bg.wasm" "$PKG/vigil.js" "$PKG/vigil.css" "$PKG/bankcheck_bg.wasm" "$PKG/bankcheck.js"; do
  brotli -f -q 11 -o "$f.br" "$f"
done
printf 'front end: wasm %s bytes raw, %s brotli; editor check %s bytes raw, %s brotli\n' "$(stat -c %s "$PKG/vigil_bg.wasm")" "$(stat -c %s "$PKG/vigil_bg.wasm.br")" \
  "$(stat -c %s "$PKG/bankcheck_bg.wasm")" "$(stat -c %s "$PKG/bankcheck_bg.wasm.br")" >&2
