#!/usr/bin/env bash
# Build the WASM package: the .wasm (Debian's rustc-web building std for
# wasm32, see ../shared/notes/wasm-toolchain.md), twice: the form's module,
# and the module with plans and sweeps (`--features plan`, issue 19); then
# wasm-bindgen's JS glue for the browser (www/lib/pkg, the form's;
# www/lib/pkg-plan, loaded by `loadPlans()`) and for Node (pkg/node, with
# plans), then the typed API beside the browser glue.
#
# Needs: rustc-web cargo-web rust-web-src lld (apt), wasm-bindgen-cli at the
# version pinned in Cargo.toml. wasm/test.sh installs them; this script only
# builds. Prints the gzipped size of the optimised .wasm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="$root/target/wasm"   # apart from rustup's target/: two toolchains, two caches

build() { # features…
  (
    cd "$root"
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
    /usr/bin/cargo build --profile wasm-release --target wasm32-unknown-unknown \
      -Zbuild-std=std,panic_abort --target-dir "$target_dir" -p shequ-wasm "$@"
  )
}
raw="$target_dir/wasm32-unknown-unknown/wasm-release/shequ_wasm.wasm"

echo "-- cargo build (wasm32, build-std): the form's module"
build
small="$target_dir/shequ_wasm.small.wasm"
cp "$raw" "$small"
echo "-- cargo build: the module with plans and sweeps (--features plan)"
build --features plan

echo "-- wasm-bindgen"
rm -rf "$here/pkg" "$here/www/lib"
# Node: the module with plans (size does not matter there).
wasm-bindgen --remove-name-section --remove-producers-section --target nodejs --out-dir "$here/pkg/node" "$raw"
# The Node glue is CommonJS; package.json says "type": "module" for the rest.
echo '{"type": "commonjs"}' > "$here/pkg/node/package.json"
# The browser: the form's module, and the plan module it loads when asked.
wasm-bindgen --remove-name-section --remove-producers-section --target web --out-name shequ_wasm --out-dir "$here/www/lib/pkg" "$small"
wasm-bindgen --remove-name-section --remove-producers-section --target web --out-dir "$here/www/lib/pkg-plan" "$raw"

# No wasm-opt: Debian's binaryen (108) breaks wasm-bindgen's externref table
# and does not shrink the output further. The root profile wasm-release uses
# opt-level "s" with fat LTO, and 2 for the shequ crate (see Cargo.toml).

# The typed API, environment-neutral, served beside the browser glue.
cp "$here/js/api.js" "$here/js/columns.js" "$here/js/web.js" "$here/js/web.d.ts" "$here/js/types.d.ts" "$here/www/lib/"

wasm="$here/www/lib/pkg/shequ_wasm_bg.wasm"
bytes=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "-- shequ_wasm_bg.wasm: $bytes bytes, $gz bytes gzipped ($((gz / 1024)) KiB)"
plan_gz=$(gzip -9 -c "$here/www/lib/pkg-plan/shequ_wasm_bg.wasm" | wc -c)
echo "-- pkg-plan/shequ_wasm_bg.wasm (with plans, loaded when the form's plan is opened): $plan_gz bytes gzipped ($((plan_gz / 1024)) KiB)"
# The limit, read the strict way in bytes: LIMIT gzipped (below). It was
# 400 000 until the columnar engine (issue 15), which with its one reader of
# columns and the explanations written on demand came to 433 KB (limit
# 480 000). The Excel report written in the core (issue 18: rust_xlsxwriter,
# its zip writer and deflate, the report tables) brought it to 725 435 bytes
# gzipped; the writer's crates at opt-level "z" (root Cargo.toml) to
# 703 484. The bureau's files read in the browser (issue 17) took the
# engine alone from 431 164 to 762 699 bytes gzipped: calamine's .xlsx
# reader with its zip inflater and XML parser, about 110 KB gzipped, and
# encoding_rs, whose tables for every legacy encoding the XML parser can
# reach are about 200 KB of data; with the .xls and .ods readers too it
# was 805 202, so the WASM package reads .xlsx and text only
# (wasm/Cargo.toml). Both together, with the typed columns of issue 15 and
# the hostile-input guards of issue 16: 1 091 048 bytes gzipped (2 717 177
# raw), the plan module 1 137 177 (2026-12-02; BENCHMARKS.md). The form
# loads it once and the browser keeps it; about a second on a 10 Mbit/s
# line.
LIMIT=1150000
if [ "$gz" -ge "$LIMIT" ]; then
  echo "build.sh: the gzipped .wasm is over $LIMIT bytes" >&2
  exit 1
fi
# The plan module (issue 19) has a budget of its own: the form's module and
# plans, sweeps and their JSON (about 48 KB gzipped more), at most
# PLAN_LIMIT bytes gzipped.
PLAN_LIMIT=$((LIMIT + 80000))
if [ "$plan_gz" -ge "$PLAN_LIMIT" ]; then
  echo "build.sh: the gzipped plan .wasm is over $PLAN_LIMIT bytes" >&2
  exit 1
fi
