// A request's tables as typed columns in one buffer (the layout of
// `shequ::ffi::binary`): text, whole numbers and booleans go as they are
// stored, not as JSON to be written here and parsed again in WASM. For a
// city of 10 000 communities that is the difference between some 20 MB of
// JSON and a few MB of columns.
//
// Only what reads the same either way goes this way: tables that are lists
// of plain objects sharing their keys in one order, holding text, numbers,
// booleans and nulls. Anything else (a row missing a key, a person's `posts`
// list, a Date, a BigInt, text that is not well-formed Unicode) sends the
// whole request as JSON, where the core reads it and names what is wrong.
// A column of numbers that are not all safe integers, or of mixed kinds, goes
// as JSON inside the buffer, read as the JSON boundary reads a value.
// @ts-check

const TABLES = /** @type {const} */ (["communities", "people", "adjustments"]);
const TEXT = 0;
const NUMBERS = 1;
const BOOLEANS = 2;
const JSON_VALUES = 3;
const NULLS = 4;
const ASCII_TEXT = 5;

/** Float64Array writes in the platform's byte order; the layout is little-endian. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The request without its rows, and its tables as one buffer; or null when
 * the request must go as JSON (see above). The caller's objects are not
 * changed.
 * @param {unknown} request
 * @param {TextEncoder} encoder
 * @returns {{request: Record<string, unknown>, tables: Uint8Array} | null}
 */
export function typedColumns(request, encoder) {
  if (!littleEndian || request === null || typeof request !== "object" || Array.isArray(request)) return null;
  const req = /** @type {Record<string, unknown>} */ (request);
  if (!Array.isArray(req.communities)) return null;
  /** @type {Uint8Array[]} */
  const chunks = [ascii("SQT1"), u32(0)];
  const out = { ...req };
  let count = 0;
  for (let kind = 0; kind < TABLES.length; kind++) {
    const rows = req[TABLES[kind]];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) return null;
    const table = encodeTable(rows, kind, encoder);
    if (table === null) return null;
    chunks.push(...table);
    out[TABLES[kind]] = [];
    count++;
  }
  chunks[1] = u32(count);
  return { request: out, tables: concat(chunks) };
}

/**
 * One table's chunks, or null.
 * @param {unknown[]} rows
 * @param {number} kind
 * @param {TextEncoder} encoder
 * @returns {Uint8Array[] | null}
 */
function encodeTable(rows, kind, encoder) {
  const n = rows.length;
  /** @type {string[]} */
  const names = [];
  if (n > 0) {
    const first = rows[0];
    if (!isPlainObject(first)) return null;
    for (const key in first) {
      // A key that is not whole Unicode goes the JSON way, which refuses it.
      if (!key.isWellFormed()) return null;
      names.push(key);
    }
  }
  const width = names.length;
  // Every row a plain object with the first row's keys in that order, its
  // values dealt into columns (a for-in over rows of one shape is the
  // quickest read JS has).
  /** @type {unknown[][]} */
  const columns = names.map(() => new Array(n));
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    if (!isPlainObject(row)) return null;
    let c = 0;
    for (const key in row) {
      if (c >= width || names[c] !== key) return null;
      columns[c][r] = row[key];
      c++;
    }
    if (c !== width) return null;
  }
  const head = new Uint8Array(9);
  const view = new DataView(head.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, n, true);
  view.setUint32(5, width, true);
  /** @type {Uint8Array[]} */
  const chunks = [head];
  for (let c = 0; c < width; c++) {
    const column = encodeColumn(columns[c], encoder);
    if (column === null) return null;
    const name = encoder.encode(names[c]);
    chunks.push(u32(name.length), name, ...column);
  }
  return chunks;
}

/**
 * One column's type and payload, or null when the request must go as JSON.
 * @param {unknown[]} values
 * @param {TextEncoder} encoder
 * @returns {Uint8Array[] | null}
 */
function encodeColumn(values, encoder) {
  const n = values.length;
  const valid = new Uint8Array((n + 7) >> 3);
  let strings = 0;
  let wholes = 0;
  let booleans = 0;
  let others = 0;
  for (let r = 0; r < n; r++) {
    const v = values[r];
    if (v === null) continue;
    switch (typeof v) {
      case "string":
        strings++;
        break;
      case "number":
        if (Number.isSafeInteger(v)) wholes++;
        // A whole number past 2^53 − 1 goes the JSON way, as it did
        // before typed columns (its digits as JSON.stringify writes them).
        else if (Number.isInteger(v)) return null;
        else others++;
        break;
      case "boolean":
        booleans++;
        break;
      default:
        // undefined (a key JSON leaves out), objects, Dates, BigInts:
        // the JSON path decides what they mean.
        return null;
    }
    valid[r >> 3] |= 1 << (r & 7);
  }
  const set = strings + wholes + booleans + others;
  if (set === 0) return [new Uint8Array([NULLS])];
  if (strings === set) {
    const texts = new Array(n);
    for (let r = 0; r < n; r++) texts[r] = values[r] ?? "";
    const whole = texts.join("");
    if (!whole.isWellFormed()) return null;
    const bytes = encoder.encode(whole);
    if (bytes.length === whole.length) {
      // ASCII: a text's length is its bytes; the offsets go as they are.
      const offsets = new Uint32Array(n + 1);
      let at = 0;
      for (let r = 0; r < n; r++) {
        at += texts[r].length;
        offsets[r + 1] = at;
      }
      return [new Uint8Array([ASCII_TEXT]), u32(bytes.length), bytes, new Uint8Array(offsets.buffer), valid];
    }
    const joined = texts.join("\0") + (n > 0 ? "\0" : "");
    if (countNul(joined) === n) {
      const bytes = encoder.encode(joined);
      return [new Uint8Array([TEXT]), u32(bytes.length), bytes, valid];
    }
  } else if (wholes === set) {
    const numbers = new Float64Array(n);
    for (let r = 0; r < n; r++) numbers[r] = /** @type {number} */ (values[r] ?? 0);
    return [new Uint8Array([NUMBERS]), new Uint8Array(numbers.buffer), valid];
  } else if (booleans === set) {
    const bits = new Uint8Array((n + 7) >> 3);
    for (let r = 0; r < n; r++) if (values[r] === true) bits[r >> 3] |= 1 << (r & 7);
    return [new Uint8Array([BOOLEANS]), bits, valid];
  }
  if (strings > 0 && !values.every((v) => typeof v !== "string" || v.isWellFormed())) return null;
  const json = encoder.encode(JSON.stringify(values));
  return [new Uint8Array([JSON_VALUES]), u32(json.length), json];
}

/** @param {string} s */
function countNul(s) {
  let count = 0;
  for (let at = s.indexOf("\0"); at !== -1; at = s.indexOf("\0", at + 1)) count++;
  return count;
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isPlainObject(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** @param {number} n */
function u32(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** @param {string} s */
function ascii(s) {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** @param {Uint8Array[]} chunks */
function concat(chunks) {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
