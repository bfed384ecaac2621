#!/usr/bin/env bash
# The WASM package's tests, as tests/run calls them: install what is missing
# (Debian's rustc-web toolchain, lld and Chromium; wasm-bindgen-cli at the
# crate's version; the npm dev dependencies), build, type-check, then the
# Node tests of the JS API and the vectors, then the form in headless
# Chromium. Exits non-zero on the first failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

echo "-- toolchain"
# Debian packages: the wasm32 std source and a wasm linker (see
# ../shared/notes/wasm-toolchain.md), Chromium for the browser test, and a
# small CJK font so the screenshots are readable.
missing=()
for p in rustc-web cargo-web rust-web-src lld chromium fonts-wqy-microhei; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_ apt-get update
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# wasm-bindgen's CLI must be exactly the version of the crate in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$root/Cargo.lock")
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "installing wasm-bindgen-cli $want (had: ${have:-none}; takes some minutes)"
  # Not --locked: one of its locked dependencies is not in the registry mirror.
  cargo install wasm-bindgen-cli --version "$want"
fi
export PATH="$HOME/.cargo/bin:$PATH"

echo "-- npm"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/typescript ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

echo "-- build"
./build.sh

echo "-- Rust answers for the comparisons"
mkdir -p "$root/tests/out/wasm"
rm -f "$root/tests/out/wasm/rust-totals.json"
(cd "$root" && cargo run --quiet -p shequ-wasm --example rust_totals > tests/out/wasm/rust-totals.json)

echo "-- types: tsc --noEmit (the API, the form, and real answers as typed literals)"
node tests/types.fixtures.mjs
npx --no-install tsc --noEmit -p .

echo "-- Node: the JS API and the cross-front-end vectors"
node --test tests/api.test.mjs tests/vectors.test.mjs tests/report.test.mjs tests/hostile.test.mjs tests/sheets.test.mjs tests/plan.test.mjs

echo "-- Chromium: the form"
node --test tests/browser.e2e.mjs tests/sheets.e2e.mjs tests/plan.e2e.mjs
echo "-- screenshots and timing in $root/tests/out/wasm/"
