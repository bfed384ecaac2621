// The form's multi-year plan: the budget request over a span of years, with
// households growing by a rate (an assumption), a year picker, and a chart
// of the totals by year and payer as inline SVG (no CDN, no library). Every
// amount comes from the package's `plan()` as an exact string; numbers are
// made from them only to draw bar heights. `chartSvg` draws the same chart
// as Python's `plan.plot()`: stacked totals by year and payer, scenarios
// side by side.
// @ts-check

/** @typedef {import("./lib/types.js").Shequ} Shequ */
/** @typedef {import("./lib/types.js").BudgetRequest} BudgetRequest */
/** @typedef {import("./lib/types.js").PlanRequest} PlanRequest */
/** @typedef {import("./lib/types.js").Plan} Plan */
/** @typedef {import("./lib/types.js").PlanYear} PlanYear */
/** @typedef {import("./lib/types.js").Lang} Lang */

/** The payers' colours, in the policy's order (the same as Python's plot). */
export const COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"];

const TEXT = {
  zh: {
    plan: "多年规划", open: "按年度测算(中期财政规划)", to: "至年度", growth: "户数年增长(%,可空)",
    year: "查看年度", overall: "合计", change: "较上年", payer: "出资方", rule: "项目", amount: "金额(元)",
    chart: "各年度合计(按出资方)", assumed: "户数为推定值(规划假设)", none: "—", yuan: "元",
  },
  en: {
    plan: "Multi-year plan", open: "Year by year (a rolling plan)", to: "To year", growth: "Households growth (% a year, optional)",
    year: "Show year", overall: "Total", change: "on the year before", payer: "Payer", rule: "Item", amount: "Amount (yuan)",
    chart: "Totals by year and payer", assumed: "households are assumed (a plan assumption)", none: "—", yuan: "yuan",
  },
};

/** Escape text for SVG markup. @param {string} s */
function esc(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An exact amount with thousands separators, from its string. @param {string} money */
export function grouped(money) {
  const negative = money.startsWith("-");
  const [whole, frac] = (negative ? money.slice(1) : money).split(".");
  const w = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${w}${frac === undefined ? "" : `.${frac}`}`;
}

/** A round step for an axis up to `max`. @param {number} max */
function step(max) {
  if (!(max > 0)) return 1;
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const n = raw / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}

/**
 * The chart: one stacked bar per year (and per scenario, side by side),
 * each payer a segment, the exact total above each bar, an axis and a
 * legend. `years` are the plan's (or sweep's) `by_year` rows.
 * @param {PlanYear[]} years
 * @param {{ payers?: string[], payerName?: (id: string) => string, title?: string, width?: number, height?: number }} [options]
 * @returns {string} SVG markup
 */
export function chartSvg(years, options = {}) {
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const name = options.payerName ?? ((/** @type {string} */ p) => p);
  // Payers that pay something in some year (a zero segment draws nothing).
  const payers = options.payers ?? [...new Set(years.flatMap((y) => y.by_payer.filter(([, a]) => Number(a) !== 0).map(([p]) => p)))];
  const scenarios = [...new Set(years.map((y) => y.scenario ?? ""))];
  const yearList = [...new Set(years.map((y) => y.year))];
  const top = options.title ? 28 : 12;
  const left = 72;
  const bottom = 44 + (scenarios.length > 1 ? 14 : 0);
  const legend = 18;
  const plotH = height - top - bottom - legend;
  const plotW = width - left - 12;
  const max = Math.max(0, ...years.map((y) => Number(y.overall)));
  const s = step(max);
  const ceiling = Math.max(s, Math.ceil(max / s) * s);
  const scale = (/** @type {number} */ v) => (v / ceiling) * plotH;
  const group = plotW / Math.max(1, yearList.length);
  const barW = Math.min(56, (group * 0.8) / scenarios.length);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title ?? "")}" font-family="sans-serif" font-size="11">`,
  ];
  if (options.title) parts.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">${esc(options.title)}</text>`);
  for (let v = 0; v <= ceiling + s / 2; v += s) {
    const y = top + plotH - scale(v);
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(grouped(String(Math.round(v))))}</text>`);
  }
  yearList.forEach((year, gi) => {
    const gx = left + gi * group + (group - barW * scenarios.length) / 2;
    scenarios.forEach((scenario, si) => {
      const row = years.find((y) => y.year === year && (y.scenario ?? "") === scenario);
      if (!row) return;
      const x = gx + si * barW;
      let base = top + plotH;
      payers.forEach((payer, pi) => {
        const amount = row.by_payer.find(([p]) => p === payer)?.[1];
        if (amount === undefined) return;
        const h = scale(Number(amount));
        base -= h;
        parts.push(
          `<rect class="bar" data-year="${year}" data-payer="${esc(payer)}"${scenario ? ` data-scenario="${esc(scenario)}"` : ""} x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${COLOURS[pi % COLOURS.length]}"><title>${esc(`${scenario ? `${scenario} ` : ""}${year} ${name(payer)}: ${grouped(amount)}`)}</title></rect>`,
        );
      });
      parts.push(`<text class="total" x="${(x + barW / 2 - 1).toFixed(1)}" y="${(base - 3).toFixed(1)}" text-anchor="middle" font-size="9">${esc(grouped(row.overall))}</text>`);
      if (scenarios.length > 1) {
        parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${top + plotH + 26}" text-anchor="middle" font-size="9" fill="#555">${esc(scenario)}</text>`);
      }
    });
    parts.push(`<text x="${(left + gi * group + group / 2).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${year}</text>`);
  });
  let lx = left;
  const ly = height - 8;
  payers.forEach((payer, pi) => {
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${COLOURS[pi % COLOURS.length]}"/>`);
    const label = name(payer);
    parts.push(`<text x="${lx + 14}" y="${ly}">${esc(label)}</text>`);
    lx += 24 + label.length * 9;
  });
  parts.push("</svg>");
  return parts.join("");
}

/**
 * The plan section of the form, drawn after the budget. It computes only
 * while open, with the module with plans (`loadPlans()`: fetched when the
 * section is first opened; the form's own module leaves plans out).
 * @param {{ api: Shequ, request: () => BudgetRequest, lang: () => Lang, payerName: (id: string) => string, ruleName: (id: string) => string, after: HTMLElement }} ctx
 */
export function mountPlan(ctx) {
  const section = document.createElement("section");
  section.id = "plan";
  section.innerHTML = `<details id="plan-open"><summary></summary>
    <div class="grid">
      <label><span data-p="to"></span> <input id="plan-to" type="text" inputmode="numeric" size="6"></label>
      <label><span data-p="growth"></span> <input id="plan-growth" type="text" inputmode="decimal" size="6"></label>
      <label><span data-p="year"></span> <select id="plan-year"></select></label>
    </div>
    <div id="plan-error" class="error" hidden></div>
    <div id="plan-chart" class="scroll"></div>
    <div id="plan-detail"></div>
  </details>`;
  ctx.after.after(section);
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (section.querySelector(`#${id}`));
  const open = /** @type {HTMLDetailsElement} */ ($("plan-open"));
  const to = /** @type {HTMLInputElement} */ ($("plan-to"));
  const growth = /** @type {HTMLInputElement} */ ($("plan-growth"));
  const picker = /** @type {HTMLSelectElement} */ ($("plan-year"));
  /** @type {Plan | null} */
  let last = null;
  /** The API with plans, once loaded. @type {Promise<Shequ> | null} */
  let plans = null;
  /** For the tests: the last plan and how many times it was drawn. */
  const probe = { plan: /** @type {Plan | null} */ (null), renders: 0, error: /** @type {unknown} */ (null) };
  /** @type {any} */ (window).shequPlan = probe;

  const T = () => TEXT[ctx.lang()];

  function labels() {
    /** @type {HTMLElement} */ (section.querySelector("summary")).textContent = `${T().plan} · ${T().open}`;
    for (const e of section.querySelectorAll("[data-p]")) {
      const key = /** @type {keyof typeof TEXT.zh} */ (/** @type {HTMLElement} */ (e).dataset.p);
      e.textContent = T()[key];
    }
  }

  /** The plan request of the form's budget request. @returns {PlanRequest} */
  function planRequest() {
    const req = ctx.request();
    const first = Number(req.year);
    const end = Number(to.value.trim() || first + 2);
    /** @type {PlanRequest} */
    const plan = { ...req, years: { from: first, to: Number.isInteger(end) ? end : first } };
    delete plan.year;
    const g = growth.value.trim();
    if (g !== "") plan.assumptions = { households: [{ percent: g }] };
    return plan;
  }

  function draw() {
    const plan = last;
    if (!plan) return;
    const t = T();
    const chosen = Number(picker.value);
    picker.replaceChildren(...plan.years.map((y) => Object.assign(document.createElement("option"), { value: String(y), textContent: String(y) })));
    picker.value = plan.years.includes(chosen) ? String(chosen) : String(plan.years[0]);
    $("plan-chart").innerHTML = chartSvg(plan.by_year, { payerName: ctx.payerName, title: t.chart });
    const year = Number(picker.value);
    const row = plan.by_year.find((y) => y.year === year);
    const before = plan.by_year.find((y) => y.year === year - 1);
    const detail = $("plan-detail");
    detail.replaceChildren();
    if (!row) return;
    const p = document.createElement("p");
    p.className = "overall";
    p.textContent = `${year} ${t.overall} ${grouped(row.overall)} ${t.yuan}`;
    p.dataset.overall = row.overall;
    detail.append(p);
    const table = document.createElement("table");
    table.className = "totals";
    table.innerHTML = `<tr><th>${esc(t.payer)} / ${esc(t.rule)}</th><th class="num">${esc(t.amount)}</th><th class="num">${esc(t.change)}</th></tr>`;
    const changes = plan.changes ?? [];
    /** @param {string} label @param {string} amount @param {string} change @param {string} key */
    const line = (label, amount, change, key) => {
      const tr = document.createElement("tr");
      tr.dataset.key = key;
      for (const [text, cls] of [[label, ""], [grouped(amount), "money"], [change, "money"]]) {
        const td = document.createElement("td");
        td.className = cls;
        td.textContent = text;
        tr.append(td);
      }
      table.append(tr);
    };
    const sumChange = (/** @type {(c: import("./lib/types.js").PlanChange) => boolean} */ keep) => {
      // Exact: in fen, as integers (BigInt), never floats.
      let fen = 0n;
      for (const c of changes) if (c.year === year && keep(c)) fen += BigInt(c.change.replace(".", ""));
      const neg = fen < 0n;
      const s = (neg ? -fen : fen).toString().padStart(3, "0");
      return `${neg ? "-" : "+"}${grouped(`${s.slice(0, -2)}.${s.slice(-2)}`)}`;
    };
    for (const [payer, amount] of row.by_payer) line(ctx.payerName(payer), amount, before ? sumChange((c) => c.payer === payer) : t.none, `payer:${payer}`);
    for (const [rule, amount] of row.by_rule) line(ctx.ruleName(rule), amount, before ? sumChange((c) => c.rule === rule) : t.none, `rule:${rule}`);
    detail.append(table);
    const assumed = plan.warnings.filter((w) => w.year === year && w.code === "assumed_households");
    if (assumed.length > 0) {
      const note = document.createElement("p");
      note.className = "muted";
      note.dataset.code = "assumed_households";
      note.textContent = ctx.lang() === "zh" ? assumed[0].zh : assumed[0].en;
      detail.append(note);
    }
  }

  async function update() {
    labels();
    if (!open.open) return;
    const error = $("plan-error");
    try {
      plans ??= import("./lib/web.js").then((web) => web.loadPlans());
      const api = await plans;
      last = api.plan(planRequest());
      probe.plan = last;
      probe.error = null;
      error.hidden = true;
      draw();
    } catch (e) {
      probe.error = e;
      error.hidden = false;
      error.textContent = `${ctx.api.isShequError(e) ? `${e.code}: ` : ""}${e instanceof Error ? e.message : String(e)}`;
    } finally {
      probe.renders += 1;
      section.dataset.renders = String(probe.renders);
    }
  }

  const run = () => void update();
  open.addEventListener("toggle", run);
  to.addEventListener("input", run);
  growth.addEventListener("input", run);
  picker.addEventListener("change", draw);
  labels();
  return { update: run };
}
