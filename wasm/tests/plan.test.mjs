// Plans and sweeps through the JS API (issue 19): each year's total is that
// year's budget, a sweep's diff, one year's full budget on demand, errors
// with codes, and the chart's SVG (stacked by payer, the exact totals).
import { test } from "node:test";
import assert from "node:assert/strict";
import shequ from "../js/index.js";
import { chartSvg, grouped } from "../www/plan.js";

const jiayuguan = () => ({ ...shequ.sample("jiayuguan"), quota: /** @type {const} */ ("warn") });

test("each year of a plan is that year's budget", () => {
  const sample = jiayuguan();
  const plan = shequ.plan({ ...sample, years: { from: 2026, to: 2028 } });
  assert.deepEqual(plan.years, [2026, 2027, 2028]);
  for (const year of plan.years) {
    const budget = shequ.compute({ ...sample, year }).budget;
    const row = plan.by_year.find((y) => y.year === year);
    assert.equal(row?.overall, budget.totals.overall, `${year}`);
    assert.deepEqual(row?.by_payer, budget.totals.by_payer);
  }
  // Seniority steps up: each year costs more than the one before.
  const totals = plan.by_year.map((y) => BigInt(y.overall.replace(".", "")));
  assert.ok(totals[1] > totals[0] && totals[2] > totals[1]);
  assert.ok((plan.changes ?? []).every((c) => c.year > 2026 && typeof c.change === "string"));
  // Any year's full budget explains itself.
  const b2027 = plan.budget(2027);
  assert.equal(b2027.totals.overall, plan.by_year[1].overall);
  assert.ok(b2027.items.length > 0);
});

test("a sweep compares a dated reform with the baseline", () => {
  const request = {
    policy: "jilin-2011-13",
    years: [2026, 2027],
    communities: [{ id: "C1", households: 2750, rating: "ordinary", district: "船营区" }],
    assumptions: { households: [{ percent: "2" }] },
    scenarios: [{ name: "reform", overrides: [["work_funds.rate", "2000 from 2027-07-01"]] }],
  };
  const sweep = shequ.plan(request);
  assert.deepEqual(sweep.scenarios, ["baseline", "reform"]);
  const reform2027 = sweep.by_year.find((y) => y.scenario === "reform" && y.year === 2027);
  // 2805 households: 2805 × 15 × 6/12 + 2805 × 20 × 6/12 = 21037.50 + 28050
  assert.equal(reform2027?.overall, "49087.50");
  const up = (sweep.diff ?? []).filter((d) => d.year === 2027).map((d) => [d.payer, d.change]);
  assert.deepEqual(up, [["city", "3506.25"], ["district", "3506.25"]]);
  const budget = sweep.budget(2027, "reform");
  assert.equal(budget.totals.overall, "49087.50");
  assert.equal(budget.items[0].calc.type, "prorated");
  assert.ok(budget.warnings.some((w) => w.code === "assumed_households"));
});

test("plans refuse years out of order, by code", () => {
  try {
    shequ.plan({ policy: "jilin-2011-13", years: [2027, 2026], communities: [] });
    assert.fail("did not throw");
  } catch (e) {
    assert.ok(shequ.isShequError(e));
    assert.equal(e.code, "out_of_range");
    assert.equal(e.field, "years");
  }
});

test("the chart stacks each year's payers and writes the exact totals", () => {
  const city = { policy: "jilin-2011-13", communities: [{ id: "C1", households: 2750, rating: "ordinary" }] };
  const plan = shequ.plan({ ...city, years: [2026, 2027, 2028] });
  const svg = chartSvg(plan.by_year, { title: "plan <1>", payerName: (p) => p.toUpperCase() });
  assert.ok(svg.startsWith("<svg "), svg);
  assert.equal((svg.match(/class="bar"/g) ?? []).length, 6); // 3 years × 2 payers
  assert.ok(svg.includes(">41,250.00<"), svg);
  assert.ok(svg.includes("plan &#60;1&#62;"), "text is escaped");
  assert.ok(svg.includes("2026 CITY: 20,625.00"));
  // A sweep: scenarios side by side.
  const sweep = shequ.plan({ ...city, years: [2026, 2027], scenarios: [{ name: "x", overrides: { "work_funds.rate": "2000" } }] });
  const two = chartSvg(sweep.by_year);
  assert.equal((two.match(/class="bar"/g) ?? []).length, 8);
  assert.ok(two.includes('data-scenario="x"'));
  assert.equal(grouped("-1234567.50"), "-1,234,567.50");
});
