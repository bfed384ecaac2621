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
