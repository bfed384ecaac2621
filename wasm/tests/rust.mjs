// Budgets as the Rust side computes them, from `cargo run --example
// rust_totals` (wasm/examples/rust_totals.rs): the numbers the JS API and the
// form must match. Never hard-coded: always asked of Rust.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const WASM = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = join(WASM, "..");
/** Test output (gitignored): screenshots, fixtures, the Rust answers. */
export const OUT = join(ROOT, "tests", "out", "wasm");
mkdirSync(OUT, { recursive: true });

/** @param {string[]} args */
function cargo(args) {
  return execFileSync("cargo", ["run", "--quiet", "-p", "shequ-wasm", "--example", "rust_totals", ...(args.length ? ["--", ...args] : [])], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 << 20,
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/**
 * Totals of every bundled sample, as the Rust API computes them (cached
 * under tests/out for one test run; wasm/test.sh clears it).
 * @returns {Record<string, {policy: string, overall: string, by_payer: [string, string][], by_rule: [string, string][], by_community: [string, string][], items: number}>}
 */
export function rustSampleTotals() {
  const file = join(OUT, "rust-totals.json");
  if (!existsSync(file)) writeFileSync(file, cargo([]));
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * Totals of one request as native Rust computes it.
 * @param {object} request
 * @param {string} name
 * @returns {{overall: string, by_payer: [string, string][], by_rule: [string, string][], by_community: [string, string][], items: number}}
 */
export function rustTotals(request, name) {
  const file = join(OUT, `${name}.request.json`);
  writeFileSync(file, JSON.stringify(request, null, 1));
  return JSON.parse(cargo([file]))[0];
}

/**
 * FNV-1a 64 of the bytes and their length, as core/tests/report.rs writes
 * the digests of the Excel reports.
 * @param {Uint8Array} bytes
 */
export function digest(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `fnv1a64:${h.toString(16).padStart(16, "0")}:${bytes.length}`;
}
