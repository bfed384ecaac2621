// The form in real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): served from wasm/www on 127.0.0.1, filled by hand, with
// samples and with CSV; totals compared with what Rust computes for the same
// input; the language switched; bad values marked on their field; screenshots
// under tests/out/wasm/; and the time of a 10000-community budget measured
// (printed, not asserted).
//
// Run: node --test tests/browser.e2e.mjs (after ./build.sh).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { OUT, WASM, digest, rustSampleTotals, rustTotals } from "./rust.mjs";
import { readFileSync } from "node:fs";
import shequ from "../js/index.js";

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
  profile = mkdtempSync(join(tmpdir(), "shequ-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
  });
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

/** How many times the form has drawn a budget or an error. */
async function renders() {
  return Number((await page.getAttribute("#result", "data-renders")) ?? "0");
}

/**
 * Do something, then wait until the form has computed again; returns
 * "ok" or "error".
 * @param {() => Promise<unknown>} action
 */
async function andCompute(action) {
  const before = await renders();
  await action();
  await page.waitForFunction((n) => Number(document.querySelector("#result")?.getAttribute("data-renders")) > n, before);
  // Typing fires one computation per key; let the last one land.
  await page.waitForTimeout(50);
  return page.getAttribute("#result", "data-state");
}

/** What the form shows: the overall total and the table by payer and by rule. */
async function shown() {
  return page.evaluate(() => {
    /** @param {string} sel @param {string} key */
    // Amounts are shown with thousands separators; each cell keeps the
    // package's own string in data-amount.
    const pairs = (sel, key) =>
      [...document.querySelectorAll(sel)].map((r) => [/** @type {HTMLElement} */ (r).dataset[key] ?? "", /** @type {HTMLElement | null} */ (r.querySelector(".money"))?.dataset.amount ?? ""]);
    return {
      overall: /** @type {HTMLElement | null} */ (document.querySelector("#overall"))?.dataset.amount ?? "",
      by_payer: pairs("#by-payer tr[data-payer]", "payer"),
      by_rule: pairs("#by-rule tr[data-rule]", "rule"),
    };
  });
}

/** The request the form computed last, as the page built it. */
async function formRequest() {
  return page.evaluate(() => /** @type {any} */ (window).shequForm.request);
}

/** @param {string} name @param {boolean} [fullPage] */
async function screenshot(name, fullPage = false) {
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Open the CSV box under a table. @param {string} table */
async function openCsv(table) {
  await page.$eval(`#${table}-csv`, (e) => e.closest("details")?.setAttribute("open", ""));
}

/** @param {string} table @param {number} row @param {string} col */
const cell = (table, row, col) => `[data-table="${table}"][data-row="${row}"][data-col="${col}"]`;

test("the form lists every built-in policy", async () => {
  const listed = await page.$$eval("#policy option", (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value).filter(Boolean));
  const builtIn = await page.evaluate(() => /** @type {any} */ (window).shequForm.api.policies().map((/** @type {any} */ p) => p.id));
  assert.deepEqual(listed, builtIn);
  assert.ok(listed.length >= 2);
});

test("a city typed by hand gives the totals Rust gives for the same input", async () => {
  await andCompute(() => page.selectOption("#policy", "jilin-2011-13"));
  await page.fill("#year", "2026");
  await page.selectOption("#quota", "warn");
  for (let i = 0; i < 2; i++) await andCompute(() => page.click("#add-community"));
  await page.fill(cell("communities", 0, "name"), "北山社区");
  await page.fill(cell("communities", 0, "households"), "2750");
  await page.selectOption(cell("communities", 0, "rating"), "good");
  await page.fill(cell("communities", 1, "households"), "1200");
  await andCompute(() => page.selectOption(cell("communities", 1, "rating"), "ordinary"));
  await andCompute(() => page.click("#add-person"));
  await page.fill(cell("people", 0, "community"), "C1");
  await page.fill(cell("people", 0, "name"), "王芳");
  await page.selectOption(cell("people", 0, "post"), "director");
  await andCompute(() => page.fill(cell("people", 0, "start"), "2020-03-01"));
  await andCompute(() => page.click("#add-person"));
  await page.fill(cell("people", 1, "community"), "C2");
  await page.selectOption(cell("people", 1, "post"), "member");
  await page.fill(cell("people", 1, "start"), "2026-04-15");
  assert.equal(await andCompute(() => page.check(cell("people", 1, "serving"))), "ok");

  const request = await formRequest();
  assert.deepEqual(
    request.communities.map((/** @type {any} */ c) => [c.id, c.households, c.rating]),
    [["C1", "2750", "good"], ["C2", "1200", "ordinary"]],
  );
  assert.equal(request.people[1].serving, true);
  const rust = rustTotals(request, "typed-city");
  const form = await shown();
  assert.equal(form.overall, rust.overall);
  assert.deepEqual(form.by_payer, rust.by_payer);
  assert.deepEqual(form.by_rule, rust.by_rule);
  // 2750 households × 15.00 a year: the work funds line, with its clause.
  assert.equal(form.by_rule.find(([r]) => r === "work_funds")?.[1], "59250.00");
  assert.ok(await page.isVisible('#warnings li[data-code="quota_exceeded"]'), "the quota warning is shown");
  await screenshot("typed-city", true);
});

test("adjustments, a year-to-date date and the ratings source reach the budget as Rust computes it", async () => {
  await page.selectOption("#sample", "jilin");
  await andCompute(() => page.click("#load-sample"));
  await andCompute(() => page.selectOption("#quota", "warn"));
  const whole = await shown();
  await andCompute(() => page.fill("#as_of", "2026-06-30"));
  await andCompute(() => page.selectOption("#ratings", "given"));
  await andCompute(() => page.click("#add-adjustment"));
  // Only rules that pay are offered: an adjustment is split as its rule is.
  const offered = await page.$$eval(`${cell("adjustments", 0, "rule")} option`, (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
  assert.ok(offered.includes("work_funds") && offered.includes("graduates"), offered.join());
  assert.ok(!offered.includes("committee_size"), offered.join());
  await page.selectOption(cell("adjustments", 0, "rule"), "work_funds");
  await page.fill(cell("adjustments", 0, "reason"), "办公用房维修");
  await andCompute(() => page.fill(cell("adjustments", 0, "amount"), "1000.00"));
  // A second line without an item: booked as an adjustment of its own.
  await andCompute(() => page.click("#add-adjustment"));
  await page.fill(cell("adjustments", 1, "reason"), "扣减");
  const state = await andCompute(() => page.fill(cell("adjustments", 1, "amount"), "-200.00"));
  assert.equal(state, "ok", (await page.textContent("#error")) ?? "");

  const request = await formRequest();
  assert.equal(request.as_of, "2026-06-30");
  assert.equal(request.ratings, "given");
  const last = request.communities.at(-1).id;
  assert.deepEqual(request.adjustments, [
    { community: last, rule: "work_funds", amount: "1000.00", reason: "办公用房维修" },
    { community: last, amount: "-200.00", reason: "扣减" },
  ]);
  assert.equal(await page.textContent('#by-rule tr[data-rule="adjustment"] td'), "核定调整");
  const rust = rustTotals(request, "adjusted-city");
  const form = await shown();
  assert.equal(form.overall, rust.overall);
  assert.deepEqual(form.by_payer, rust.by_payer);
  assert.deepEqual(form.by_rule, rust.by_rule);
  assert.notEqual(form.overall, whole.overall, "half a year and an adjustment change the total");
  await screenshot("adjusted-city", true);

  // A bad amount is marked on its cell; a community not in the table on its.
  assert.equal(await andCompute(() => page.fill(cell("adjustments", 0, "amount"), "一千")), "error");
  assert.equal(await page.getAttribute(cell("adjustments", 0, "amount"), "aria-invalid"), "true");
  assert.match((await page.textContent("#error")) ?? "", /invalid_number/);
  await page.fill(cell("adjustments", 0, "amount"), "1000.00");
  assert.equal(await andCompute(() => page.fill(cell("adjustments", 0, "community"), "NOWHERE")), "error");
  assert.equal(await page.getAttribute(cell("adjustments", 0, "community"), "aria-invalid"), "true");
  assert.match((await page.textContent("#error")) ?? "", /unknown_community/);

  // Loading a sample again computes it as Rust's example does: the whole
  // year, no adjustments.
  await andCompute(() => page.click("#load-sample"));
  assert.equal(await page.inputValue("#as_of"), "");
  assert.equal(await page.inputValue("#ratings"), "");
  assert.equal(await page.$$eval("#adjustments tbody tr", (rs) => rs.length), 0);
  assert.equal(await andCompute(() => page.selectOption("#quota", "warn")), "ok");
  assert.deepEqual(await shown(), whole);
});

test("every bundled sample shows the totals of the Rust API", async () => {
  const rust = rustSampleTotals();
  const samples = await page.$$eval("#sample option", (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
  assert.deepEqual([...samples].sort(), Object.keys(rust).sort());
  for (const id of samples) {
    await page.selectOption("#sample", id);
    await andCompute(() => page.click("#load-sample"));
    const state = await andCompute(() => page.selectOption("#quota", "warn"));
    assert.equal(state, "ok", `${id}: ${await page.textContent("#error")}`);
    const form = await shown();
    assert.equal(form.overall, rust[id].overall, `${id} overall`);
    assert.deepEqual(form.by_payer, rust[id].by_payer, `${id} by payer`);
    assert.deepEqual(form.by_rule, rust[id].by_rule, `${id} by rule`);
    assert.equal(await page.$$eval("#communities tbody tr", (rs) => rs.length), (await formRequest()).communities.length);
  }
});

test("Chinese and English, with the same numbers", async () => {
  await page.selectOption("#sample", "jilin");
  await andCompute(() => page.click("#load-sample"));
  await andCompute(() => page.selectOption("#quota", "warn"));
  const zh = await shown();
  assert.equal(await page.textContent("h1"), "社区经费预算");
  assert.equal(await page.textContent('#by-payer tr[data-payer="city"] td'), "市财政");
  await screenshot("form-zh", true);

  await andCompute(() => page.click("#lang-en"));
  assert.equal(await page.textContent("h1"), "Community budget");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.textContent('#by-payer tr[data-payer="city"] td'), "city");
  assert.equal(await page.textContent('#by-rule tr[data-rule="work_funds"] td'), "community work funds");
  assert.match((await page.textContent("#items .why")) ?? "", /households/);
  assert.deepEqual(await shown(), zh, "the numbers do not change with the language");
  await screenshot("form-en", true);

  await andCompute(() => page.click("#lang-zh"));
  assert.equal(await page.textContent("h1"), "社区经费预算");
  assert.match((await page.textContent("#items .why")) ?? "", /户/);
});

test("a bad value is marked on its field with the message, never a blank page", async () => {
  await page.selectOption("#sample", "jilin");
  await andCompute(() => page.click("#load-sample"));
  await andCompute(() => page.selectOption("#quota", "warn"));
  const good = await shown();

  const households = cell("communities", 2, "households");
  assert.equal(await andCompute(() => page.fill(households, "-5")), "error");
  assert.equal(await page.getAttribute(households, "aria-invalid"), "true");
  assert.match((await page.getAttribute(households, "class")) ?? "", /invalid/);
  const message = (await page.textContent('#communities .field-error')) ?? "";
  assert.match(message, /户数为负数/);
  assert.match(message, /-5/);
  const banner = (await page.textContent("#error")) ?? "";
  assert.match(banner, /negative_households/);
  assert.match(banner, /C003/);
  assert.ok(await page.isVisible("#error"));
  // The last good budget stays on the page, greyed.
  assert.equal((await shown()).overall, good.overall);
  await page.locator(households).scrollIntoViewIfNeeded();
  await screenshot("form-error");

  assert.equal(await andCompute(() => page.fill(households, "2669")), "ok");
  assert.equal(await page.$$eval(".invalid", (es) => es.length), 0);
  assert.deepEqual(await shown(), good);

  const start = cell("people", 4, "start");
  await page.$eval(start, (e) => e.setAttribute("type", "text"));
  assert.equal(await andCompute(() => page.fill(start, "2024-02-30")), "error");
  assert.equal(await page.getAttribute(start, "aria-invalid"), "true");
  assert.match((await page.textContent("#people .field-error")) ?? "", /2024-02-30/);
  assert.equal(await andCompute(() => page.fill(start, "2024-02-29")), "ok");

  assert.equal(await andCompute(() => page.fill("#year", "二〇二六")), "error");
  assert.equal(await page.getAttribute("#year", "aria-invalid"), "true");
  assert.equal(await andCompute(() => page.fill("#year", "2026")), "ok");
});

test("CSV pasted in gives the Rust totals for the same rows", async () => {
  await andCompute(() => page.selectOption("#policy", "jilin-2011-13"));
  await page.selectOption("#quota", "warn");
  await openCsv("communities");
  await page.fill("#communities-csv", "id,name,households,rating\nA1,东山社区,3000,excellent\nA2,西山社区,1500,ordinary\nA3,南山社区,800,ordinary\n");
  await andCompute(() => page.click("#communities-import"));
  await openCsv("people");
  await page.fill("#people-csv", "id,community,name,serving,post,start,end\nQ1,A1,李娜,否,主任,2019-05-01,\nQ2,A2,张伟,在职,member,2021-01-01,2026-06-30\n");
  assert.equal(await andCompute(() => page.click("#people-import")), "ok");
  assert.equal(await page.$$eval("#communities tbody tr", (rs) => rs.length), 3);
  assert.equal(await page.$$eval("#people tbody tr", (rs) => rs.length), 2);
  await openCsv("adjustments");
  await page.fill("#adjustments-csv", "community,rule,amount,reason\nA2,work_funds,-300.50,少算一户\nA3,,800,临时补助\n");
  assert.equal(await andCompute(() => page.click("#adjustments-import")), "ok");
  assert.equal(await page.$$eval("#adjustments tbody tr", (rs) => rs.length), 2);
  const request = await formRequest();
  assert.equal(request.adjustments.length, 2);
  const rust = rustTotals(request, "csv-city");
  const form = await shown();
  assert.equal(form.overall, rust.overall);
  assert.deepEqual(form.by_payer, rust.by_payer);
  assert.deepEqual(form.by_rule, rust.by_rule);

  await page.fill("#communities-csv", 'id,households\n"A1,3000\n');
  await andCompute(() => page.click("#communities-import"));
  assert.match((await page.textContent("#error")) ?? "", /bad_request/);
});

test("a custom policy text computes, and its errors name the line", async () => {
  const toml = [
    "[policy]", 'id = "mini"', 'version = "1"', 'document = "测试〔2026〕1号"', 'title_zh = "测试"', 'title_en = "test"', 'city_zh = "测试市"', 'city_en = "Test"', 'source_file = "-"',
    "[[payers]]", 'id = "city"', 'zh = "市"', 'en = "city"',
    "[[posts]]", 'id = "p"', 'zh = "岗"', 'en = "post"',
    "[[rules]]", 'kind = "work_funds"', 'id = "wf"', 'zh = "经费"', 'en = "funds"', 'clause = "一"', 'quote = "每百户1500元"',
    'basis = { value = "proportional", source = "stated" }', 'households_per_unit = { value = 100, source = "stated" }',
    'rate = [{ from = 2020-01-01, value = "1500", source = "stated" }]', 'split = { value = { city = "100" }, source = "stated" }', "",
  ].join("\n");
  await page.fill("#communities-csv", "id,households\nC1,2750\n");
  await andCompute(() => page.click("#communities-import"));
  await page.fill("#people-csv", "id,community,post,start\n");
  await andCompute(() => page.click("#people-import"));
  // The tables stay when the policy changes: the adjustments left by the
  // test before name rules this policy has not, so they go too.
  await page.fill("#adjustments-csv", "community,rule,amount,reason\n");
  await andCompute(() => page.click("#adjustments-import"));
  await andCompute(() => page.selectOption("#policy", ""));
  assert.equal(await andCompute(() => page.fill("#toml", toml)), "ok", (await page.textContent("#error")) ?? "");
  assert.equal((await shown()).overall, "41250.00");
  assert.equal(await andCompute(() => page.fill("#toml", toml.replace('city = "100"', 'city = "90"'))), "error");
  assert.equal(await page.getAttribute("#toml", "aria-invalid"), "true");
  assert.match((await page.textContent("#error")) ?? "", /policy_split_sum/);
});

test("a 10000-community city computes in the browser (timed, not asserted)", async () => {
  const timing = await page.evaluate(() => {
    const api = /** @type {any} */ (window).shequForm.api;
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const sample of ["jilin", "jiayuguan"]) {
      const city = api.synthetic(sample, 10_000, 1);
      city.quota = "warn";
      const runs = [];
      let summary = null;
      // Twelve runs: the first compiles and grows memory, the next one or
      // two still run while the engine optimises the code; the best of the
      // other eleven is the warm time, with their median beside it (this
      // machine's timings are noisy).
      for (let i = 0; i < 12; i++) {
        const t0 = performance.now();
        const view = api.budget(city);
        runs.push(Math.round(performance.now() - t0));
        summary = view.summary;
        view.free();
      }
      out[sample] = { communities: city.communities.length, people_rows: city.people.length, items: summary.item_count, overall: summary.totals.overall, ms_first: runs[0], ms_warm: Math.min(...runs.slice(1)), ms_warm_median: runs.slice(1).sort((a, b) => a - b)[5] };
    }
    return out;
  });
  writeFileSync(join(OUT, "timing.json"), JSON.stringify(timing, null, 2));
  for (const [sample, t] of Object.entries(timing)) {
    const r = /** @type {any} */ (t);
    console.log(`# 10000-community ${sample}-shaped city (${r.people_rows} people rows, ${r.items} items) in Chromium: ${r.ms_first} ms first, ${r.ms_warm} ms warm (median ${r.ms_warm_median} ms)`);
    assert.match(r.overall, /^\d+\.\d{2}$/);
  }
});

test("the Excel report and the CSV download, every item pages, the charts and the print view", async () => {
  await page.selectOption("#sample", "jilin");
  await andCompute(() => page.click("#load-sample"));
  assert.equal(await andCompute(() => page.selectOption("#quota", "warn")), "ok");
  // Money with thousands separators, the exact amount beside it.
  assert.match((await page.textContent("#overall")) ?? "", /^\d{1,3}(,\d{3})+\.\d{2}$/);

  // The download is the workbook the package writes for the form's request:
  // the same bytes as Node's (and so as Rust's and Python's, report.test.mjs).
  const request = await formRequest();
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#download-xlsx")]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  const xlsxPath = join(OUT, "form-report.xlsx");
  await xlsx.saveAs(xlsxPath);
  const bytes = new Uint8Array(readFileSync(xlsxPath));
  assert.equal(digest(bytes), digest(shequ.reportXlsx(request, "zh")));
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  const csvPath = join(OUT, "form-items.csv");
  await csv.saveAs(csvPath);
  const text = readFileSync(csvPath, "utf8");
  assert.equal(text, shequ.reportCsv(request, "zh"));

  // Every item, a page at a time: 718 items, the last page ends with 717.
  const count = shequ.compute(request).budget.items.length;
  assert.ok(count > 200, String(count));
  const first = () => page.getAttribute("#items tr[data-item]", "data-item");
  const last = () => page.$$eval("#items tr[data-item]", (rs) => rs.at(-1)?.getAttribute("data-item"));
  assert.equal(await first(), "0");
  await page.click("#page-next");
  assert.equal(await first(), "200");
  assert.match((await page.textContent("#items-note")) ?? "", new RegExp(`第 201–400 项,共 ${count} 项`));
  await page.click("#page-last");
  assert.equal(await last(), String(count - 1));
  await page.click("#page-first");
  assert.equal(await first(), "0");

  // The charts: a bar per district and per rule, each with the package's amount.
  const byRule = await page.$$eval("#chart-rule g[data-amount]", (gs) => gs.map((g) => g.getAttribute("data-amount")));
  const summary = shequ.compute(request).budget.totals;
  assert.deepEqual(byRule, summary.by_rule.map(([, a]) => a));
  const districts = await page.$$eval("#chart-district g[data-amount]", (gs) => gs.length);
  assert.ok(districts >= 2, String(districts));
  await screenshot("form-report", true);

  // The print view: the budget alone, its title, no editors or buttons.
  await page.emulateMedia({ media: "print" });
  assert.ok(!(await page.isVisible("#setup")), "the set-up is not printed");
  assert.ok(!(await page.isVisible("#communities")), "the editors are not printed");
  assert.ok(!(await page.isVisible("#download-xlsx")), "no buttons on paper");
  assert.ok(await page.isVisible("#print-title"));
  assert.match((await page.textContent("#print-title")) ?? "", /吉林市 2026/);
  assert.ok(await page.isVisible("#items"));
  await screenshot("form-print", true);
  await page.emulateMedia({ media: "screen" });
  assert.ok(await page.isVisible("#setup"));
});

test("in the browser too, a trap throws one InternalError and the next call runs in a fresh instance", async () => {
  const r = await page.evaluate(async () => {
    const api = /** @type {any} */ (window).shequForm.api;
    const request = { policy: "jilin-2011-13", year: 2026, quota: "warn", communities: [{ id: "C1", households: 2750, rating: "ordinary" }] };
    const want = api.compute(request).budget.totals.overall;
    const codes = [];
    const answers = [];
    for (let i = 0; i < 20; i++) {
      try {
        api._trapForTests();
      } catch (e) {
        codes.push(/** @type {any} */ (e).code);
      }
      answers.push(api.compute(request).budget.totals.overall === want);
      // Spares are imported on the next turns of the event loop.
      await new Promise((done) => setTimeout(done, 20));
    }
    // Failing calls in the fresh instance: typed errors, then a budget.
    let typed = 0;
    for (let i = 0; i < 2000; i++) {
      try {
        api.compute({ ...request, communities: [{ id: "C1", households: -i - 1 }] });
      } catch (e) {
        if (api.isShequError(e)) typed++;
      }
    }
    return { codes, answers, restarts: api.restarts(), typed, last: api.compute(request).budget.totals.overall === want };
  });
  assert.equal(r.codes.length, 20);
  assert.ok(r.codes.every((/** @type {string} */ c) => c === "internal_error"), JSON.stringify(r.codes));
  assert.ok(r.answers.every(Boolean), JSON.stringify(r.answers));
  assert.equal(r.restarts, 20);
  assert.equal(r.typed, 2000);
  assert.equal(r.last, true);
});

test("no script error on the page", () => {
  assert.deepEqual(pageErrors, []);
});
