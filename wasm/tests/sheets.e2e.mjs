// The bureau's files in the form, in headless Chromium: an .xlsx workbook
// uploaded (Chinese headers, a merged title row, date cells), a GBK CSV
// uploaded and cells pasted from Excel (tab-separated) give the totals Rust
// computes for the same city typed cleanly; the form shows the column
// mapping it used. Fixtures from tests/fixtures.mjs.
//
// Run: node --test tests/sheets.e2e.mjs (after ./build.sh).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { OUT, WASM, rustTotals } from "./rust.mjs";
import { CLEAN, COMMUNITY_HEADERS, PEOPLE_HEADERS, bureauCommunities, bureauPeople, bureauWorkbook, delimited, gbk } from "./fixtures.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

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
  profile = mkdtempSync(join(tmpdir(), "shequ-chromium-sheets-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function renders() {
  return Number((await page.getAttribute("#result", "data-renders")) ?? "0");
}

/** Do something, then wait until the form has computed again. @param {() => Promise<unknown>} action */
async function andCompute(action) {
  const n = await renders();
  await action();
  await page.waitForFunction((k) => Number(document.querySelector("#result")?.getAttribute("data-renders")) > k, n);
  await page.waitForTimeout(50);
  return page.getAttribute("#result", "data-state");
}

async function shown() {
  return page.evaluate(() => {
    /** @param {string} sel @param {string} key */
    // Amounts are shown with thousands separators; each cell keeps the
    // package's own string in data-amount.
    const pairs = (sel, key) =>
      [...document.querySelectorAll(sel)].map((r) => [/** @type {HTMLElement} */ (r).dataset[key] ?? "", /** @type {HTMLElement | null} */ (r.querySelector(".money"))?.dataset.amount ?? ""]);
    return { overall: /** @type {HTMLElement | null} */ (document.querySelector("#overall"))?.dataset.amount ?? "", by_payer: pairs("#by-payer tr[data-payer]", "payer"), by_rule: pairs("#by-rule tr[data-rule]", "rule") };
  });
}

const CLEAN_REQUEST = { policy: "jilin-2011-13", year: 2026, quota: "warn", communities: CLEAN.communities, people: CLEAN.people };

/** @param {string} table */
async function openCsv(table) {
  await page.$eval(`#${table}-csv`, (e) => e.closest("details")?.setAttribute("open", ""));
}

test("an uploaded Excel workbook fills every table and gives the Rust totals", async () => {
  await andCompute(() => page.selectOption("#policy", "jilin-2011-13"));
  await page.fill("#year", "2026");
  await andCompute(() => page.selectOption("#quota", "warn"));
  const want = rustTotals(CLEAN_REQUEST, "sheets-clean");
  await openCsv("communities");
  const state = await andCompute(() =>
    page.setInputFiles("#communities-file", { name: "某市社区.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from(bureauWorkbook()) }),
  );
  assert.equal(state, "ok", (await page.textContent("#error")) ?? "");
  assert.equal(await page.$$eval("#communities tbody tr", (rs) => rs.length), 4);
  assert.equal(await page.$$eval("#people tbody tr", (rs) => rs.length), 4);
  const form = await shown();
  assert.equal(form.overall, want.overall);
  assert.deepEqual(form.by_payer, want.by_payer);
  assert.deepEqual(form.by_rule, want.by_rule);
  // The mapping used, under the table: each header and its column.
  const mapping = (await page.textContent("#communities-mapping")) ?? "";
  assert.match(mapping, /户数 → 户数 \(households\)/);
  assert.match(mapping, /社区编号 → 编号 \(id\)/);
  assert.match((await page.textContent("#people-mapping")) ?? "", /任职日期 → 任职起 \(start\)/);
  assert.match(mapping, /第 1 行/); // the title row skipped, said
  // Dates read from every form are shown as dates.
  assert.equal(await page.inputValue('[data-table="people"][data-row="1"][data-col="start"]'), "2019-03-01");
  await page.screenshot({ path: join(OUT, "sheets-xlsx.png"), fullPage: true });
  // In English too.
  await andCompute(() => page.click("#lang-en"));
  assert.match((await page.textContent("#communities-mapping")) ?? "", /户数 → households \(households\)/);
  await andCompute(() => page.click("#lang-zh"));
});

test("a GBK CSV uploaded and cells pasted from Excel give the Rust totals", async () => {
  const want = rustTotals(CLEAN_REQUEST, "sheets-clean");
  await openCsv("communities");
  const csv = gbk(delimited(COMMUNITY_HEADERS, bureauCommunities(), ","));
  assert.equal(await andCompute(() => page.setInputFiles("#communities-file", { name: "社区.csv", mimeType: "text/csv", buffer: Buffer.from(csv) })), "ok");
  assert.equal(await page.inputValue('[data-table="communities"][data-row="0"][data-col="name"]'), "胜利社区");
  assert.match((await page.textContent("#communities-mapping")) ?? "", /GB18030/);
  await openCsv("people");
  await page.fill("#people-csv", delimited(PEOPLE_HEADERS, bureauPeople(false), "\t"));
  assert.equal(await andCompute(() => page.click("#people-import")), "ok", (await page.textContent("#error")) ?? "");
  assert.equal(await page.$$eval("#people tbody tr", (rs) => rs.length), 4);
  const form = await shown();
  assert.equal(form.overall, want.overall);
  assert.deepEqual(form.by_rule, want.by_rule);
  await page.screenshot({ path: join(OUT, "sheets-gbk.png"), fullPage: true });
});

test("no script error on the page", () => {
  assert.deepEqual(pageErrors, []);
});
