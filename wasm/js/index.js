// shequ in Node: the wasm-bindgen `--target nodejs` build (../pkg/node,
// the module with plans and sweeps), loaded synchronously, behind the typed
// API.
// @ts-check
import { createRequire } from "node:module";
import { makeApi } from "./api.js";

const require = createRequire(import.meta.url);
const glue = require.resolve("../pkg/node/shequ_wasm.js");
/** @type {import("./types.js").RawBindings} */
const raw = require(glue);

/** A fresh instance: the glue evaluated again (it instantiates the module
 * when loaded), after a trap left the last one unusable. */
const fresh = () => {
  delete require.cache[glue];
  return /** @type {import("./types.js").RawBindings} */ (require(glue));
};

/** @type {import("./types.js").Shequ} */
const shequ = makeApi(raw, fresh);
export default shequ;
export const { compute, budget, compliance, explain, explainPerson, reportXlsx, reportCsv, plan, policies, policy, sample, synthetic, csvToRows, readTables, meta, isShequError } = shequ;
