// The typed API over the raw wasm-bindgen exports: JSON text in and out
// becomes objects in and out. Nothing else happens here; every rule, default
// and check is in the Rust core. Shared by Node (index.js) and the browser
// (web.js).
//
// What a JS value means as JSON is decided here, once: a `Date` is its local
// calendar day (`YYYY-MM-DD`), never its UTC instant; a `BigInt`, a string
// with a lone surrogate or an invalid `Date` in a table is a cell the core
// refuses by name (sent in the table's `unreadable`), and anywhere else a
// `bad_request` naming the key. Input never traps the WASM instance; if
// anything ever did, the call throws one `InternalError` (a `ShequError`
// with code `internal_error`) and the next call runs in a fresh instance.
// @ts-check

import { typedColumns } from "./columns.js";

/** @typedef {import("./types.js").Shequ} Shequ */
/** @typedef {import("./types.js").ShequError} ShequError */

/**
 * Wrap the raw bindings.
 * @param {import("./types.js").RawBindings} first the bindings of a live instance
 * @param {() => import("./types.js").RawBindings} [fresh] bindings of a new
 *   instance, called after a trap (without it, the broken instance stays)
 * @returns {Shequ}
 */
export function makeApi(first, fresh) {
  const encoder = new TextEncoder();
  let raw = first;
  let restarts = 0;
  /**
   * Run a call into WASM. A ShequError passes as it is; anything else
   * thrown from inside WASM (a trap: `WebAssembly.RuntimeError`, a stack
   * overflow) means the instance may be broken (its stack pointer, its
   * allocator): it is replaced, and the call throws one InternalError.
   * @template T
   * @param {(raw: import("./types.js").RawBindings) => T} call
   * @returns {T}
   */
  const guarded = (call) => {
    try {
      return call(raw);
    } catch (e) {
      if (isShequError(e)) throw e;
      if (fresh) {
        raw = fresh();
        restarts++;
      }
      throw internalError(e, fresh !== undefined);
    }
  };
  /** A request as UTF-8 JSON bytes (they cross into WASM faster than a string), its tables as columns. @param {unknown} request */
  const utf8 = (request) => encoder.encode(toJson(withColumns(request)));
  /** @param {string} text */
  const parse = (text) => JSON.parse(text);
  /** The reader of files, guarded like every call. @param {Uint8Array} bytes @param {string} options */
  const readTablesJson = (bytes, options) => guarded((r) => r.readTablesJson(bytes, options));
  /**
   * Run `f` on the request with its files read; an error about a row of a
   * file names the sheet and the row as the sheet shows them.
   * @template T @param {unknown} request @param {(request: unknown, files: import("./types.js").FilesRead | null) => T} f
   */
  const withRead = (request, f) => {
    const read = withFiles(readTablesJson, request);
    try {
      return f(read.request, read.files);
    } catch (e) {
      throw locate(e, read.origins);
    }
  };
  return {
    compute: (request) =>
      withRead(request, (request, files) => {
        const typed = typedColumns(request, encoder);
        let answer;
        if (typed) {
          const head = encoder.encode(toJson(typed.request));
          answer = parse(guarded((r) => r.computeJsonColumns(head, typed.tables)));
        } else {
          const bytes = utf8(request);
          answer = parse(guarded((r) => r.computeJson(bytes)));
        }
        if (files !== null) answer.files = files;
        return answer;
      }),
    budget(request) {
      const view = withRead(request, (request) => {
        const typed = typedColumns(request, encoder);
        if (typed) {
          const head = encoder.encode(toJson(typed.request));
          return guarded((r) => r.computeViewColumns(head, typed.tables));
        }
        const bytes = utf8(request);
        return guarded((r) => r.computeView(bytes));
      });
      // A view lives in the instance that made it; after a restart its
      // calls throw InternalError (the instance it points into is gone).
      return {
        summary: parse(guarded(() => view.summaryJson())),
        items: (offset, limit) => {
          const [o, n] = [count(offset, "offset"), count(limit, "limit")];
          return parse(guarded(() => view.itemsJson(o, n)));
        },
        exclusions: (offset, limit) => {
          const [o, n] = [count(offset, "offset"), count(limit, "limit")];
          return parse(guarded(() => view.exclusionsJson(o, n)));
        },
        explainItem: (index, lang) => {
          const [i, l] = [count(index, "index"), text(lang, "lang")];
          return guarded(() => view.explainItem(i, l));
        },
        explainCommunity: (community, lang) => {
          const [c, l] = [text(community, "community"), text(lang, "lang")];
          return guarded(() => view.explainCommunity(c, l));
        },
        explainPerson: (person, lang) => {
          const [p, l] = [text(person, "person"), text(lang, "lang")];
          return guarded(() => view.explainPerson(p, l));
        },
        reportXlsx: (lang) => {
          const l = text(lang, "lang");
          return guarded(() => view.reportXlsx(l));
        },
        reportCsv: (lang) => {
          const l = text(lang, "lang");
          return guarded(() => view.reportCsv(l));
        },
        free: () => guarded(() => view.free()),
      };
    },
    compliance: (request) => withRead(request, (request) => {
      const bytes = utf8(request);
      return parse(guarded((r) => r.complianceJson(bytes)));
    }),
    explain: (request, community, lang) => withRead(request, (request) => {
      const bytes = utf8(request);
      const [c, l] = [text(community, "community"), text(lang, "lang")];
      return guarded((r) => r.explainJson(bytes, c, l));
    }),
    explainPerson: (request, person, lang) => withRead(request, (request) => {
      const bytes = utf8(request);
      const [p, l] = [text(person, "person"), text(lang, "lang")];
      return guarded((r) => r.explainPersonJson(bytes, p, l));
    }),
    reportXlsx: (request, lang) => withRead(request, (request) => {
      const bytes = utf8(request);
      const l = text(lang, "lang");
      return guarded((r) => r.reportXlsx(bytes, l));
    }),
    reportCsv: (request, lang) => withRead(request, (request) => {
      const bytes = utf8(request);
      const l = text(lang, "lang");
      return guarded((r) => r.reportCsv(bytes, l));
    }),
    plan: (request) =>
      withRead(request, (request) => {
        if (raw.planJson === undefined || raw.planBudgetJson === undefined) {
          throw new Error("plans are in the plan module: in a browser, `await loadPlans()` (shequ/web) gives an API with plan()");
        }
        // The budget request and the plan's own keys go apart (the core
        // reads each as it is; the first year is the budget request's year).
        const { years, assumptions, scenarios, ...rest } = /** @type {any} */ (request);
        const first = Array.isArray(years) ? years[0] : years?.from;
        const body = utf8({ ...rest, year: rest.year ?? first });
        const spec = encoder.encode(toJson({ years, assumptions, scenarios }));
        const answer = parse(guarded((r) => /** @type {NonNullable<typeof r.planJson>} */ (r.planJson)(body, spec)));
        // One year's full budget (of one scenario), explained, on demand.
        answer.budget = (/** @type {number} */ year, /** @type {string | undefined} */ scenario) =>
          parse(guarded((r) => /** @type {NonNullable<typeof r.planBudgetJson>} */ (r.planBudgetJson)(body, spec, year, scenario))).budget;
        return answer;
      }),
    policies: () => parse(guarded((r) => r.policiesJson())),
    policy: (spec) => {
      const s = typeof spec === "string" ? text(spec, "policy") : toJson(spec);
      return parse(guarded((r) => r.policyJson(s)));
    },
    sample: (id) => parse(guarded((r) => r.sampleJson(text(id, "sample")))),
    synthetic: (sample, communities, seed) => {
      const args = /** @type {const} */ ([text(sample, "sample"), count(communities, "communities"), count(seed, "seed")]);
      return parse(guarded((r) => r.syntheticJson(...args)));
    },
    csvToRows: (csv) => parse(guarded((r) => r.csvToJson(text(csv, "csv")))),
    readTables(file, options) {
      const f = fileOf(file);
      if (f === null) throw badRequest("file", "must be the file's bytes (a Uint8Array or ArrayBuffer), or {bytes, name}", "应为文件的字节(Uint8Array 或 ArrayBuffer),或 {bytes, name}");
      return parse(readTablesJson(f.bytes, toJson({ ...options, name: options?.name ?? f.name })));
    },
    meta: () => parse(guarded((r) => r.metaJson())),
    isShequError,
    restarts: () => restarts,
    _trapForTests: () => guarded((r) => r.trapForTests()),
  };
}

/**
 * The error of a call that trapped.
 * @param {unknown} cause
 * @param {boolean} restarted
 * @returns {ShequError}
 */
function internalError(cause, restarted) {
  const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const next = restarted ? "; the next call runs in a fresh instance" : "";
  const err = /** @type {ShequError} */ (new Error(`internal error in shequ (please report): the WebAssembly instance failed (${what})${next}`, { cause }));
  err.name = "ShequError";
  err.code = "internal_error";
  err.zh = `shequ 内部错误(请报告):WebAssembly 实例出错(${what})${restarted ? ";下一次调用将在新的实例中运行" : ""}`;
  return err;
}

/**
 * A ShequError thrown here, before the core sees the request (a value JSON
 * cannot carry outside a table).
 * @param {string} field
 * @param {string} message
 * @param {string} zh the message in Chinese
 * @returns {ShequError}
 */
function badRequest(field, message, zh) {
  const err = /** @type {ShequError} */ (new Error(`bad request: \`${field}\` ${message}`));
  err.name = "ShequError";
  err.code = "bad_request";
  err.zh = `请求有误:\`${field}\` ${zh}`;
  err.field = field;
  return err;
}

/**
 * A string argument that must cross into WASM as text.
 * @param {unknown} v
 * @param {string} name
 */
function text(v, name) {
  if (typeof v !== "string") throw badRequest(name, `must be a string, got ${typeof v}`, "应为文本");
  if (!wellFormed(v)) throw badRequest(name, "holds a lone surrogate (not valid Unicode)", "含有不成对的代理字符(不是有效的统一码文本)");
  return v;
}

/**
 * A whole-number argument that crosses into WASM as a u32.
 * @param {unknown} v
 * @param {string} name
 */
function count(v, name) {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw badRequest(name, `must be a whole number from 0 to 4294967295, got ${String(v)}`, "应为 0 至 4294967295 之间的整数");
  return v;
}

/** A lone surrogate (with the `u` flag a pair is one code point and never matches). */
const LONE = /[\uD800-\uDFFF]/u;
/** @param {string} s */
const wellFormed = (s) => !LONE.test(s);
/** @param {string} s */
const shown = (s) => s.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");

/** `YYYY-MM-DD` of a Date's local calendar day. @param {Date} d */
function localDay(d) {
  const y = d.getFullYear();
  const year = y >= 0 && y <= 9999 ? String(y).padStart(4, "0") : (y < 0 ? "-" : "+") + String(Math.abs(y)).padStart(6, "0");
  return `${year}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * What a table cell cannot be as JSON, or null when it can: a BigInt, a
 * string with a lone surrogate, an invalid Date.
 * @param {unknown} v
 * @returns {string | null}
 */
function unreadable(v) {
  switch (typeof v) {
    case "bigint":
      return `a BigInt (\`${v}n\`): give a Number or a string`;
    case "string":
      return wellFormed(v) ? null : `text \`${shown(v)}\` that is not valid Unicode (a lone surrogate)`;
    case "object":
      return v instanceof Date && Number.isNaN(v.getTime()) ? "an invalid Date" : null;
    default:
      return null;
  }
}

/**
 * JSON text of a request (anything JSON.stringify takes), with a Date as its
 * local calendar day; a BigInt or a lone surrogate outside a table's cells
 * is a bad_request naming its key. Tables already made columns here hold
 * only cells JSON carries as they are: they are written without a replacer
 * (a function call per cell would slow a large city down several times).
 * @param {unknown} value
 * @returns {string}
 */
function toJson(value) {
  const json = deep(() => write(value));
  if (json === null) throw badRequest("(request)", "is nested too deeply to write as JSON", "嵌套层数过多,无法写成 JSON");
  return /** @type {string} */ (json);
}

/**
 * `f()`, or null when it overflows the stack (JSON.stringify of a value
 * nested some thousands deep): a RangeError here is the input's, not a bug.
 * @template T
 * @param {() => T} f
 * @returns {T | null}
 */
function deep(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function write(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !TABLES.some((t) => SAFE.has(/** @type {any} */ (value)[t]))) {
    return JSON.stringify(value, replacer);
  }
  const parts = [];
  for (const [key, v] of Object.entries(value)) {
    const json = SAFE.has(v)
      ? JSON.stringify(v)
      : JSON.stringify(
          v,
          /** @this {any} @param {string} k @param {unknown} x */
          function (k, x) {
            // The value itself is keyed "" in its holder: name it by its key.
            return k === "" ? replacer.call({ [key]: this[k] }, key, x) : replacer.call(this, k, x);
          },
        );
    if (json !== undefined) parts.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * @this {any}
 * @param {string} key
 * @param {unknown} v
 */
function replacer(key, v) {
  const original = this[key];
  if (original instanceof Date) {
    if (Number.isNaN(original.getTime())) throw badRequest(key, "is an invalid Date", "是无效的日期对象");
    return localDay(original);
  }
  if (typeof v === "bigint") throw badRequest(key, `is a BigInt (${v}n): give a Number or a string`, "是大整数(BigInt),请改用数字或文本");
  if (typeof v === "string" && !wellFormed(v)) throw badRequest(key, "holds a lone surrogate (not valid Unicode)", "含有不成对的代理字符(不是有效的统一码文本)");
  if (!wellFormed(key)) throw badRequest(shown(key), "is a key that holds a lone surrogate", "这个键含有不成对的代理字符");
  return v;
}

/** Tables made columns by `withColumns`: every cell safe to write as it is. */
const SAFE = new WeakSet();

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
 * @param {(bytes: Uint8Array, options: string) => string} readTablesJson the core's reader
 * @param {unknown} request
 * @returns {{request: unknown, files: import("./types.js").FilesRead | null, origins: Record<string, {sheet: string, lines: number[]}>}}
 */
export function withFiles(readTablesJson, request) {
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
    const read = JSON.parse(readTablesJson(f.bytes, toJson({ policy: req.policy, table, name: f.name })));
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
  /** Per column, the cells JSON cannot carry: `[row, what]`. @type {([number, string][] | undefined)[]} */
  const bad = [];
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
      /** @type {unknown} */
      let v = row[key];
      if (v instanceof Date && !Number.isNaN(v.getTime())) v = localDay(v);
      else if (typeof v === "object" && v !== null && !(v instanceof Date)) {
        // A nested list or object (a person's posts): its Dates, BigInts and
        // strings as anywhere else outside a cell.
        const json = deep(() => JSON.stringify(v, replacer));
        if (json === null) {
          (bad[c] ??= []).push([r, "a list or an object nested too deeply"]);
          v = null;
        } else v = json === undefined ? undefined : JSON.parse(json);
      } else if (typeof v === "string" || typeof v === "bigint" || v instanceof Date) {
        const what = unreadable(v);
        if (what !== null) {
          (bad[c] ??= []).push([r, what]);
          v = null;
        }
      }
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
  /** @type {Record<string, [number, string][]>} */
  const cannot = {};
  let anyBad = false;
  for (let c = 0; c < names.length; c++) {
    const column = columns[c];
    values[names[c]] = column;
    const cells = bad[c];
    if (cells !== undefined) {
      cannot[names[c]] = cells;
      anyBad = true;
    }
    if (set[c] === n && !odd[c]) continue;
    /** @type {number[]} */
    const absent = [];
    for (let r = 0; r < n; r++) {
      if (leftOut(column[r])) absent.push(r);
    }
    missing[names[c]] = absent;
  }
  const table = anyBad ? { rows: n, columns: values, missing, unreadable: cannot } : { rows: n, columns: values, missing };
  SAFE.add(table);
  return table;
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
