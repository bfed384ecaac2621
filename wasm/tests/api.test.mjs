// The JS API in Node: built-in policies, the bundled samples against Rust, a
// custom policy text, paged views, CSV, compliance, and errors as real
// `Error` objects with stable codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import shequ from "../js/index.js";
import { WASM, rustSampleTotals } from "./rust.mjs";

const MINI = `[policy]
id = "mini"
version = "1"
document = "测试〔2026〕1号"
title_zh = "测试"
title_en = "test"
city_zh = "测试市"
city_en = "Test"
source_file = "-"

[[payers]]
id = "city"
zh = "市"
en = "city"

[[posts]]
id = "p"
zh = "岗"
en = "post"

[[rules]]
kind = "work_funds"
id = "wf"
zh = "经费"
en = "funds"
clause = "一"
quote = "每百户1500元"
basis = { value = "proportional", source = "stated" }
households_per_unit = { value = 100, source = "stated" }
rate = [{ from = 2020-01-01, value = "1500", source = "stated" }]
split = { value = { city = "100" }, source = "stated" }
`;

/**
 * Call `f`, which must throw a ShequError; return it.
 * @param {() => unknown} f
 * @returns {import("../js/types.js").ShequError}
 */
function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, "a real Error, not a string");
    assert.ok(shequ.isShequError(e), `a ShequError: ${e}`);
    assert.equal(e.name, "ShequError");
    assert.ok(typeof e.stack === "string");
    return e;
  }
  assert.fail("did not throw");
}

test("every built-in policy is listed and readable", () => {
  const list = shequ.policies();
  assert.ok(list.length >= 2);
  for (const p of list) {
    const file = shequ.policy(p.id);
    assert.equal(file.policy.id, p.id);
    assert.equal(file.policy.document, p.document);
    // A policy computes money (rules) or checks a city (checks), or both.
    assert.ok(file.rules.length + (file.checks ?? []).length > 0, p.id);
    for (const r of file.rules) assert.ok(r.clause && r.zh && r.en, `${p.id}.${r.id}`);
  }
});

test("every bundled sample gives the totals the Rust API gives", () => {
  const rust = rustSampleTotals();
  const samples = shequ.meta().samples;
  assert.deepEqual(Object.keys(rust).sort(), [...samples].sort());
  for (const id of samples) {
    const request = { ...shequ.sample(id), quota: /** @type {const} */ ("warn") };
    const { budget } = shequ.compute(request);
    const want = rust[id];
    assert.equal(budget.policy, want.policy, id);
    assert.equal(budget.totals.overall, want.overall, `${id} overall`);
    assert.deepEqual(budget.totals.by_payer, want.by_payer, `${id} by payer`);
    assert.deepEqual(budget.totals.by_rule, want.by_rule, `${id} by rule`);
    assert.deepEqual(budget.totals.by_community, want.by_community, `${id} by community`);
    assert.equal(budget.items.length, want.items, `${id} items`);
  }
});

test("money crosses as exact strings, and shares add up to the item", () => {
  const { budget } = shequ.compute({ ...shequ.sample("jilin"), quota: "warn" });
  assert.match(budget.totals.overall, /^\d+\.\d{2}$/);
  for (const it of budget.items) {
    assert.equal(typeof it.amount, "string");
    const fen = it.shares.reduce((s, sh) => s + BigInt(sh.amount.replace(".", "")), 0n);
    assert.equal(fen, BigInt(it.amount.replace(".", "")), `${it.community} ${it.rule}`);
    assert.ok(it.provenance.clause, "every item has its clause");
  }
});

test("a paged view reads the same budget as the whole answer", () => {
  const request = { ...shequ.sample("jiayuguan"), quota: /** @type {const} */ ("warn") };
  const whole = shequ.compute(request).budget;
  const view = shequ.budget(request);
  try {
    assert.deepEqual(view.summary.totals, whole.totals);
    assert.equal(view.summary.item_count, whole.items.length);
    assert.equal(view.summary.exclusion_count, whole.exclusions.length);
    const pages = [];
    for (let at = 0; at < whole.items.length; at += 97) pages.push(...view.items(at, 97));
    assert.deepEqual(pages, whole.items);
    assert.deepEqual(view.exclusions(0, 1e9), whole.exclusions);
    assert.deepEqual(view.items(whole.items.length, 10), []);
    const first = whole.items[0];
    assert.ok(view.explainItem(0, "en")?.includes(first.provenance.clause));
    assert.ok(view.explainCommunity(first.community, "zh"));
    assert.equal(view.explainCommunity("no-such-community", "zh"), undefined);
    assert.equal(thrown(() => view.explainItem(0, /** @type {any} */ ("fr"))).code, "bad_request");
  } finally {
    view.free();
  }
});

test("a policy given as TOML text computes, and names its errors by line and key", () => {
  const request = { policy: { toml: MINI, origin: "mini.toml" }, year: 2026, communities: [{ id: "C1", households: 2750 }] };
  const { budget } = shequ.compute(request);
  assert.equal(budget.totals.overall, "41250.00");
  assert.deepEqual(budget.totals.by_payer, [["city", "41250.00"]]);
  assert.equal(shequ.policy({ toml: MINI }).rules[0].id, "wf");

  const broken = MINI.replace('city = "100"', 'city = "90"');
  const e = thrown(() => shequ.compute({ ...request, policy: { toml: broken, origin: "mini.toml" } }));
  assert.equal(e.code, "policy_split_sum");
  assert.match(e.message, /mini\.toml/);
  const syntax = thrown(() => shequ.policy({ toml: MINI.replace("[[posts]]", "[[posts]\n"), origin: "bad.toml" }));
  assert.equal(syntax.code, "policy_syntax");
  assert.equal(typeof syntax.line, "number");
  const unknown = thrown(() => shequ.policy({ toml: `${MINI}\nsurprise = 1\n` }));
  assert.equal(unknown.code, "policy_syntax");
});

test("input errors are Errors with code, record and field", () => {
  const base = { policy: "jilin-2011-13", year: 2026 };
  const neg = thrown(() => shequ.compute({ ...base, communities: [{ id: "C1", households: 10, rating: "ordinary" }, { id: "C2", households: -5, rating: "ordinary" }] }));
  assert.equal(neg.code, "negative_households");
  assert.equal(neg.field, "households");
  assert.deepEqual(neg.record, { kind: "community", index: 1, id: "C2" });
  assert.match(neg.message, /-5/);

  const date = thrown(() =>
    shequ.compute({ ...base, quota: "warn", communities: [{ id: "C1", households: 10, rating: "good" }], people: [{ id: "P1", community: "C1", post: "director", start: "2024-02-30" }] }),
  );
  assert.equal(date.code, "invalid_date");
  assert.equal(date.field, "start");
  assert.deepEqual(date.record, { kind: "person", index: 0, id: "P1" });

  const post = thrown(() => shequ.compute({ ...base, communities: [{ id: "C1", households: 10, rating: "ordinary" }], people: [{ id: "P1", community: "C1", post: "mayor", start: "2024-01-01" }] }));
  assert.equal(post.code, "unknown_post");

  assert.equal(thrown(() => shequ.compute({ ...base, communities: [{ id: "C1", households: 10, rating: "excellent" }] })).code, "quota_exceeded");
  assert.equal(thrown(() => shequ.compute({ ...base, policy: "atlantis" , communities: [] })).code, "policy_not_found");
  assert.equal(thrown(() => shequ.compute(/** @type {any} */ ({ policy: "jilin-2011-13", communities: [] }))).code, "bad_request");
  assert.equal(thrown(() => shequ.compute(/** @type {any} */ ({ ...base, communities: [], colour: "red" }))).code, "bad_request");
  assert.equal(thrown(() => shequ.sample("atlantis")).code, "bad_request");
  assert.equal(thrown(() => shequ.synthetic("atlantis", 3, 1)).code, "bad_request");
});

test("the error codes of the types are the package's codes", () => {
  const types = readFileSync(join(WASM, "js", "types.d.ts"), "utf8");
  const union = types.slice(types.indexOf("export type ErrorCode ="), types.indexOf(";", types.indexOf("export type ErrorCode =")));
  const declared = [...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), [...shequ.meta().error_codes].sort());
});

test("CSV becomes rows the budget reads", () => {
  const communities = shequ.csvToRows("id,name,households,rating\nC1,社区A,2750,ordinary\nC2,社区B,1000,ordinary\n");
  assert.deepEqual(communities[0], { id: "C1", name: "社区A", households: "2750", rating: "ordinary" });
  const people = shequ.csvToRows("\ufeffid,community,post,start,serving\nP1,C1,主任,2020-03-01,否\n");
  const { budget } = shequ.compute({ policy: "jilin-2011-13", year: 2026, communities, people });
  assert.equal(budget.totals.by_rule.find(([r]) => r === "work_funds")?.[1], "56250.00");
  assert.ok(budget.items.some((it) => it.person === "P1"));
  const bad = thrown(() => shequ.csvToRows('id,households\nC1,1,2\n'));
  assert.equal(bad.code, "bad_request");
  assert.match(bad.message, /line/i);
});

test("a CSV column shequ does not read is a warning, not silence", () => {
  // `在职` is not a column name shequ reads: everyone would be paid as not
  // serving; the budget says which column was ignored.
  const communities = shequ.csvToRows("id,households,rating\nC1,2750,ordinary\n");
  const people = shequ.csvToRows("id,community,post,start,servng\nP1,C1,主任,2020-03-01,是\n");
  const { budget } = shequ.compute({ policy: "jilin-2011-13", year: 2026, communities, people });
  const unknown = budget.warnings.filter((w) => w.code === "unknown_column");
  assert.deepEqual(unknown.map((w) => w.en), ["column `servng` of people is not one shequ reads and was ignored (did you mean `serving`?)"]);
  assert.match(unknown[0].zh, /人员表的列 `servng`/);
  // The compliance report of the same tables says so too.
  const report = shequ.compliance({ policy: "jilin-2011-13", year: 2026, communities, people, parameters: { provincial_subsidy_per_graduate_monthly: "0" } });
  assert.deepEqual(report.warnings.map((w) => w.en), unknown.map((w) => w.en));
});

test("explanations and the compliance report come with the clause", () => {
  const request = { ...shequ.sample("jilin"), quota: /** @type {const} */ ("warn") };
  const text = shequ.explain(request, request.communities[0].id.toString(), "en");
  assert.match(text, /clause/);
  const withWords = shequ.compute({ ...request, explain: "zh" });
  assert.equal(withWords.explanations?.length, withWords.budget.items.length);
  for (const id of shequ.meta().samples) {
    const report = shequ.compliance({ ...shequ.sample(id), quota: "warn" });
    assert.ok(Array.isArray(report.findings), id);
    for (const f of report.findings) assert.ok(f.clause && f.zh && f.en, `${id} ${f.check}`);
  }
});

test("a synthetic city is shaped like its sample", () => {
  const city = shequ.synthetic("jiayuguan", 12, 3);
  assert.equal(city.policy, "jiayuguan-2020-97");
  assert.equal(city.communities.length, 12);
  const { budget } = shequ.compute(city);
  assert.equal(budget.totals.by_community.length, 12);
});
