// Every cross-front-end vector (tests/vectors/*.json, format in its README)
// through the JS API in Node: the same answers as Rust and Python.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import shequ from "../js/index.js";
import { withColumns } from "../js/api.js";
import { typedColumns } from "../js/columns.js";
import { ROOT } from "./rust.mjs";

/** The raw bindings, to send a request's tables as rows (the API sends columns). */
const raw = createRequire(import.meta.url)("../pkg/node/shequ_wasm.js");
const encoder = new TextEncoder();
/** The raw answer to `request` as JSON text: the answer's text, or the error's code and message. @param {unknown} request */
const rawAnswer = (request) => {
  try {
    return raw.computeJson(encoder.encode(JSON.stringify(request)));
  } catch (e) {
    const err = /** @type {any} */ (e);
    // A malformed request's message names a place in its text, which columns move.
    return err.code === "bad_request" ? err.code : `${err.code}: ${err.message}`;
  }
};

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
      // A request as raw text (a repeated key, which a JS object cannot
      // hold) goes to the boundary as it is.
      const run = v.request_text === undefined ? () => shequ.compute(v.request) : () => raw.computeJson(encoder.encode(v.request_text));
      assert.throws(
        run,
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

test("every vector answers alike with its tables as rows and as columns", () => {
  let converted = 0;
  for (const file of files) {
    const v = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const columns = withColumns(v.request);
    if (columns === v.request) continue;
    converted++;
    assert.equal(rawAnswer(columns), rawAnswer(v.request), v.id);
  }
  assert.ok(converted > 30, `${converted} vectors had tables to convert`);
});

/** The raw answer to `request` with its tables as typed columns, or null when they cannot go so. @param {unknown} request */
const typedAnswer = (request) => {
  const typed = typedColumns(request, encoder);
  if (typed === null) return null;
  try {
    return raw.computeJsonColumns(encoder.encode(JSON.stringify(typed.request)), typed.tables);
  } catch (e) {
    const err = /** @type {any} */ (e);
    return err.code === "bad_request" ? err.code : `${err.code}: ${err.message}`;
  }
};

test("every vector answers alike with its tables as rows and as typed columns", () => {
  let typed = 0;
  for (const file of files) {
    const v = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const answer = typedAnswer(v.request);
    if (answer === null) continue;
    typed++;
    assert.equal(answer, rawAnswer(v.request), v.id);
  }
  assert.ok(typed > 30, `${typed} vectors went as typed columns`);
});

test("values typed columns hold oddly answer as their rows do", () => {
  const base = { policy: "jilin-2011-13", year: 2026, quota: "warn" };
  const c = (/** @type {Record<string, unknown>} */ extra) => ({ id: "C1", households: 2750, rating: "ordinary", ...extra });
  const p = (/** @type {Record<string, unknown>} */ extra) => ({ id: 7, community: "C1", post: "director", start: "2015-03-01", serving: true, ...extra });
  const cases = [
    // Text with a NUL in it, and text that is not well-formed Unicode.
    { communities: [c({ name: "a\0b" })] },
    { communities: [c({ name: "\ud800" })] },
    // Mixed kinds, fractions, huge and unsafe numbers, NaN and infinities.
    { communities: [c({}), c({ id: 2, households: "3,100" })] },
    { communities: [c({ households: 2750.5 })] },
    { communities: [c({ households: 2 ** 60 })] },
    { communities: [c({ households: Number.MAX_SAFE_INTEGER })] },
    { communities: [c({ households: -0 })] },
    { communities: [c({ households: NaN })] },
    { communities: [c({ households: -Infinity })] },
    // Nulls in typed columns; a column only of nulls; empty tables.
    { communities: [c({}), c({ id: "C2", rating: null })] },
    { communities: [c({ score: null }), c({ id: "C2", score: null })] },
    { communities: [], people: [] },
    { communities: [c({})], people: [p({}), p({ id: 8, serving: null }), p({ id: 9, serving: false, start: null })] },
    // Booleans and numbers where text is expected, and the reverse.
    { communities: [c({ rating: true })] },
    { communities: [c({})], people: [p({ serving: 1 }), p({ id: 8, serving: "是" })] },
    { communities: [c({})], people: [p({ id: 1.5 })] },
    // The same person twice; ids as text and as numbers in one column.
    { communities: [c({})], people: [p({}), p({})] },
    { communities: [c({})], people: [p({}), p({ id: "7" })] },
  ];
  for (const tables of cases) {
    const request = { ...base, ...tables };
    const answer = typedAnswer(request);
    if (answer === null) continue;
    assert.equal(answer, rawAnswer(request), JSON.stringify(tables));
  }
  // What cannot go as typed columns goes as JSON.
  for (const tables of [
    { communities: [c({}), { id: "C2" }] },
    { communities: [c({}), { rating: "good", id: "C2", households: 1 }] },
    { communities: [c({ start: new Date(0) })] },
    { communities: [c({ households: 10n })] },
    { communities: [c({ name: "\udc00" })] },
    { communities: [c({})], people: [{ id: 1, community: "C1", posts: [{ post: "director", start: "2015-03-01" }] }] },
    { communities: { rows: 0, columns: {} } },
  ]) {
    assert.equal(typedColumns({ ...base, ...tables }, encoder), null, String(Object.keys(tables)));
  }
});

test("rows JSON would write oddly are sent as JSON writes them", () => {
  const base = { policy: "jilin-2011-13", year: 2026 };
  const community = { id: "C1", households: 2750, rating: "ordinary" };
  class Row {
    constructor() {
      this.id = "C1";
      this.households = 2750;
      this.rating = "ordinary";
    }
  }
  const cases = [
    // Undefined, function and symbol values are missing keys; a Date is its ISO text.
    { communities: [{ ...community, score: undefined, f: () => 1, s: Symbol("x") }] },
    { communities: [community], people: [{ id: "P1", community: "C1", post: "director", start: new Date(Date.UTC(2020, 1, 29)), serving: false }] },
    // Keys missing from some rows, in a different order, and nested posts.
    {
      communities: [community, { rating: "good", id: "C2", households: 900 }, { id: "C3" }],
      people: [
        { id: "P1", community: "C1", posts: [{ post: "director", start: "2015-03-01" }, { post: "member", start: "2019-01-01" }] },
        { id: "P2", community: "C2", post: "member", start: "2020-01-01", end: null, extra: 1 },
      ],
    },
    // NaN, Infinity and fractions as JSON writes them; an empty table.
    { communities: [{ ...community, households: NaN }] },
    { communities: [{ ...community, households: 27.5 }], people: [] },
    // Not plain objects: sent as rows, refused by position.
    { communities: [community, null] },
    { communities: [new Row()] },
    { communities: [community, [1, 2]] },
    { communities: "C1" },
  ];
  for (const tables of cases) {
    const request = { ...base, quota: "warn", ...tables };
    const answer = rawAnswer(request);
    assert.equal(rawAnswer(withColumns(request)), answer, JSON.stringify(tables));
    // The API's answer (columns) is the answer to the rows.
    let api;
    try {
      api = JSON.stringify(shequ.compute(request));
    } catch (e) {
      const err = /** @type {any} */ (e);
      api = err.code === "bad_request" ? err.code : `${err.code}: ${err.message}`;
    }
    assert.equal(api, answer.startsWith("{") ? JSON.stringify(JSON.parse(answer)) : answer);
  }
  // The caller's request is left as it was.
  const request = { ...base, communities: [community] };
  const copy = JSON.stringify(request);
  assert.notEqual(withColumns(request), request);
  assert.equal(JSON.stringify(request), copy);
});
