// Types of the Node entry point (index.js).
import type { Shequ } from "./types.js";
export * from "./types.js";
declare const shequ: Shequ;
export default shequ;
export declare const compute: Shequ["compute"],
  budget: Shequ["budget"],
  compliance: Shequ["compliance"],
  explain: Shequ["explain"],
  plan: Shequ["plan"],
  policies: Shequ["policies"],
  policy: Shequ["policy"],
  sample: Shequ["sample"],
  synthetic: Shequ["synthetic"],
  csvToRows: Shequ["csvToRows"],
  readTables: Shequ["readTables"],
  meta: Shequ["meta"],
  isShequError: Shequ["isShequError"];
