// shequ in the browser: the wasm-bindgen `--target web` build (./pkg, beside
// this file once built into www/lib/), fetched and compiled by `load()`.
// @ts-check
import init, * as raw from "./pkg/shequ_wasm.js";
import { makeApi } from "./api.js";

/**
 * Fetch and instantiate the .wasm (once), then return the typed API.
 * @param {string | URL} [wasmUrl] where the .wasm is (default: beside the glue)
 * @returns {Promise<import("./types.js").Shequ>}
 */
export async function load(wasmUrl) {
  await init(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl });
  return makeApi(raw);
}

/**
 * The API backed by the module with plans and sweeps (`./pkg-plan`, some
 * 48 KB more gzipped than the form's: fetched only when asked for). Its
 * `plan()` works; everything else is as `load()`'s.
 * @param {string | URL} [wasmUrl] where that .wasm is (default: beside its glue)
 * @returns {Promise<import("./types.js").Shequ>}
 */
export async function loadPlans(wasmUrl) {
  const planRaw = await import("./pkg-plan/shequ_wasm.js");
  await planRaw.default(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl });
  return makeApi(/** @type {import("./types.js").RawBindings} */ (/** @type {unknown} */ (planRaw)));
}
