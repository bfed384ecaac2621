// The typed API over the raw wasm-bindgen exports: JSON text in and out
// becomes objects in and out. Nothing else happens here; every rule, default
// and check is in the Rust core. Shared by Node (index.js) and the browser
// (web.js).
// @ts-check

/** @typedef {import("./types.js").Shequ} Shequ */
/** @typedef {import("./types.js").ShequError} ShequError */

/**
 * Wrap the raw bindings.
 * @param {import("./types.js").RawBindings} raw
 * @returns {Shequ}
 */
export function makeApi(raw) {
  const encoder = new TextEncoder();
  const text = JSON.stringify;
  /** A request as UTF-8 JSON bytes (they cross into WASM faster than a string), its tables as columns. @param {unknown} request */
  const utf8 = (request) => encoder.encode(JSON.stringify(withColumns(request)));
  return {
    compute: (request) => JSON.parse(raw.computeJson(utf8(request))),
    budget(request) {
      const view = raw.computeView(utf8(request));
      return {
        summary: JSON.parse(view.summaryJson()),
        items: (offset, limit) => JSON.parse(view.itemsJson(offset, limit)),
        exclusions: (offset, limit) => JSON.parse(view.exclusionsJson(offset, limit)),
        explainItem: (index, lang) => view.explainItem(index, lang),
        explainCommunity: (community, lang) => view.explainCommunity(community, lang),
        free: () => view.free(),
      };
    },
    compliance: (request) => JSON.parse(raw.complianceJson(utf8(request))),
    explain: (request, community, lang) => raw.explainJson(utf8(request), community, lang),
    plan(request) {
      if (raw.planJson === undefined || raw.planBudgetJson === undefined) {
        throw new Error("plans are in the plan module: in a browser, `await loadPlans()` (shequ/web) gives an API with plan()");
      }
      const { planJson, planBudgetJson } = raw;
      // The budget request and the plan's own keys go apart (the core
      // reads each as it is; the first year is the budget request's year).
      const { years, assumptions, scenarios, ...rest } = request;
      const first = Array.isArray(years) ? years[0] : years?.from;
      const body = utf8({ ...rest, year: rest.year ?? first });
      const spec = encoder.encode(text({ years, assumptions, scenarios }));
      const answer = JSON.parse(planJson(body, spec));
      // One year's full budget (of one scenario), explained, on demand.
      answer.budget = (/** @type {number} */ year, /** @type {string | undefined} */ scenario) =>
        JSON.parse(planBudgetJson(body, spec, year, scenario)).budget;
      return answer;
    },
    policies: () => JSON.parse(raw.policiesJson()),
    policy: (spec) => JSON.parse(raw.policyJson(typeof spec === "string" ? spec : text(spec))),
    sample: (id) => JSON.parse(raw.sampleJson(id)),
    synthetic: (sample, communities, seed) => JSON.parse(raw.syntheticJson(sample, communities, seed)),
    csvToRows: (csv) => JSON.parse(raw.csvToJson(csv)),
    meta: () => JSON.parse(raw.metaJson()),
    isShequError,
  };
}

/**
 * Whether a thrown value is an error from shequ (a real `Error` with a code).
 * @param {unknown} e
 * @returns {e is ShequError}
 */
export function isShequError(e) {
  return e instanceof Error && e.name === "ShequError" && typeof (/** @type {{code?: unknown}} */ (e).code) === "string";
}

const TABLES = /** @type {const} */ (["communities", "people", "adjustments"]);

/**
 * The request with each table of plain row objects sent as columns
 * (`{rows, columns, missing}`, read by the core as the same rows: see
 * `shequ::ffi::record::table`). The JSON is half the size without a key per
 * cell, and quicker to write here and to read in WASM. A table that is not a
 * list of plain objects goes as it is, for the core to name what is wrong.
 * The caller's objects are not changed.
 * @param {unknown} request
 * @returns {unknown}
 */
export function withColumns(request) {
  if (request === null || typeof request !== "object" || Array.isArray(request)) return request;
  const req = /** @type {Record<string, unknown>} */ (request);
  /** @type {Record<string, unknown> | null} */
  let out = null;
  for (const table of TABLES) {
    const columns = asColumns(req[table]);
    if (columns !== null) {
      out ??= { ...req };
      out[table] = columns;
    }
  }
  return out ?? request;
}

/**
 * Rows as columns, or null when they are not all plain objects. As
 * `JSON.stringify` would write each row, a key whose value is undefined, a
 * function or a symbol is missing from that row.
 * @param {unknown} rows
 */
function asColumns(rows) {
  if (!Array.isArray(rows)) return null;
  const n = rows.length;
  /** @type {string[]} */
  const names = [];
  /** @type {unknown[][]} */
  const columns = [];
  /** How many rows set each column, and whether any to a value JSON leaves out. */
  const set = /** @type {number[]} */ ([]);
  const odd = /** @type {boolean[]} */ ([]);
  /** @type {Map<string, number>} */
  const byName = new Map();
  // Rows mostly share their keys and key order: the column of each key's
  // position in the row before is tried first.
  /** @type {number[]} */
  const lastColumns = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!isPlainObject(row)) return null;
    let position = 0;
    for (const key in row) {
      /** @type {number | undefined} */
      let c = lastColumns[position];
      if (c === undefined || names[c] !== key) {
        c = byName.get(key);
        if (c === undefined) {
          c = names.length;
          names.push(key);
          columns.push(new Array(n).fill(undefined));
          set.push(0);
          odd.push(false);
          byName.set(key, c);
        }
        lastColumns[position] = c;
      }
      const v = row[key];
      if (leftOut(v)) odd[c] = true;
      columns[c][r] = v;
      set[c]++;
      position++;
    }
  }
  /** @type {Record<string, unknown[]>} */
  const values = {};
  /** @type {Record<string, number[]>} */
  const missing = {};
  for (let c = 0; c < names.length; c++) {
    const column = columns[c];
    values[names[c]] = column;
    if (set[c] === n && !odd[c]) continue;
    /** @type {number[]} */
    const absent = [];
    for (let r = 0; r < n; r++) {
      if (leftOut(column[r])) absent.push(r);
    }
    missing[names[c]] = absent;
  }
  return { rows: n, columns: values, missing };
}

/**
 * Whether `JSON.stringify` leaves out an object's key with this value.
 * @param {unknown} v
 */
function leftOut(v) {
  const type = typeof v;
  return type === "undefined" || type === "function" || type === "symbol";
}

/**
 * An object literal's kind of object, with no `toJSON` of its own: its keys
 * in a `for…in` are the keys `JSON.stringify` writes.
 * @param {unknown} row
 * @returns {row is Record<string, unknown>}
 */
function isPlainObject(row) {
  if (row === null || typeof row !== "object") return false;
  const proto = Object.getPrototypeOf(row);
  return (proto === Object.prototype || proto === null) && typeof (/** @type {{toJSON?: unknown}} */ (row).toJSON) !== "function";
}
