// The bureau's files through the JS API (Node): an .xlsx workbook with
// Chinese headers and a merged title row, a GBK CSV, cells pasted from
// Excel (tab-separated) — written by tests/fixtures.mjs — give exactly the
// budget of the same city typed cleanly; `readTables` reports the mapping.
// Run: node --test tests/sheets.test.mjs (after ./build.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import shequ from "../js/index.js";
import { CLEAN, COMMUNITY_HEADERS, PEOPLE_HEADERS, bureauCommunities, bureauPeople, bureauWorkbook, delimited, gbk } from "./fixtures.mjs";

const base = { policy: "jilin-2011-13", year: 2026, quota: /** @type {const} */ ("warn") };

/** What must be equal: every total and every item's amount. @param {import("../js/types.js").BudgetResponse} a */
function essence(a) {
  return {
    totals: a.budget.totals,
    items: a.budget.items.map((it) => [String(it.community), it.person ?? null, it.rule, it.months ?? null, it.amount]),
  };
}

const clean = () => shequ.compute({ ...base, communities: CLEAN.communities, people: CLEAN.people });

test("an Excel workbook with Chinese headers gives the clean budget", () => {
  const want = clean();
  const book = bureauWorkbook();
  const got = shequ.compute({ ...base, communities: { bytes: book, name: "某市社区.xlsx" } });
  assert.deepEqual(essence(got), essence(want));
  // Integer ids stay numbers.
  assert.equal(got.budget.totals.by_community[0][0], 101);
  // What the reader did comes with the answer.
  assert.ok(got.files);
  const codes = got.files.notes.map((n) => n.code);
  assert.ok(codes.includes("title_rows_skipped") && codes.includes("total_rows_skipped"), codes.join(" "));
  const start = got.files.columns.find((c) => c.table === "people" && c.header === "任职日期");
  assert.equal(start?.column, "start");
  // An ArrayBuffer or bare bytes do as well.
  assert.deepEqual(essence(shequ.compute({ ...base, communities: book.buffer.slice(0) })), essence(want));
});

test("readTables gives the rows, the mapping and the notes", () => {
  const read = shequ.readTables(bureauWorkbook(), { policy: "jilin-2011-13" });
  assert.equal(read.format, "xlsx");
  assert.deepEqual(Object.keys(read.tables).sort(), ["communities", "people"]);
  const c = read.tables.communities;
  assert.ok(c);
  assert.equal(c.sheet, "社区基本情况");
  assert.equal(c.header_row, 2);
  assert.deepEqual(c.lines, [3, 4, 5, 6]);
  assert.deepEqual(c.rows[0], { id: 101, name: "胜利社区", households: "2,750", rating: "优秀" });
  const tidy = shequ.readTables(bureauWorkbook(), { tidy: true }).tables.people;
  assert.ok(tidy);
  assert.deepEqual(tidy.rows.map((r) => r.start), CLEAN.people.map((p) => p.start));
  assert.deepEqual(tidy.rows.map((r) => r.serving), CLEAN.people.map((p) => p.serving));
});

test("a GBK CSV and cells pasted from Excel give the clean budget", () => {
  const want = clean();
  const csv = gbk(delimited(COMMUNITY_HEADERS, bureauCommunities(), ","));
  const read = shequ.readTables(csv, { table: "communities", name: "社区.csv" });
  assert.equal(read.encoding, "GB18030");
  assert.equal(read.tables.communities?.rows[0].name, "胜利社区");
  const pasted = new TextEncoder().encode(delimited(PEOPLE_HEADERS, bureauPeople(false), "\t"));
  const got = shequ.compute({ ...base, communities: csv, people: pasted });
  assert.deepEqual(essence(got), essence(want));
});

test("posts a policy does not pay can be skipped, each named", () => {
  const people = [...CLEAN.people, { id: "P9", community: 101, post: "居民小组长", start: "2020-01-01" }];
  assert.throws(() => shequ.compute({ ...base, communities: CLEAN.communities, people }), (e) => {
    assert.ok(shequ.isShequError(e));
    assert.equal(e.code, "unknown_post");
    assert.match(e.message, /居民委员会主任/);
    return true;
  });
  const got = shequ.compute({ ...base, unknown_posts: "skip", communities: CLEAN.communities, people });
  assert.deepEqual(essence(got), essence(clean()));
  assert.ok(got.budget.warnings.some((w) => w.code === "post_not_in_policy" && w.person === "P9"));
});

test("a file that is no table, and a bad cell, say what to change", () => {
  assert.throws(() => shequ.readTables(new Uint8Array([0, 255, 128, 129])), (e) => {
    assert.ok(shequ.isShequError(e));
    assert.equal(e.code, "invalid_table");
    assert.match(e.message, /不是电子表格/);
    return true;
  });
  const bad = delimited(COMMUNITY_HEADERS, [[101, "胜利社区", "2,75O", "一般"]], ",");
  assert.throws(() => shequ.compute({ ...base, communities: new TextEncoder().encode(bad) }), (e) => {
    assert.ok(shequ.isShequError(e));
    assert.equal(e.code, "invalid_number");
    assert.equal(e.field, "households");
    assert.deepEqual(e.record, { kind: "community", index: 0, id: "101" });
    assert.match(e.message, /2,75O/);
    // The sheet's row: the header is row 1.
    assert.equal(e.sheetRow, 2);
    assert.match(e.message, /第 2 行/);
    return true;
  });
});
