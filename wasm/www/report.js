// The report side of the form: money with thousands separators, the line
// items a page at a time (every item of a large city, not the first 200),
// two small charts (totals by district and by rule, inline SVG), the
// downloads (the core's Excel report and CSV, the same bytes as every
// front-end's) and the print view (`@media print` in style.css). Every
// number comes from the WASM package; nothing is computed here but the
// layout of the charts.
// @ts-check

/** @typedef {import("./lib/types.js").BudgetView} BudgetView */
/** @typedef {import("./lib/types.js").Lang} Lang */

/** Items per page. */
export const PAGE = 200;

/** Words of the report side (the rest of the form's words are in app.js). */
const WORDS = {
  zh: {
    download_xlsx: "下载 Excel 报表", download_csv: "下载明细 CSV", print: "打印",
    by_district: "按街道/区合计(元)", by_rule: "按项目合计(元)", no_district: "(未填街道/区)",
    page: (/** @type {number} */ from, /** @type {number} */ to, /** @type {number} */ total) => `第 ${from}–${to} 项,共 ${total} 项`,
    prev: "上一页", next: "下一页", first: "首页", last: "末页",
    file: "社区经费预算",
  },
  en: {
    download_xlsx: "Download the Excel report", download_csv: "Download the items (CSV)", print: "Print",
    by_district: "Totals by district (yuan)", by_rule: "Totals by rule (yuan)", no_district: "(no district)",
    page: (/** @type {number} */ from, /** @type {number} */ to, /** @type {number} */ total) => `items ${from}–${to} of ${total}`,
    prev: "Previous", next: "Next", first: "First", last: "Last",
    file: "community-budget",
  },
};

/**
 * An amount as the package gives it (`"8548575.00"`), with thousands
 * separators (`"8,548,575.00"`); anything else as it is.
 * @param {string} amount
 */
export function money(amount) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  if (!m) return amount;
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3] ?? ""}`;
}

/**
 * What the report side needs of the form.
 * @typedef {{
 *   lang: () => Lang,
 *   h: (tag: string, attrs?: Record<string, string | boolean | undefined>, ...children: (Node | string)[]) => HTMLElement,
 *   $: (id: string) => HTMLElement,
 *   communities: () => Record<string, unknown>[],
 *   ruleName: (id: string) => string,
 *   title: () => string,
 *   drawRow: (item: import("./lib/types.js").Item, index: number, view: BudgetView) => HTMLElement,
 *   head: () => HTMLElement,
 * }} Form
 */

/** @type {{view: BudgetView | null, page: number, form: Form | null}} */
const current = { view: null, page: 0, form: null };

/** @param {Form} form */
function W(form) {
  return WORDS[form.lang()];
}

/**
 * Keep `view` as the budget shown (the one before is freed) and draw its
 * charts and the page of items shown before (the first page when the new
 * budget has fewer).
 * @param {BudgetView} view @param {Form} form
 */
export function show(view, form) {
  if (current.view && current.view !== view) current.view.free();
  current.view = view;
  current.form = form;
  const pages = Math.max(1, Math.ceil(view.summary.item_count / PAGE));
  if (current.page >= pages) current.page = 0;
  drawCharts(view, form);
  drawPage(form);
}

/** Show a page of items. @param {number} page */
export function goTo(page) {
  if (!current.view || !current.form) return;
  const pages = Math.max(1, Math.ceil(current.view.summary.item_count / PAGE));
  current.page = Math.min(Math.max(0, page), pages - 1);
  drawPage(current.form);
}

/** The page shown (for the tests). */
export function pageShown() {
  return current.page;
}

/** @param {Form} form */
function drawPage(form) {
  const view = current.view;
  if (!view) return;
  const { h, $ } = form;
  const w = W(form);
  const total = view.summary.item_count;
  const from = current.page * PAGE;
  const items = view.items(from, PAGE);
  $("items").replaceChildren(form.head(), ...items.map((it, k) => form.drawRow(it, from + k, view)));
  const pages = Math.max(1, Math.ceil(total / PAGE));
  $("items-note").textContent = total === 0 ? "" : w.page(from + 1, from + items.length, total);
  const nav = $("items-pages");
  nav.replaceChildren();
  nav.dataset.page = String(current.page);
  nav.dataset.pages = String(pages);
  if (pages <= 1) return;
  /** @param {string} id @param {string} text @param {number} to @param {boolean} off */
  const button = (id, text, to, off) => {
    const b = /** @type {HTMLButtonElement} */ (h("button", { type: "button", id, text, disabled: off }));
    b.addEventListener("click", () => goTo(to));
    return b;
  };
  const p = current.page;
  nav.append(
    button("page-first", w.first, 0, p === 0),
    button("page-prev", w.prev, p - 1, p === 0),
    h("span", { class: "muted", text: `${p + 1} / ${pages}` }),
    button("page-next", w.next, p + 1, p === pages - 1),
    button("page-last", w.last, pages - 1, p === pages - 1),
  );
}

/**
 * A horizontal bar chart as inline SVG: one bar per (label, amount),
 * amounts as the package gives them (decimal strings).
 * @param {string} title @param {[string, string][]} rows @param {string} id @param {Form} form
 */
function chart(title, rows, id, form) {
  const NS = "http://www.w3.org/2000/svg";
  const { h } = form;
  const box = h("figure", { class: "chart", id });
  box.append(h("figcaption", { text: title }));
  if (rows.length === 0) return box;
  const values = rows.map(([, a]) => Math.max(0, Number(a)));
  const max = Math.max(...values, 1);
  const bar = 18, gap = 6, labelW = 150, barW = 260, amountW = 110;
  const height = rows.length * (bar + gap) + gap;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${labelW + barW + amountW} ${height}`);
  svg.setAttribute("width", String(labelW + barW + amountW));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  /** @param {string} tag @param {Record<string, string | number>} attrs @param {string} [text] */
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  rows.forEach(([label, amount], i) => {
    const y = gap + i * (bar + gap);
    const wide = Math.round((values[i] / max) * barW);
    const g = el("g", { "data-label": label, "data-amount": amount });
    g.append(
      el("text", { x: labelW - 6, y: y + bar - 5, "text-anchor": "end", class: "label" }, label.length > 12 ? `${label.slice(0, 11)}…` : label),
      el("rect", { x: labelW, y, width: Math.max(wide, 1), height: bar, class: "bar" }),
      el("text", { x: labelW + wide + 4, y: y + bar - 5, class: "amount" }, money(amount)),
    );
    g.append(el("title", {}, `${label}: ${money(amount)}`));
    svg.append(g);
  });
  box.append(svg);
  return box;
}

/** @param {BudgetView} view @param {Form} form */
function drawCharts(view, form) {
  const w = W(form);
  const s = view.summary;
  // Communities by district, from the form's own rows (the package's
  // totals are by community id).
  /** @type {Map<string, string>} */
  const district = new Map();
  for (const r of form.communities()) district.set(String(r.id), r.district ? String(r.district) : w.no_district);
  /** @type {Map<string, bigint>} fen per district, exactly */
  const fen = new Map();
  for (const [c, a] of s.totals.by_community) {
    const d = district.get(String(c)) ?? w.no_district;
    fen.set(d, (fen.get(d) ?? 0n) + toFen(a));
  }
  const byDistrict = /** @type {[string, string][]} */ ([...fen].map(([d, f]) => [d, fromFen(f)]));
  const byRule = /** @type {[string, string][]} */ (s.totals.by_rule.map(([r, a]) => [form.ruleName(r), a]));
  form.$("charts").replaceChildren(chart(w.by_district, byDistrict, "chart-district", form), chart(w.by_rule, byRule, "chart-rule", form));
}

/** @param {string} amount */
function toFen(amount) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) return 0n;
  const f = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -f : f;
}

/** @param {bigint} f */
function fromFen(f) {
  const neg = f < 0n;
  const a = neg ? -f : f;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
}

/** Save bytes or text as a file. @param {BlobPart} data @param {string} type @param {string} name */
function save(data, type, name) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The download and print buttons. `onError` shows a failure as the form
 * shows any error.
 * @param {Form} form @param {(e: unknown) => void} onError
 */
export function wire(form, onError) {
  const w = () => W(form);
  form.$("download-xlsx").addEventListener("click", () => {
    if (!current.view) return;
    try {
      const bytes = current.view.reportXlsx(form.lang());
      save(/** @type {Uint8Array<ArrayBuffer>} */ (bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `${form.title() || w().file}.xlsx`);
    } catch (e) {
      onError(e);
    }
  });
  form.$("download-csv").addEventListener("click", () => {
    if (!current.view) return;
    try {
      save(current.view.reportCsv(form.lang()), "text/csv;charset=utf-8", `${form.title() || w().file}.csv`);
    } catch (e) {
      onError(e);
    }
  });
  form.$("print").addEventListener("click", () => window.print());
}

/** The words of the buttons, in the form's language. @param {Form} form */
export function drawLabels(form) {
  const w = W(form);
  form.$("download-xlsx").textContent = w.download_xlsx;
  form.$("download-csv").textContent = w.download_csv;
  form.$("print").textContent = w.print;
}
