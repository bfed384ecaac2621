#!/usr/bin/env bash
# Build the WASM package: the .wasm (Debian's rustc-web building std for
# wasm32, see ../shared/notes/wasm-toolchain.md), then wasm-bindgen's JS glue
# for the browser (www/lib/pkg, --target web) and for Node (pkg/node,
# --target nodejs), then the typed API beside the browser glue.
#
# Needs: rustc-web cargo-web rust-web-src lld (apt), wasm-bindgen-cli at the
# version pinned in Cargo.toml. wasm/test.sh installs them; this script only
# builds. Prints the gzipped size of the optimised .wasm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target_dir="$root/target/wasm"   # apart from rustup's target/: two toolchains, two caches

echo "-- cargo build (wasm32, build-std)"
(
  cd "$root"
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
  /usr/bin/cargo build --profile wasm-release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort --target-dir "$target_dir" -p shequ-wasm
)
raw="$target_dir/wasm32-unknown-unknown/wasm-release/shequ_wasm.wasm"

echo "-- wasm-bindgen"
rm -rf "$here/pkg" "$here/www/lib"
wasm-bindgen --remove-name-section --remove-producers-section --target nodejs --out-dir "$here/pkg/node" "$raw"
# The Node glue is CommonJS; package.json says "type": "module" for the rest.
echo '{"type": "commonjs"}' > "$here/pkg/node/package.json"
wasm-bindgen --remove-name-section --remove-producers-section --target web --out-dir "$here/www/lib/pkg" "$raw"

# No wasm-opt: Debian's binaryen (108) breaks wasm-bindgen's externref table
# and does not shrink the output further. The root profile wasm-release uses
# opt-level "s" with fat LTO, and 2 for the shequ crate (see Cargo.toml).

# The typed API, environment-neutral, served beside the browser glue.
cp "$here/js/api.js" "$here/js/columns.js" "$here/js/web.js" "$here/js/web.d.ts" "$here/js/types.d.ts" "$here/www/lib/"

wasm="$here/www/lib/pkg/shequ_wasm_bg.wasm"
bytes=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "-- shequ_wasm_bg.wasm: $bytes bytes, $gz bytes gzipped ($((gz / 1024)) KiB)"
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
# (wasm/Cargo.toml). Both together: see BENCHMARKS.md. The form loads it
# once and the browser keeps it.
LIMIT=1100000
if [ "$gz" -ge "$LIMIT" ]; then
  echo "build.sh: the gzipped .wasm is over $LIMIT bytes" >&2
  exit 1
fi
