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
  let n = 1;
  /** @type {typeof raw | null} */
  let spare = await spareGlue(n);
  /** After a trap: the spare started now (the API stays synchronous), another readied for later. */
  const fresh = () => {
    const next = spare ?? raw;
    spare = null;
    next.initSync({ module });
    n++;
    spareGlue(n).then((s) => {
      spare = s;
    });
    return next;
  };
  return makeApi(raw, fresh);
}
