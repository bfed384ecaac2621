// The form's multi-year plan in headless Chromium (issue 19): opened below
// a loaded sample, it fetches the plan module, draws the chart as inline
// SVG (one stacked bar per year, a segment per payer that pays), picks a
// year, and its totals are what the JS API computes in Node; households
// growth changes them. Screenshot under tests/out/wasm/plan.png.
//
// Run: node --test tests/plan.e2e.mjs (after ./build.sh).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import shequ from "../js/index.js";
import { grouped } from "../www/plan.js";
import { serve } from "./server.mjs";
import { OUT, WASM } from "./rust.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** @type {Awaited<ReturnType<typeof serve>>} */
let server;
/** @type {import("playwright-core").BrowserContext} */
let context;
/** @type {import("playwright-core").Page} */
let page;
/** @type {string} */
let profile;
/** @type {string[]} */
const pageErrors = [];

before(async () => {
  server = await serve(join(WASM, "www"));
  profile = mkdtempSync(join(tmpdir(), "shequ-plan-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Do something, then wait until the plan has drawn again. @param {() => Promise<unknown>} action */
async function andPlan(action) {
  const n = Number((await page.getAttribute("#plan", "data-renders")) ?? "0");
  await action();
  await page.waitForFunction((k) => Number(document.querySelector("#plan")?.getAttribute("data-renders")) > k, n, { timeout: 30_000 });
}

test("the plan draws each year's totals as the JS API computes them", async () => {
  await page.selectOption("#sample", "jiayuguan");
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-state") === "ok");
  await andPlan(() => page.click("#plan-open summary"));
  await andPlan(() => page.fill("#plan-to", "2028"));
  const sample = shequ.sample("jiayuguan");
  const want = shequ.plan({ ...sample, quota: "warn", years: { from: sample.year, to: 2028 } });
  const years = want.years;
  assert.equal(await page.locator("#plan-chart svg rect.bar").count(), years.length); // one payer: the city
  const totals = await page.locator("#plan-chart svg text.total").allTextContents();
  assert.deepEqual(totals, want.by_year.map((y) => grouped(y.overall)));
  await page.selectOption("#plan-year", String(years[1]));
  assert.equal(await page.getAttribute("#plan-detail p.overall", "data-overall"), want.by_year[1].overall);
  // Households +3% a year: more work… none here (Jiayuguan pays people),
  // so the totals stay; the note says the households are assumed.
  await andPlan(() => page.fill("#plan-growth", "3"));
  await page.selectOption("#plan-year", String(years[1]));
  assert.equal(await page.locator('#plan-detail [data-code="assumed_households"]').count(), 1);
  await page.locator("#plan").screenshot({ path: join(OUT, "plan.png") });
  assert.deepEqual(pageErrors, []);
});

test("households growth changes a Jilin plan as it does in Node", async () => {
  await page.selectOption("#sample", "jilin");
  await page.click("#load-sample");
  await page.waitForFunction(() => document.querySelector("#result")?.getAttribute("data-state") === "ok");
  await andPlan(() => page.fill("#plan-growth", "2"));
  const sample = shequ.sample("jilin");
  const to = Number(await page.inputValue("#plan-to"));
  const want = shequ.plan({ ...sample, quota: "warn", years: { from: sample.year, to }, assumptions: { households: [{ percent: "2" }] } });
  await page.selectOption("#plan-year", String(want.years.at(-1)));
  assert.equal(await page.getAttribute("#plan-detail p.overall", "data-overall"), want.by_year.at(-1)?.overall);
  assert.equal(await page.locator("#plan-chart svg rect.bar").count(), want.years.length * 2); // city and district
  assert.deepEqual(pageErrors, []);
});
