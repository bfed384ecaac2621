// shequ in Node: the wasm-bindgen `--target nodejs` build (../pkg/node,
// the module with plans and sweeps), loaded synchronously, behind the typed
// API.
// @ts-check
import { createRequire } from "node:module";
import { makeApi } from "./api.js";

const require = createRequire(import.meta.url);
/** @type {import("./types.js").RawBindings} */
const raw = require("../pkg/node/shequ_wasm.js");

/** @type {import("./types.js").Shequ} */
const shequ = makeApi(raw);
export default shequ;
export const { compute, budget, compliance, explain, plan, policies, policy, sample, synthetic, csvToRows, meta, isShequError } = shequ;
