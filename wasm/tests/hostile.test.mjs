// Hostile and odd input through the JS API (issue 16): every error is a
// ShequError with a code, never a TypeError or a trap; JS values JSON cannot
// carry (BigInt, lone surrogates, Dates) are read or refused by name; one
// instance survives thousands of failing calls; a trap (which no input
// should cause) throws one InternalError and the next call runs in a fresh
// instance. The bad vectors themselves run in vectors.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import shequ from "../js/index.js";
import { ROOT, WASM } from "./rust.mjs";

const CODES = new Set(shequ.meta().error_codes);
const JILIN = { policy: "jilin-2011-13", year: 2026, quota: /** @type {const} */ ("warn") };
const COMMUNITY = { id: "C1", households: 2750, rating: "ordinary" };
const PERSON = { id: "P1", community: "C1", post: "director", start: "2020-03-01" };

/**
 * The ShequError `f` throws (fails on anything else, or on no error).
 * @param {() => unknown} f
 * @returns {any}
 */
function typed(f) {
  try {
    f();
  } catch (e) {
    assert.ok(shequ.isShequError(e), `a ShequError, not ${e}`);
    const err = /** @type {any} */ (e);
    assert.ok(CODES.has(err.code), `a core code: ${err.code}`);
    return err;
  }
  assert.fail("no error");
}

test("a BigInt in a cell is refused by name; anywhere else it is bad_request naming the key", () => {
  let e = typed(() => shequ.compute({ ...JILIN, communities: [{ ...COMMUNITY, households: 2750n }] }));
  assert.equal(e.code, "invalid_number");
  assert.equal(e.field, "households");
  assert.equal(e.record.id, "C1");
  assert.match(e.message, /BigInt/);
  e = typed(() => shequ.compute({ ...JILIN, communities: [{ ...COMMUNITY, id: 10n ** 30n }] }));
  assert.equal(e.field, "id");
  e = typed(() => shequ.compute({ ...JILIN, year: 2026n, communities: [COMMUNITY] }));
  assert.deepEqual([e.code, e.field], ["bad_request", "year"]);
  e = typed(() => shequ.compute({ policy: "harbin-2011-14", year: 2026, parameters: { deputy_salary_monthly: 2600n }, communities: [{ id: "H1", households: 1801 }] }));
  assert.deepEqual([e.code, e.field], ["bad_request", "deputy_salary_monthly"]);
});

test("a whole Number past 2^53 − 1 answers as through JSON, typed columns or not", () => {
  for (const ids of [[2 ** 53, "C2"], [2 ** 53, 5]]) {
    const request = { ...JILIN, communities: [{ ...COMMUNITY, id: ids[0] }, { ...COMMUNITY, id: ids[1] }] };
    const typedAnswer = shequ.compute(request).budget.totals.by_community;
    assert.deepEqual(typedAnswer.map(([c]) => String(c)), [String(2 ** 53), String(ids[1])]);
  }
});

test("a lone surrogate in a cell is refused by name, as Python refuses it", () => {
  for (const field of ["id", "name", "district", "rating"]) {
    const e = typed(() => shequ.compute({ ...JILIN, communities: [{ ...COMMUNITY, [field]: "社区\ud800" }] }));
    assert.deepEqual([e.code, e.field], ["invalid_number", field], e.message);
    assert.match(e.message, /lone surrogate/);
  }
  const e = typed(() => shequ.compute({ ...JILIN, communities: [COMMUNITY], people: [{ ...PERSON, start: "2020-03-01\udc00" }] }));
  assert.deepEqual([e.code, e.field], ["invalid_date", "start"]);
  // Outside a table: the key.
  assert.equal(typed(() => shequ.compute({ ...JILIN, policy: "jilin\ud800", communities: [] })).field, "policy");
  assert.equal(typed(() => shequ.compute({ ...JILIN, communities: [{ ...COMMUNITY, ["x\ud800"]: 1 }] })).code, "bad_request");
  assert.equal(typed(() => shequ.sample("jilin\ud800")).code, "bad_request");
  assert.equal(typed(() => shequ.csvToRows("id\n\ud800")).code, "bad_request");
});

test("a Date is its local calendar day; an invalid Date is refused by name", () => {
  const on = (start) =>
    shequ.compute({ policy: "jiayuguan-2020-97", year: 2026, communities: [{ id: "J1", households: 1801 }], people: [{ id: "G1", community: "J1", post: "group_leader", start }] }).budget.totals.overall;
  assert.equal(on(new Date(2026, 2, 2)), on("2026-03-02"));
  assert.equal(on(new Date(2026, 2, 2, 23, 59)), on("2026-03-02"));
  // In a person's posts too.
  const nested = shequ.compute({ policy: "jiayuguan-2020-97", year: 2026, communities: [{ id: "J1", households: 1801 }], people: [{ id: "G1", community: "J1", posts: [{ post: "group_leader", start: new Date(2026, 2, 2) }] }] });
  assert.equal(nested.budget.totals.overall, on("2026-03-02"));
  const e = typed(() => on(new Date("not a date")));
  assert.deepEqual([e.code, e.field], ["invalid_date", "start"]);
  assert.equal(typed(() => shequ.compute({ ...JILIN, as_of: new Date(Number.NaN), communities: [COMMUNITY] })).field, "as_of");
});

test("a Date under TZ=Asia/Shanghai means its local day: 2 March pays 2700.00, not 3000.00", () => {
  const script = `
    import shequ from ${JSON.stringify(new URL("../js/index.js", import.meta.url).href)};
    const r = shequ.compute({ policy: "jiayuguan-2020-97", year: 2026, communities: [{ id: "J1", households: 1801 }],
      people: [{ id: "G1", community: "J1", post: "group_leader", start: new Date(2026, 2, 2) }] });
    console.log(JSON.stringify([new Date(2026, 2, 2).toISOString(), r.budget.totals.overall]));`;
  for (const tz of ["Asia/Shanghai", "America/Los_Angeles", "UTC"]) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, TZ: tz }, encoding: "utf8" });
    const [iso, overall] = JSON.parse(out);
    assert.equal(overall, "2700.00", `${tz} (${iso})`);
    if (tz === "Asia/Shanghai") assert.equal(iso, "2026-03-01T16:00:00.000Z", "the UTC instant is on 1 March");
  }
});

test("every bad vector thrown through the typed API is a ShequError with a core code", () => {
  const dir = join(ROOT, "tests", "vectors");
  const bad = readdirSync(dir).filter((f) => f.startsWith("bad-"));
  assert.ok(bad.length >= 80, `${bad.length} bad vectors`);
  for (const file of bad) {
    const v = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (v.request === undefined) continue;
    // As rows objects (columns), and as a budget view and a compliance report.
    for (const call of [() => shequ.compute(v.request), () => shequ.budget(v.request).free(), () => shequ.compliance(v.request)]) {
      try {
        call();
      } catch (e) {
        assert.ok(shequ.isShequError(e), `${file}: ${e}`);
        assert.ok(CODES.has(/** @type {any} */ (e).code), `${file}: ${/** @type {any} */ (e).code}`);
      }
    }
  }
  assert.equal(shequ.restarts(), 0, "no input trapped the instance");
});

test("thousands of failing calls in one instance, then a correct budget", () => {
  const dir = join(ROOT, "tests", "vectors");
  const requests = readdirSync(dir)
    .filter((f) => f.startsWith("bad-"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")))
    .map((v) => v.request_text ?? JSON.stringify(v.request))
    // The typed API takes objects: a request text JS cannot parse is no call it can make.
    .filter((text) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    });
  const want = shequ.compute({ ...JILIN, communities: [COMMUNITY] }).budget.totals.overall;
  let failures = 0;
  for (let round = 0; failures < 5000; round++) {
    for (const text of requests) {
      try {
        shequ.compute(JSON.parse(text));
      } catch (e) {
        assert.ok(shequ.isShequError(e), `${e}`);
        failures++;
      }
    }
  }
  assert.ok(failures >= 5000);
  assert.equal(shequ.restarts(), 0);
  assert.equal(shequ.compute({ ...JILIN, communities: [COMMUNITY] }).budget.totals.overall, want);
});

test("a trap throws one InternalError, and the next call runs in a fresh instance", () => {
  const want = shequ.compute({ ...JILIN, communities: [COMMUNITY] }).budget.totals.overall;
  const before = shequ.restarts();
  for (let i = 0; i < 250; i++) {
    let thrown;
    try {
      shequ._trapForTests();
    } catch (e) {
      thrown = /** @type {any} */ (e);
    }
    assert.ok(shequ.isShequError(thrown), `${thrown}`);
    assert.equal(thrown.code, "internal_error");
    assert.match(thrown.message, /fresh instance/);
    // The very next call works, every time (the old instance would fail
    // with "memory access out of bounds" after some hundreds of traps).
    assert.equal(shequ.compute({ ...JILIN, communities: [COMMUNITY] }).budget.totals.overall, want);
  }
  assert.equal(shequ.restarts(), before + 250);
  // And bad input still gives its typed error afterwards.
  assert.equal(typed(() => shequ.compute({ ...JILIN, communities: [{ ...COMMUNITY, households: -5 }] })).code, "negative_households");
});

test("the wasm package has no trap hook a request can reach", () => {
  // trapForTests is an export of its own; no request field names it.
  const lib = readFileSync(join(WASM, "src", "lib.rs"), "utf8");
  assert.equal((lib.match(/trap_for_tests/g) ?? []).length, 1);
});
