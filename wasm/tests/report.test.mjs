// The Excel report from JS: the same bytes as the Rust core and Python for
// the same request (tests/reports/xlsx-digests.json, which
// core/tests/report.rs writes and checks), from the API and from a budget
// view; the CSV; one person's story; and the Chinese of every error (`zh`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import shequ from "../js/index.js";
import { ROOT, digest } from "./rust.mjs";

const DIGESTS = JSON.parse(readFileSync(join(ROOT, "tests", "reports", "xlsx-digests.json"), "utf8"));


/** The request every front-end builds for a sample's report. @param {string} sample */
function request(sample) {
  return { ...shequ.sample(sample), quota: /** @type {const} */ ("warn") };
}

for (const [name, want] of Object.entries(DIGESTS)) {
  test(`the ${name} workbook is the bytes Rust writes`, () => {
    const cut = name.lastIndexOf("-");
    const sample = name.slice(0, cut);
    const lang = /** @type {"zh" | "en"} */ (name.slice(cut + 1));
    const bytes = shequ.reportXlsx(request(sample), lang);
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(digest(bytes), want);
    const view = shequ.budget(request(sample));
    try {
      assert.equal(digest(view.reportXlsx(lang)), want, "the view writes the same workbook");
    } finally {
      view.free();
    }
  });
}

test("CSV of the items, with a byte-order mark, one row per item", () => {
  const r = request("jilin");
  const csv = shequ.reportCsv(r, "zh");
  assert.ok(csv.startsWith("\ufeff序号,社区编号,社区名称,人员编号,姓名"));
  const items = shequ.compute(r).budget.items.length;
  assert.equal(csv.trim().split("\r\n").length, items + 1);
});

test("one person's story: posts, what is paid and what is not, with the name", () => {
  const r = request("jiayuguan");
  const story = shequ.explainPerson(r, "J0013", "zh");
  assert.match(story, /马强\(J0013\)/);
  assert.match(story, /為在職人員/);
  const view = shequ.budget(r);
  try {
    assert.equal(view.explainPerson("J0013", "zh"), story);
    assert.equal(view.explainPerson("NOBODY", "zh"), undefined);
  } finally {
    view.free();
  }
  assert.throws(() => shequ.explainPerson(r, "NOBODY", "zh"), (e) => shequ.isShequError(e) && e.code === "bad_request");
});

test("every error carries its Chinese beside the English", () => {
  try {
    shequ.compute({ policy: "jilin-2011-13", year: 2026, communities: [{ id: "C1", households: -5 }] });
    assert.fail("no error");
  } catch (e) {
    assert.ok(shequ.isShequError(e));
    assert.equal(e.code, "negative_households");
    assert.match(e.message, /negative/);
    assert.ok(e.zh.startsWith("户数为负数(值:-5):社区 C1"), e.zh);
  }
  try {
    shequ.policy("atlantis");
    assert.fail("no error");
  } catch (e) {
    assert.ok(shequ.isShequError(e));
    assert.ok(e.zh.startsWith("没有这个内置政策"), e.zh);
  }
});
