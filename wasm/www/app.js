// The budget form. Everything it shows comes from the WASM package: policy
// choices from `policy()`, columns from `meta()`, every amount, clause,
// warning, note and error from `budget()`/`compliance()`. This file only
// keeps the form's state, builds the request and draws the answer; money is
// shown exactly as the strings the package returns.
// @ts-check
import { load } from "./lib/web.js";
import * as report from "./report.js";
import { drawMapping, forget, importFile } from "./sheets.js";
import { mountPlan } from "./plan.js";

/** @typedef {import("./lib/types.js").Shequ} Shequ */
/** @typedef {import("./lib/types.js").PolicyFile} PolicyFile */
/** @typedef {import("./lib/types.js").BudgetRequest} BudgetRequest */
/** @typedef {import("./lib/types.js").BudgetSummary} BudgetSummary */
/** @typedef {import("./lib/types.js").ShequError} ShequError */
/** @typedef {import("./lib/types.js").Lang} Lang */
/** @typedef {import("./lib/types.js").Cell} Cell */
/** @typedef {Record<string, Cell>} Row */
/** @typedef {"communities" | "people" | "adjustments"} TableName */
/** The form's tables, in the order they are drawn. @type {TableName[]} */
const TABLES = ["communities", "people", "adjustments"];

/** Notes and findings drawn at most (a big city has hundreds of
 * thousands); the items are drawn a page at a time (report.js). */
const PAGE = 200;

/** UI text. Amounts, rule names, clauses and notes come from the package. */
const TEXT = {
  zh: {
    title: "社区经费预算", subtitle: "按政策文件逐条计算,离线运行", setup: "政策与年度", policy: "政策", year: "年度",
    as_of: "截至日期(年内累计,可空)", ratings: "评级来源", ratings_auto: "自动(默认)", ratings_given: "按填写的评级", ratings_scores: "按评分和限额",
    adjustments: "调整项", adjustment_rule: "核定调整", adjustments_hint: "文件之外的增减(正数为增加,负数为减少),须写明理由;项目可空。",
    quota: "评级超限时", quota_error: "报错(默认)", quota_warn: "仅警告", sample: "示例数据", load: "载入", custom: "自定义政策(TOML)…",
    toml: "政策文件(TOML)", toml_file: "上传政策文件", parameters: "参数(文件未规定,由使用者填写)",
    communities: "社区", people: "人员", people_hint: "每人每个职务一行;在职(公职)人员请勾选。",
    add_row: "+ 添加一行", remove: "删除", csv: "粘贴(可直接从 Excel 复制)或上传 Excel/CSV", import: "用粘贴的内容替换本表", upload: "上传 Excel 或 CSV",
    budget: "预算", overall: "合计", yuan: "元", by_payer: "按出资方", by_rule: "按项目(条款)", items: "明细",
    payer: "出资方", rule: "项目", clause: "条款", amount: "金额(元)", community: "社区", person: "人员", months: "月数",
    shares: "分担", source: "依据", warnings: "警告", exclusions: "未支付或少支付的说明", compliance: "合规检查",
    quota_check: "评级限额检查", rating: "评级", count: "数量", cap: "上限", ok: "符合", over: "超出",
    severity: "类别", required: "要求", actual: "实际", none: "无",
    shown: (/** @type {number} */ n, /** @type {number} */ total) => `显示前 ${n} 项,共 ${total} 项`,
    all_shown: (/** @type {number} */ total) => `共 ${total} 项`,
    stale: "输入有误,下方为上一次有效的结果。", loading_failed: "无法加载计算模块:",
    footer: "shequ 社区 · 离线计算,数据不离开本机", stated: "文件规定", assumed: "本项目解读", override: "假设调整", input: "输入",
    record: (/** @type {string} */ kind, /** @type {string} */ where) => `${({ community: "社区", person: "人员", adjustment: "调整项", parameter: "参数", request: "请求" })[kind] ?? kind}${where}`,
    row: (/** @type {number} */ i) => `第 ${i} 行`,
    col: {
      id: "编号", name: "名称", district: "街道/区", households: "户数", rating: "评级", score: "评分", stars: "星级", grids: "网格数",
      office_area: "办公用房(㎡)", resident_facing_area: "服务用房(㎡)", service_centre_area: "服务中心(㎡)", flags: "标记",
      community: "社区编号", serving: "在职", post: "职务", start: "任职起", end: "任职止", income: "年收入(元)",
      rule: "项目", amount: "金额(元)", reason: "理由",
    },
  },
  en: {
    title: "Community budget", subtitle: "Computed clause by clause from the policy document, offline", setup: "Policy and year",
    policy: "Policy", year: "Year", quota: "Ratings over the quota", quota_error: "refuse (default)", quota_warn: "warn only",
    as_of: "As of (year to date; optional)", ratings: "Ratings from", ratings_auto: "automatic (default)", ratings_given: "the ratings given", ratings_scores: "scores and the quota",
    adjustments: "Adjustments", adjustment_rule: "adjustment", adjustments_hint: "Lines outside the document (positive adds, negative deducts), each with its reason; the item is optional.",
    sample: "Sample data", load: "Load", custom: "Custom policy (TOML)…", toml: "Policy file (TOML)", toml_file: "Upload a policy file",
    parameters: "Parameters (not given by the document; you supply them)",
    communities: "Communities", people: "People", people_hint: "One row per post held; tick serving for civil servants.",
    add_row: "+ Add a row", remove: "Remove", csv: "Paste (cells copied from Excel too) or upload Excel/CSV", import: "Replace this table with what is pasted", upload: "Upload Excel or CSV",
    budget: "Budget", overall: "Total", yuan: "yuan", by_payer: "By payer", by_rule: "By item (clause)", items: "Line items",
    payer: "Payer", rule: "Item", clause: "Clause", amount: "Amount (yuan)", community: "Community", person: "Person", months: "Months",
    shares: "Shares", source: "Basis", warnings: "Warnings", exclusions: "Not paid, or paid less: why", compliance: "Compliance",
    quota_check: "Rating quota check", rating: "Rating", count: "Count", cap: "Cap", ok: "within", over: "OVER",
    severity: "Kind", required: "Required", actual: "Actual", none: "none",
    shown: (/** @type {number} */ n, /** @type {number} */ total) => `showing the first ${n} of ${total} items`,
    all_shown: (/** @type {number} */ total) => `${total} items`,
    stale: "The input has an error; below is the last valid result.", loading_failed: "Could not load the calculator: ",
    footer: "shequ · computed offline, your data stays on this machine", stated: "stated", assumed: "assumed", override: "what-if", input: "input",
    record: (/** @type {string} */ kind, /** @type {string} */ where) => `${kind}${where}`,
    row: (/** @type {number} */ i) => ` row ${i}`,
    col: {
      id: "id", name: "name", district: "district", households: "households", rating: "rating", score: "score", stars: "stars", grids: "grids",
      office_area: "office m²", resident_facing_area: "service rooms m²", service_centre_area: "service centre m²", flags: "flags",
      community: "community", serving: "serving", post: "post", start: "start", end: "end", income: "income (yuan/yr)",
      rule: "item", amount: "amount (yuan)", reason: "reason",
    },
  },
};

const state = {
  /** @type {Lang} */
  lang: "zh",
  /** A built-in id, or "" for the custom TOML. */
  policyId: "",
  toml: "",
  year: String(new Date().getFullYear()),
  /** "" (the whole year) or an ISO date: count months up to it. */
  as_of: "",
  /** "" (the package's default) or "warn". */
  quota: "",
  /** "" (the package's default, `auto`), "given" or "scores". */
  ratings: "",
  /** @type {Record<string, string>} */
  parameters: {},
  /** @type {Row[]} */
  communities: [],
  /** @type {Row[]} */
  people: [],
  /** @type {Row[]} */
  adjustments: [],
  /** @type {PolicyFile | null} */
  policyFile: null,
};

/** For the tests and the curious: the last answer and how many were drawn. */
const probe = {
  /** @type {BudgetSummary | null} */
  summary: null,
  /** @type {ShequError | Error | null} */
  error: null,
  renders: 0,
  /** @type {Shequ | null} */
  api: null,
  /** @type {BudgetRequest | null} */
  request: null,
};

/** @type {Shequ} */
let api;
/** The multi-year plan below the budget (plan.js). @type {{ update(): void } | null} */
let plan = null;
/** @type {string[]} */
let communityColumns = [];
/** @type {string[]} */
let peopleColumns = [];
/** @type {string[]} */
let adjustmentColumns = [];
/** The columns the package reads, per table (`meta().columns`, read once). @type {import("./lib/types.js").Meta["columns"]} */
let knownColumns = { communities: [], people: [], adjustments: [] };

/** The columns drawn for a table. @param {TableName} table */
function columnsFor(table) {
  return table === "communities" ? communityColumns : table === "people" ? peopleColumns : adjustmentColumns;
}

/** Set the columns of a table: the package's own list, then any extra the rows have. @param {TableName} table */
function setColumns(table) {
  const known = knownColumns;
  const rows = state[table];
  if (table === "communities") communityColumns = columnsOf(known.communities, rows);
  else if (table === "people") peopleColumns = columnsOf(known.people, rows);
  else adjustmentColumns = columnsOf(known.adjustments, rows);
}

/** @param {string} id */
function $(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`no element #${id}`);
  return e;
}

/**
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs]
 * @param {(Node | string)[]} children
 */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "text") e.textContent = String(v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...children);
  return e;
}

function T() {
  return TEXT[state.lang];
}

/** @param {{zh: string, en: string}} x */
function label(x) {
  return state.lang === "zh" ? x.zh : x.en;
}

/** @param {string} key */
function colName(key) {
  return /** @type {Record<string, string>} */ (T().col)[key] ?? key;
}

// ---- setup ---------------------------------------------------------------

function drawLabels() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = `${T().title} · shequ`;
  for (const e of document.querySelectorAll("[data-t]")) {
    const key = /** @type {HTMLElement} */ (e).dataset.t ?? "";
    const v = /** @type {Record<string, unknown>} */ (T())[key];
    if (typeof v === "string") e.textContent = v;
  }
  report.drawLabels(form);
  $("lang-zh").setAttribute("aria-pressed", String(state.lang === "zh"));
  $("lang-en").setAttribute("aria-pressed", String(state.lang === "en"));
}

function drawPolicyChoices() {
  const select = /** @type {HTMLSelectElement} */ ($("policy"));
  select.replaceChildren(
    ...api.policies().map((p) => h("option", { value: p.id, text: `${state.lang === "zh" ? p.city_zh : p.city_en} — ${p.document}` })),
    h("option", { value: "", text: T().custom }),
  );
  select.value = state.policyId;
  const samples = /** @type {HTMLSelectElement} */ ($("sample"));
  const chosen = samples.value;
  samples.replaceChildren(...api.meta().samples.map((s) => h("option", { value: s, text: s })));
  if (chosen) samples.value = chosen;
}

function drawPolicyHead() {
  const f = state.policyFile;
  $("custom").hidden = state.policyId !== "";
  $("policy-title").textContent = f
    ? `${f.policy.document} ${state.lang === "zh" ? f.policy.title_zh : f.policy.title_en} (${f.policy.id} ${f.policy.version})`
    : "";
  const params = f?.parameters ?? [];
  const box = $("parameters");
  box.replaceChildren();
  if (params.length === 0) return;
  box.append(h("h3", { text: T().parameters }));
  const grid = h("div", { class: "grid" });
  for (const p of params) {
    const input = h("input", { id: `param-${p.id}`, type: "text", inputmode: "decimal", "data-param": p.id, value: state.parameters[p.id] ?? "" });
    grid.append(h("label", { title: `${p.clause} ${p.quote}` }, h("span", { text: `${label(p)} (${p.unit}) · ${p.clause}` }), input));
  }
  box.append(grid);
}

/** Read the chosen policy's file (posts, ratings, payers, rules). */
function loadPolicyFile() {
  try {
    state.policyFile = api.policy(state.policyId !== "" ? state.policyId : { toml: state.toml, origin: "policy.toml" });
  } catch (e) {
    // A custom text that does not read yet: keep the last good choices; the
    // budget below reports the error on the text field.
    if (state.policyId !== "") throw e;
  }
}

// ---- tables --------------------------------------------------------------

/**
 * The cell editor of one column.
 * @param {TableName} table @param {number} row @param {string} col @param {Cell} value
 */
function editor(table, row, col, value) {
  const data = { "data-table": table, "data-row": String(row), "data-col": col, "aria-label": `${colName(col)} ${row + 1}` };
  const text = value === null || value === undefined ? "" : String(value);
  const f = state.policyFile;
  if (table === "people" && col === "serving") {
    const on = value === true || ["true", "1", "yes", "是", "在职", "在職"].includes(text.trim().toLowerCase());
    return h("input", { ...data, type: "checkbox", checked: on });
  }
  if (table === "people" && (col === "start" || col === "end")) return h("input", { ...data, type: "date", value: text });
  /** @type {{id: string, zh: string, en: string}[] | null} */
  const choices =
    table === "people" && col === "post"
      ? f?.posts ?? null
      : table === "communities" && col === "rating" && f && f.ratings.length > 0
        ? f.ratings
        : table === "adjustments" && col === "rule"
          ? // Only rules that pay: an adjustment is split between payers as its rule is.
            f?.rules.filter((r) => r.split) ?? null
          : null;
  if (choices) {
    const options = [h("option", { value: "", text: "—" }), ...choices.map((c) => h("option", { value: c.id, text: label(c) }))];
    // A value the policy does not list (an alias, a typo) stays as typed, so
    // the package can read or refuse it.
    if (text !== "" && !choices.some((c) => c.id === text)) options.push(h("option", { value: text, text }));
    const s = /** @type {HTMLSelectElement} */ (h("select", data, ...options));
    s.value = text;
    return s;
  }
  const numeric = ["households", "score", "stars", "grids", "income", "amount"].includes(col) || col.endsWith("_area");
  return h("input", { ...data, type: "text", value: text, inputmode: numeric ? "decimal" : undefined, size: numeric ? "8" : col === "id" || col === "community" ? "8" : "12" });
}

/** @param {TableName} table */
function drawTable(table) {
  const rows = state[table];
  const cols = columnsFor(table);
  const head = h("tr", {}, h("th", { text: "#" }), ...cols.map((c) => h("th", { scope: "col", text: colName(c) })), h("th"));
  const body = rows.map((r, i) =>
    h(
      "tr",
      { "data-row": String(i) },
      h("td", { class: "n", text: String(i + 1) }),
      ...cols.map((c) => h("td", { "data-col": c }, editor(table, i, c, r[c] ?? null))),
      h("td", {}, h("button", { type: "button", class: "remove", "data-remove": table, "data-row": String(i), "aria-label": `${T().remove} ${i + 1}`, text: "×" })),
    ),
  );
  $(table).replaceChildren(h("thead", {}, head), h("tbody", {}, ...body));
}

function drawTables() {
  for (const table of TABLES) drawTable(table);
}

/** Columns: the package's own list, then any extra column the data has. */
function columnsOf(/** @type {string[]} */ known, /** @type {Row[]} */ rows) {
  const cols = [...known];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

// ---- the budget ----------------------------------------------------------

/** @returns {BudgetRequest} */
function request() {
  const year = Number(state.year.trim());
  /** @type {BudgetRequest} */
  const req = {
    policy: state.policyId !== "" ? state.policyId : { toml: state.toml, origin: "policy.toml" },
    // A year that is not a whole number goes to the package as it is, so
    // its refusal names the field.
    year: Number.isInteger(year) && state.year.trim() !== "" ? year : /** @type {number} */ (/** @type {unknown} */ (state.year)),
    communities: state.communities.map(clean),
    people: state.people.map(clean),
  };
  if (state.adjustments.length > 0) req.adjustments = /** @type {any} */ (state.adjustments.map(clean));
  if (state.as_of.trim() !== "") req.as_of = state.as_of.trim();
  if (state.quota === "warn") req.quota = "warn";
  if (state.ratings === "given" || state.ratings === "scores") req.ratings = state.ratings;
  // Only the parameters this policy declares (a value typed for another
  // policy stays in the form, but is not sent: the core refuses a
  // parameter the policy does not declare).
  const declared = new Set((state.policyFile?.parameters ?? []).map((p) => p.id));
  const params = Object.fromEntries(Object.entries(state.parameters).filter(([k, v]) => v.trim() !== "" && declared.has(k)));
  if (Object.keys(params).length > 0) req.parameters = params;
  return req;
}

/** Empty cells are absent, as in a CSV. @param {Row} r */
function clean(r) {
  /** @type {Record<string, Cell>} */
  const out = {};
  for (const [k, v] of Object.entries(r)) if (v !== null && v !== "") out[k] = v;
  return /** @type {any} */ (out);
}

let scheduled = false;
function recompute() {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    compute();
  }, 0);
}

function compute() {
  clearErrors();
  /** @type {import("./lib/types.js").BudgetView | null} */
  let view = null;
  let shown = false;
  try {
    probe.request = request();
    view = api.budget(probe.request);
    drawBudget(view);
    // report.js keeps it (pages, downloads) until the next one.
    shown = true;
    drawCompliance();
    plan?.update();
    probe.error = null;
    $("budget").classList.remove("stale");
    $("result").dataset.state = "ok";
  } catch (e) {
    showError(e);
  } finally {
    if (!shown) view?.free();
    settled();
  }
}

/** Tell the tests (and assistive tech, through aria-live) a turn is done. */
function settled() {
  probe.renders += 1;
  $("result").dataset.renders = String(probe.renders);
}

/** A finding's severity in the form's language. @param {string} severity */
function severityWord(severity) {
  /** @type {Record<string, string>} */
  const zh = { missing_data: "缺少数据", advice: "建议", shortfall: "不足", over_limit: "超限" };
  return state.lang === "zh" ? zh[severity] ?? severity : severity.replace("_", " ");
}

/** @param {string} payer */
function payerName(payer) {
  const p = state.policyFile?.payers.find((x) => x.id === payer);
  return p ? label(p) : payer;
}

/** @param {string} rule */
function ruleOf(rule) {
  return state.policyFile?.rules.find((r) => r.id === rule);
}

/** A rule's name; `adjustment` is the package's id for adjustment lines without a rule. @param {string} id */
function ruleName(id) {
  const rule = ruleOf(id);
  return rule ? label(rule) : id === "adjustment" ? T().adjustment_rule : id;
}

/** @param {string} id */
function personName(id) {
  const p = state.people.find((r) => String(r.id) === id);
  return p && p.name ? `${p.name} (${id})` : id;
}

/** @param {string} id */
function communityName(id) {
  const c = state.communities.find((r) => String(r.id) === id);
  return c && c.name ? `${c.name} (${id})` : id;
}

/** @param {import("./lib/types.js").BudgetView} view */
function drawBudget(view) {
  const s = view.summary;
  const t = T();
  probe.summary = s;
  const f = state.policyFile;
  $("print-title").textContent = f
    ? `${state.lang === "zh" ? f.policy.city_zh : f.policy.city_en} ${s.year} ${T().title} · ${f.policy.document}`
    : "";
  $("overall").textContent = report.money(s.totals.overall);
  $("overall").dataset.amount = s.totals.overall;
  $("by-payer").replaceChildren(
    h("tr", {}, h("th", { text: t.payer }), h("th", { class: "num", text: t.amount })),
    ...s.totals.by_payer.map(([p, a]) => h("tr", { "data-payer": p }, h("td", { text: payerName(p) }), h("td", { class: "money", "data-amount": a, text: report.money(a) }))),
  );
  $("by-rule").replaceChildren(
    h("tr", {}, h("th", { text: t.rule }), h("th", { text: t.clause }), h("th", { class: "num", text: t.amount })),
    ...s.totals.by_rule.map(([r, a]) => {
      const rule = ruleOf(r);
      return h("tr", { "data-rule": r }, h("td", { text: ruleName(r) }), h("td", { title: rule?.quote ?? "", text: rule?.clause ?? "" }), h("td", { class: "money", "data-amount": a, text: report.money(a) }));
    }),
  );
  const q = s.quota;
  $("quota-check").replaceChildren(
    ...(q
      ? [
          h("h3", { text: `${t.quota_check} (${q.clause})` }),
          h(
            "table",
            { class: "totals" },
            h("tr", {}, h("th", { text: t.rating }), h("th", { class: "num", text: t.count }), h("th", { class: "num", text: t.cap }), h("th")),
            ...q.caps.map((c) => {
              const r = state.policyFile?.ratings.find((x) => x.id === c.rating);
              return h("tr", { class: c.within ? "" : "over" }, h("td", { text: r ? label(r) : c.rating }), h("td", { class: "num", text: String(c.count) }), h("td", { class: "num", text: `${c.cap} (${c.percent}% × ${q.communities})` }), h("td", { text: c.within ? t.ok : t.over }));
            }),
          ),
        ]
      : []),
  );
  $("warnings").replaceChildren(...notes(t.warnings, s.warnings, "warning"));
  const exclusions = view.exclusions(0, PAGE);
  $("exclusions").replaceChildren(...notes(`${t.exclusions} (${s.exclusion_count})`, exclusions, "note"));

  report.show(view, form);
}

/** The heading row of the items table. */
function itemsHead() {
  const t = T();
  return h("tr", {}, ...[t.community, t.person, t.rule, t.clause, t.months, t.shares, t.amount].map((x, i) => h("th", { class: i >= 5 ? "num" : "", text: x })));
}

/**
 * One row of the items table: item `i` of `view`.
 * @param {import("./lib/types.js").Item} it @param {number} i @param {import("./lib/types.js").BudgetView} view
 */
function itemRow(it, i, view) {
  const t = T();
  const why = view.explainItem(i, state.lang) ?? "";
  const src = /** @type {Record<string, unknown>} */ (t)[it.provenance.source];
  return h(
    "tr",
    { "data-item": String(i), title: it.provenance.quote },
    h("td", { text: communityName(String(it.community)) }),
    h("td", { text: it.person === undefined ? "" : personName(String(it.person)) }),
    h("td", {}, h("div", { text: ruleName(it.rule) }), h("div", { class: "why", text: why })),
    h("td", { text: `${it.provenance.clause} · ${typeof src === "string" ? src : it.provenance.source}` }),
    h("td", { class: "num", text: it.months === undefined ? "" : String(it.months) }),
    h("td", { class: "num shares", text: it.shares.map((sh) => `${payerName(sh.payer)} ${report.money(sh.amount)}`).join(" / ") }),
    h("td", { class: "money", "data-amount": it.amount, text: report.money(it.amount) }),
  );
}

/** What the report side (report.js) reads of the form. @type {import("./report.js").Form} */
const form = {
  lang: () => state.lang,
  h,
  $,
  communities: () => state.communities,
  ruleName,
  title: () => (state.policyFile ? `${state.policyFile.policy.id}-${state.year}` : ""),
  head: itemsHead,
  drawRow: itemRow,
};

/**
 * @param {string} title
 * @param {import("./lib/types.js").Note[]} list
 * @param {string} cls
 */
function notes(title, list, cls) {
  if (list.length === 0) return [];
  return [
    h("h3", { text: title }),
    // The code is an id: shown in English, kept in data-code in Chinese.
    h("ul", { class: cls }, ...list.map((n) => h("li", { "data-code": n.code }, ...(state.lang === "en" ? [h("code", { text: n.code }), " "] : []), label(n), n.clause ? h("span", { class: "muted", text: ` (${n.clause})` }) : ""))),
  ];
}

function drawCompliance() {
  const box = $("compliance");
  const report = api.compliance(request());
  if (report.findings.length === 0 && (state.policyFile?.checks ?? []).length === 0) {
    box.replaceChildren();
    return;
  }
  const t = T();
  box.replaceChildren(
    h("h3", { text: `${t.compliance} (${report.findings.length})` }),
    report.findings.length === 0
      ? h("p", { class: "muted", text: t.none })
      : h(
          "ul",
          { class: "finding" },
          ...report.findings.slice(0, PAGE).map((f) =>
            h("li", { "data-check": f.check, class: f.severity }, h("code", { text: severityWord(f.severity) }), " ", label(f), h("span", { class: "muted", text: ` (${f.clause})` })),
          ),
        ),
  );
}

// ---- errors on the field -------------------------------------------------

function clearErrors() {
  for (const e of document.querySelectorAll(".invalid")) {
    e.classList.remove("invalid");
    e.removeAttribute("aria-invalid");
    e.removeAttribute("aria-describedby");
  }
  for (const e of document.querySelectorAll(".field-error")) e.remove();
  const banner = $("error");
  banner.hidden = true;
  banner.replaceChildren();
}

/** @param {unknown} e */
function showError(e) {
  const err = e instanceof Error ? e : new Error(String(e));
  probe.error = err;
  const t = T();
  const se = api.isShequError(err) ? err : null;
  // In Chinese, the package's own Chinese message (it names the record and
  // the field); in English, where and the message.
  const zh = state.lang === "zh" && se && se.zh ? se.zh : null;
  const where = se?.record ? t.record(se.record.kind, whereOf(se.record)) : "";
  const field = se?.field ? ` · ${colName(se.field)}` : "";
  const text = zh ?? `${where}${field}${where || field ? ": " : ""}${err.message}`;
  const banner = $("error");
  banner.hidden = false;
  banner.replaceChildren(h("strong", { text: se ? se.code : err.name }), " ", text, h("div", { class: "muted", text: t.stale }));
  $("budget").classList.add("stale");
  $("result").dataset.state = "error";
  const target = se ? fieldOf(se) : null;
  if (target) {
    target.classList.add("invalid");
    target.setAttribute("aria-invalid", "true");
    const msg = h("div", { class: "field-error", id: "field-error", role: "alert", text: zh ?? err.message });
    target.setAttribute("aria-describedby", "field-error");
    (target.closest("td, label") ?? target.parentElement ?? document.body).append(msg);
  }
}

/** @param {import("./lib/types.js").RecordRef} r */
function whereOf(r) {
  const parts = [];
  if (r.id) parts.push(` ${r.id}`);
  if (r.index !== null && r.index !== undefined) parts.push(` (${T().row(r.index + 1).trim()})`);
  return parts.join("");
}

/**
 * The form element an error is about, if the form has it.
 * @param {ShequError} e
 * @returns {HTMLElement | null}
 */
function fieldOf(e) {
  const r = e.record;
  /** @param {string} sel */
  const q = (sel) => /** @type {HTMLElement | null} */ (document.querySelector(sel));
  if (e.line !== undefined || e.code.startsWith("policy_")) return state.policyId === "" ? q("#toml") : q("#policy");
  if (r && (r.kind === "community" || r.kind === "person" || r.kind === "adjustment")) {
    /** @type {TableName} */
    const table = r.kind === "community" ? "communities" : r.kind === "person" ? "people" : "adjustments";
    let row = r.index ?? -1;
    if (row < 0 && r.id) row = state[table].findIndex((x) => String(x.id) === r.id);
    if (row < 0) return null;
    const cell = e.field ? q(`[data-table="${table}"][data-row="${row}"][data-col="${CSS.escape(e.field)}"]`) : null;
    return cell ?? q(`#${table} tr[data-row="${row}"]`);
  }
  // The year is read before anything else; one that is not a whole number
  // is refused as a bad request, without a field.
  if (e.code === "bad_request" && !Number.isInteger(Number(state.year.trim()))) return q("#year");
  if (r?.kind === "request" && e.field) return q(`#${CSS.escape(e.field)}`);
  if (e.field && (r?.kind === "parameter" || e.code === "missing_parameter")) return q(`#param-${CSS.escape(e.field)}`);
  return null;
}

// ---- events --------------------------------------------------------------

/**
 * Replace a table by a file's (an .xlsx or CSV upload, or pasted cells),
 * read by the package (sheets.js); a workbook given as the communities
 * fills the other tables it holds too.
 * @param {Uint8Array} bytes @param {string} name @param {TableName} table
 */
function importBytes(bytes, name, table) {
  clearErrors();
  try {
    const policy = state.policyId !== "" ? state.policyId : { toml: state.toml, origin: "policy.toml" };
    const read = importFile(api, bytes, { table, name, policy });
    for (const t of TABLES) {
      const rows = read[t];
      if (!rows) continue;
      state[t] = /** @type {Row[]} */ (rows);
      setColumns(t);
      drawTable(t);
    }
    drawMapping(state.lang, colName);
    compute();
  } catch (e) {
    showError(e);
    settled();
  }
}

function wire() {
  report.wire(form, showError);
  $("lang-zh").addEventListener("click", () => setLang("zh"));
  $("lang-en").addEventListener("click", () => setLang("en"));
  $("policy").addEventListener("change", (ev) => {
    state.policyId = /** @type {HTMLSelectElement} */ (ev.target).value;
    try {
      loadPolicyFile();
    } catch (e) {
      showError(e);
    }
    drawPolicyHead();
    drawTables();
    compute();
  });
  $("year").addEventListener("input", (ev) => {
    state.year = /** @type {HTMLInputElement} */ (ev.target).value;
    recompute();
  });
  $("as_of").addEventListener("input", (ev) => {
    state.as_of = /** @type {HTMLInputElement} */ (ev.target).value;
    recompute();
  });
  $("quota").addEventListener("change", (ev) => {
    state.quota = /** @type {HTMLSelectElement} */ (ev.target).value;
    recompute();
  });
  $("ratings").addEventListener("change", (ev) => {
    state.ratings = /** @type {HTMLSelectElement} */ (ev.target).value;
    recompute();
  });
  $("load-sample").addEventListener("click", () => loadSample(/** @type {HTMLSelectElement} */ ($("sample")).value));
  $("toml").addEventListener("input", (ev) => {
    state.toml = /** @type {HTMLTextAreaElement} */ (ev.target).value;
    loadPolicyFile();
    recompute();
  });
  $("toml-file").addEventListener("change", async (ev) => {
    const file = /** @type {HTMLInputElement} */ (ev.target).files?.[0];
    if (!file) return;
    state.toml = await file.text();
    /** @type {HTMLTextAreaElement} */ ($("toml")).value = state.toml;
    loadPolicyFile();
    drawPolicyHead();
    drawTables();
    compute();
  });
  $("parameters").addEventListener("input", (ev) => {
    const input = /** @type {HTMLInputElement} */ (ev.target);
    const id = input.dataset.param;
    if (id) {
      state.parameters[id] = input.value;
      recompute();
    }
  });
  for (const table of TABLES) {
    const onEdit = (/** @type {Event} */ ev) => {
      const input = /** @type {HTMLInputElement} */ (ev.target);
      const d = input.dataset;
      if (d.table !== table || d.row === undefined || d.col === undefined) return;
      const row = state[table][Number(d.row)];
      if (!row) return;
      row[d.col] = input.type === "checkbox" ? input.checked : input.value === "" ? null : input.value;
      recompute();
    };
    $(table).addEventListener("input", onEdit);
    $(table).addEventListener("change", onEdit);
    $(table).addEventListener("click", (ev) => {
      const b = /** @type {HTMLElement} */ (ev.target);
      if (b.dataset.remove !== table) return;
      state[table].splice(Number(b.dataset.row), 1);
      drawTable(table);
      compute();
    });
    $(`${table}-import`).addEventListener("click", () =>
      importBytes(new TextEncoder().encode(/** @type {HTMLTextAreaElement} */ ($(`${table}-csv`)).value), "CSV", table),
    );
    $(`${table}-file`).addEventListener("change", async (ev) => {
      const file = /** @type {HTMLInputElement} */ (ev.target).files?.[0];
      if (file) importBytes(new Uint8Array(await file.arrayBuffer()), file.name, table);
    });
  }
  $("add-community").addEventListener("click", () => {
    const n = state.communities.length + 1;
    state.communities.push({ id: `C${n}`, name: "", households: null });
    drawTable("communities");
    compute();
    focusCell("communities", n - 1, "households");
  });
  $("add-person").addEventListener("click", () => {
    const n = state.people.length + 1;
    const community = state.communities.at(-1)?.id ?? "";
    state.people.push({ id: `P${n}`, community: community === null ? "" : String(community), name: "", serving: false, post: state.policyFile?.posts[0]?.id ?? "", start: null });
    drawTable("people");
    compute();
    focusCell("people", n - 1, "start");
  });
  $("add-adjustment").addEventListener("click", () => {
    const n = state.adjustments.length + 1;
    const community = state.communities.at(-1)?.id ?? "";
    state.adjustments.push({ community: community === null ? "" : String(community), rule: null, amount: null, reason: "" });
    drawTable("adjustments");
    compute();
    focusCell("adjustments", n - 1, "amount");
  });
}

/** @param {TableName} table @param {number} row @param {string} col */
function focusCell(table, row, col) {
  /** @type {HTMLElement | null} */ (document.querySelector(`[data-table="${table}"][data-row="${row}"][data-col="${col}"]`))?.focus();
}

/** @param {Lang} lang */
function setLang(lang) {
  state.lang = lang;
  drawLabels();
  drawMapping(lang, colName);
  drawPolicyChoices();
  drawPolicyHead();
  drawTables();
  compute();
}

/** @param {string} id */
function loadSample(id) {
  clearErrors();
  try {
    const s = api.sample(id);
    state.policyId = s.policy;
    state.year = String(s.year);
    state.parameters = Object.fromEntries(Object.entries(s.parameters ?? {}).map(([k, v]) => [k, String(v)]));
    state.communities = /** @type {Row[]} */ (s.communities);
    state.people = /** @type {Row[]} */ (s.people);
    state.adjustments = /** @type {Row[]} */ (/** @type {unknown} */ (s.adjustments ?? []));
    // A sample is computed as its Rust example computes it: the whole year,
    // ratings from the package's default.
    state.as_of = "";
    state.ratings = "";
    for (const table of TABLES) {
      setColumns(table);
      forget(table);
    }
    drawMapping(state.lang, colName);
    /** @type {HTMLInputElement} */ ($("year")).value = state.year;
    /** @type {HTMLInputElement} */ ($("as_of")).value = "";
    /** @type {HTMLSelectElement} */ ($("ratings")).value = "";
    /** @type {HTMLSelectElement} */ ($("policy")).value = state.policyId;
    /** @type {HTMLSelectElement} */ ($("sample")).value = id;
    loadPolicyFile();
    drawPolicyHead();
    drawTables();
    compute();
  } catch (e) {
    showError(e);
    settled();
  }
}

async function main() {
  const status = $("status");
  try {
    api = await load();
  } catch (e) {
    status.textContent = `${T().loading_failed}${e instanceof Error ? e.message : String(e)}`;
    status.classList.add("error");
    return;
  }
  probe.api = api;
  /** @type {any} */ (window).shequForm = probe;
  const meta = api.meta();
  knownColumns = meta.columns;
  for (const table of TABLES) setColumns(table);
  state.policyId = api.policies()[0]?.id ?? "";
  $("version").textContent = `v${meta.version}`;
  /** @type {HTMLInputElement} */ ($("year")).value = state.year;
  drawLabels();
  drawPolicyChoices();
  loadPolicyFile();
  drawPolicyHead();
  drawTables();
  wire();
  plan = mountPlan({ api, request, lang: () => state.lang, payerName, ruleName, after: $("result") });
  compute();
  status.hidden = true;
  $("app").hidden = false;
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  // Never a blank page: whatever went wrong is written where it is seen.
  const status = document.getElementById("status");
  if (status) {
    status.hidden = false;
    status.classList.add("error");
    status.textContent = `${TEXT[state.lang].loading_failed}${e instanceof Error ? e.message : String(e)}`;
  }
});
