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
  /**
   * Run `f` on the request with its files read; an error about a row of a
   * file names the sheet and the row as the sheet shows them.
   * @template T @param {unknown} request @param {(bytes: Uint8Array, files: import("./types.js").FilesRead | null) => T} f
   */
  const withRead = (request, f) => {
    const read = withFiles(raw, request);
    try {
      return f(utf8(read.request), read.files);
    } catch (e) {
      throw locate(e, read.origins);
    }
  };
  return {
    compute: (request) =>
      withRead(request, (bytes, files) => {
        const answer = JSON.parse(raw.computeJson(bytes));
        if (files !== null) answer.files = files;
        return answer;
      }),
    budget(request) {
      const view = withRead(request, (bytes) => raw.computeView(bytes));
      return {
        summary: JSON.parse(view.summaryJson()),
        items: (offset, limit) => JSON.parse(view.itemsJson(offset, limit)),
        exclusions: (offset, limit) => JSON.parse(view.exclusionsJson(offset, limit)),
        explainItem: (index, lang) => view.explainItem(index, lang),
        explainCommunity: (community, lang) => view.explainCommunity(community, lang),
        free: () => view.free(),
      };
    },
    compliance: (request) => withRead(request, (bytes) => JSON.parse(raw.complianceJson(bytes))),
    explain: (request, community, lang) => withRead(request, (bytes) => raw.explainJson(bytes, community, lang)),
    policies: () => JSON.parse(raw.policiesJson()),
    policy: (spec) => JSON.parse(raw.policyJson(typeof spec === "string" ? spec : text(spec))),
    sample: (id) => JSON.parse(raw.sampleJson(id)),
    synthetic: (sample, communities, seed) => JSON.parse(raw.syntheticJson(sample, communities, seed)),
    csvToRows: (csv) => JSON.parse(raw.csvToJson(csv)),
    readTables(file, options) {
      const f = fileOf(file);
      if (f === null) throw new TypeError("readTables: give the file's bytes (a Uint8Array or ArrayBuffer), or {bytes, name}");
      return JSON.parse(raw.readTablesJson(f.bytes, text({ ...options, name: options?.name ?? f.name })));
    },
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
 * A table given as a file: its bytes (`Uint8Array`, `ArrayBuffer`) or
 * `{bytes, name}`; null for anything else.
 * @param {unknown} t
 * @returns {{bytes: Uint8Array, name?: string} | null}
 */
export function fileOf(t) {
  if (t instanceof Uint8Array) return { bytes: t };
  if (t instanceof ArrayBuffer) return { bytes: new Uint8Array(t) };
  if (t !== null && typeof t === "object" && !Array.isArray(t)) {
    const f = /** @type {{bytes?: unknown, name?: unknown}} */ (t);
    if (f.bytes instanceof Uint8Array || f.bytes instanceof ArrayBuffer) {
      return { bytes: f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes), name: typeof f.name === "string" ? f.name : undefined };
    }
  }
  return null;
}

/**
 * The request with each table given as a file read by the core's reader of
 * the bureau's files (`readTablesJson`: .xlsx or delimited text, headers in
 * Chinese or English, by the request's policy): a workbook given as the
 * communities also gives the people and adjustments it holds when the
 * request has none. `files` is what the reader said (how each header was
 * read, rows skipped), or null when no table was a file.
 * `origins` gives, per table read from a file, its sheet and each row's
 * sheet row.
 * @param {import("./types.js").RawBindings} raw
 * @param {unknown} request
 * @returns {{request: unknown, files: import("./types.js").FilesRead | null, origins: Record<string, {sheet: string, lines: number[]}>}}
 */
export function withFiles(raw, request) {
  /** @type {Record<string, {sheet: string, lines: number[]}>} */
  const origins = {};
  if (request === null || typeof request !== "object" || Array.isArray(request)) return { request, files: null, origins };
  const req = /** @type {Record<string, unknown>} */ (request);
  /** @type {Record<string, unknown> | null} */
  let out = null;
  /** @type {import("./types.js").FilesRead} */
  const files = { columns: [], notes: [] };
  TABLES.forEach((table, k) => {
    const f = fileOf(req[table]);
    if (f === null) return;
    /** @type {import("./types.js").FileTables} */
    const read = JSON.parse(raw.readTablesJson(f.bytes, JSON.stringify({ policy: req.policy, table, name: f.name })));
    out ??= { ...req };
    const own = read.tables[table];
    out[table] = own?.rows ?? [];
    if (own) origins[table] = own;
    if (k === 0) {
      for (const other of TABLES.slice(1)) {
        const found = read.tables[other];
        if (req[other] === undefined && found) {
          out[other] = found.rows;
          origins[other] = found;
        }
      }
    }
    files.columns.push(...read.columns);
    files.notes.push(...read.notes);
  });
  return out === null ? { request, files: null, origins } : { request: out, files, origins };
}

/** The table of each kind of record. */
const TABLE_OF = /** @type {Record<string, string>} */ ({ community: "communities", person: "people", adjustment: "adjustments" });

/**
 * An error about a row of a table read from a file, with the sheet and its
 * row (`sheet`, `sheetRow`, and in the message, in English and Chinese).
 * @param {unknown} e
 * @param {Record<string, {sheet: string, lines: number[]}>} origins
 */
function locate(e, origins) {
  if (!isShequError(e) || !e.record || e.record.index === null || e.record.index === undefined) return e;
  const origin = origins[TABLE_OF[e.record.kind] ?? ""];
  const line = origin?.lines[e.record.index];
  if (!origin || line === undefined) return e;
  const err = /** @type {ShequError & {sheet?: string, sheetRow?: number}} */ (e);
  err.sheet = origin.sheet;
  err.sheetRow = line;
  err.message += ` (sheet \`${origin.sheet}\`, row ${line}; 工作表“${origin.sheet}”第 ${line} 行)`;
  return err;
}

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
