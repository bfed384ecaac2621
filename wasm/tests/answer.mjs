// Answers requests through the JS API, one per line, for the cross-front-end
// properties of the Python tests (py/tests/test_cross_frontends.py): each
// line of stdin is a request as JSON; each line of stdout is
// {"overall": …} for a budget or {"code", "field", "typed"} for an error.
import { createInterface } from "node:readline";
import shequ from "../js/index.js";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let answer;
  try {
    answer = { overall: shequ.compute(JSON.parse(line)).budget.totals.overall };
  } catch (e) {
    const err = /** @type {any} */ (e);
    answer = { code: err?.code ?? null, field: err?.field ?? null, typed: shequ.isShequError(e), message: String(err?.message ?? e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
