// Every cross-front-end vector (tests/vectors/*.json, format in its README)
// through the JS API in Node: the same answers as Rust and Python.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import shequ from "../js/index.js";
import { ROOT } from "./rust.mjs";

const dir = join(ROOT, "tests", "vectors");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("there are vectors to run", () => {
  assert.ok(files.length > 0, `no vectors in ${dir}`);
});

/** @param {[string, string][]} pairs */
const asMap = (pairs) => new Map(pairs);

for (const file of files) {
  const v = JSON.parse(readFileSync(join(dir, file), "utf8"));
  test(v.id ?? file, () => {
    assert.equal(`${v.id}.json`, file, "id and file name differ");
    if (v.expected_error) {
      const want = v.expected_error;
      assert.throws(
        () => shequ.compute(v.request),
        (/** @type {any} */ e) => {
          assert.ok(e instanceof Error, "a real Error");
          assert.ok(shequ.isShequError(e));
          assert.equal(e.code, want.code, e.message);
          if ("field" in want) assert.equal(e.field, want.field, "field");
          if ("record_id" in want) assert.equal(e.record?.id, want.record_id, "record id");
          return true;
        },
      );
      return;
    }
    const budget = shequ.compute(v.request).budget;
    const exp = v.expected ?? {};
    if ("overall" in exp) assert.equal(budget.totals.overall, exp.overall, "overall");
    for (const key of /** @type {const} */ (["by_payer", "by_rule", "by_community"])) {
      if (!exp[key]) continue;
      const got = asMap(budget.totals[key]);
      for (const [k, amount] of Object.entries(exp[key])) assert.equal(got.get(k), amount, `${key}.${k}`);
    }
    for (const want of exp.items ?? []) {
      const found = budget.items.filter((it) => it.community === want.community && (it.person ?? null) === want.person && it.rule === want.rule);
      assert.equal(found.length, 1, `one item ${JSON.stringify(want)}`);
      assert.equal(found[0].months ?? null, want.months ?? null, `months of ${JSON.stringify(want)}`);
      assert.equal(found[0].amount, want.amount, `amount of ${JSON.stringify(want)}`);
    }
    for (const list of /** @type {const} */ (["warnings", "exclusions"])) {
      for (const code of exp[list] ?? []) assert.ok(budget[list].some((n) => n.code === code), `${list} lacks ${code}`);
    }
  });
}
