// shequ in the browser: the wasm-bindgen `--target web` build (./pkg, beside
// this file once built into www/lib/), fetched and compiled by `load()`.
// @ts-check
import init, * as raw from "./pkg/shequ_wasm.js";
import { makeApi } from "./api.js";

const GLUE = new URL("./pkg/shequ_wasm.js", import.meta.url);

/**
 * A spare copy of the glue (a module of its own: its own instance), ready to
 * be started synchronously from the compiled module when the live instance
 * trapped.
 * @param {number} n
 * @returns {Promise<typeof raw>}
 */
const spareGlue = (n) => import(/* @vite-ignore */ `${GLUE.href}?instance=${n}`);

/**
 * Fetch and instantiate the .wasm (once), then return the typed API.
 * @param {string | URL} [wasmUrl] where the .wasm is (default: beside the glue)
 * @returns {Promise<import("./types.js").Shequ>}
 */
export async function load(wasmUrl) {
  const url = wasmUrl ?? new URL("./pkg/shequ_wasm_bg.wasm", import.meta.url);
  // Compiled once, kept to start a fresh instance from if one ever traps.
  const module = await WebAssembly.compileStreaming(fetch(url)).catch(async () =>
    // A server that does not say `application/wasm`: compiled from the bytes.
    WebAssembly.compile(await (await fetch(url)).arrayBuffer()),
  );
  await init({ module_or_path: module });
  // The API is synchronous, and a module can only be imported
  // asynchronously: copies of the glue are kept ready, each started from
  // the compiled module when the live instance traps, and topped up on the
  // next turn of the event loop. (Traps are bugs: more than SPARES of them
  // in one synchronous run would leave the last call on a broken instance.)
  const SPARES = 2;
  let n = 0;
  /** @type {(typeof raw)[]} */
  const spares = [];
  const topUp = () => {
    while (n < SPARES + restarted) {
      n++;
      spareGlue(n).then((s) => spares.push(s));
    }
  };
  let restarted = 0;
  topUp();
  /** After a trap: a spare started now, another readied for later. */
  const fresh = () => {
    const next = spares.shift();
    restarted++;
    topUp();
    if (next === undefined) return raw;
    next.initSync({ module });
    return next;
  };
  // The first spares are there before the API is handed out.
  while (spares.length < SPARES) await new Promise((r) => setTimeout(r, 1));
  return makeApi(raw, fresh);
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
