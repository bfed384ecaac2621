// The bureau's files in the form: an uploaded .xlsx or CSV (UTF-8, UTF-16
// or GBK, comma, tab or semicolon), or cells pasted from Excel (tab-
// separated), read by the package's one reader of files (`readTables`),
// and the column mapping it used shown under the table. What a header or
// a cell means is the package's; this file only hands the bytes over and
// draws what came back. app.js calls `importFile` and `drawMapping`.
// @ts-check

/** @typedef {import("./lib/types.js").Shequ} Shequ */
/** @typedef {import("./lib/types.js").FileTables} FileTables */
/** @typedef {import("./lib/types.js").Lang} Lang */
/** @typedef {import("./lib/types.js").PolicySpec} PolicySpec */
/** @typedef {import("./lib/types.js").Cell} Cell */
/** @typedef {"communities" | "people" | "adjustments"} TableName */

const TABLES = /** @type {const} */ (["communities", "people", "adjustments"]);

/** The words of this part of the form. */
const WORDS = {
  zh: {
    mapping: "列对应", ignored: "未读取", likely: (/** @type {string} */ c) => `可能是 ${c}`,
    read: (/** @type {string} */ name, /** @type {number} */ n) => `已读取 ${name}(${n} 行)`,
  },
  en: {
    mapping: "Columns read", ignored: "ignored", likely: (/** @type {string} */ c) => `likely ${c}`,
    read: (/** @type {string} */ name, /** @type {number} */ n) => `read ${name} (${n} rows)`,
  },
};

/** What the last file of each table was, to draw again in another language. @type {Partial<Record<TableName, {read: FileTables, name: string}>>} */
const last = {};

/**
 * Read a file (its bytes) given for `table`: the tables it holds, their
 * rows with the headers renamed to the package's columns. A workbook given
 * for the communities also gives the people and adjustments it holds.
 * @param {Shequ} api
 * @param {Uint8Array} bytes
 * @param {{table: TableName, name: string, policy: PolicySpec}} how
 * @returns {Partial<Record<TableName, Record<string, Cell>[]>>} the rows of each table read
 */
export function importFile(api, bytes, how) {
  const read = api.readTables(bytes, { table: how.table, name: how.name, policy: how.policy, tidy: true });
  /** @type {Partial<Record<TableName, Record<string, Cell>[]>>} */
  const out = {};
  for (const t of TABLES) {
    const found = read.tables[t];
    if (!found || (t !== how.table && how.table !== "communities")) continue;
    out[t] = found.rows;
    last[t] = { read, name: how.name };
  }
  return out;
}

/**
 * Draw, under each table's CSV box, the mapping its last file was read
 * with: each header and the column it stands for, or that it was ignored;
 * and what the reader did (sheets read, rows skipped, the encoding).
 * @param {Lang} lang
 * @param {(column: string) => string} colName the form's name of a column
 */
export function drawMapping(lang, colName) {
  const w = WORDS[lang];
  for (const table of TABLES) {
    const box = mappingBox(table);
    if (!box) continue;
    const got = last[table];
    if (!got) {
      box.hidden = true;
      box.replaceChildren();
      continue;
    }
    const cols = got.read.columns.filter((c) => c.table === table);
    const found = got.read.tables[table];
    const items = cols.map((c) => {
      const li = document.createElement("li");
      li.dataset.header = c.header;
      if (c.column) {
        li.dataset.column = c.column;
        li.textContent = `${c.header} → ${colName(c.column)} (${c.column})`;
      } else {
        li.className = "ignored";
        li.textContent = `${c.header}: ${w.ignored}${c.suggestion ? ` (${w.likely(colName(c.suggestion))})` : ""}`;
      }
      return li;
    });
    const head = document.createElement("div");
    head.textContent = `${w.mapping} · ${w.read(found ? `${got.name} [${found.sheet}]` : got.name, found?.rows.length ?? 0)}`;
    const list = document.createElement("ul");
    list.append(...items);
    const notes = document.createElement("ul");
    notes.className = "reader-notes";
    // This table's sheet's notes (and the file's encoding), not the other sheets'.
    const own = (/** @type {import("./lib/types.js").Note} */ n) => n.code === "text_encoding" || (found !== undefined && n.zh.includes(`“${found.sheet}”`));
    for (const n of got.read.notes.filter((n) => n.code !== "sheet_read" && own(n))) {
      const li = document.createElement("li");
      li.dataset.code = n.code;
      li.textContent = lang === "zh" ? n.zh : n.en;
      notes.append(li);
    }
    box.replaceChildren(head, list, notes);
    box.hidden = false;
  }
}

/** Forget a table's file (it was replaced by typing or a sample). @param {TableName} table */
export function forget(table) {
  delete last[table];
}

/** The box under a table's CSV area for its mapping, made once. @param {TableName} table */
function mappingBox(table) {
  const id = `${table}-mapping`;
  let box = document.getElementById(id);
  if (box) return box;
  const anchor = document.getElementById(`${table}-csv`)?.closest("details");
  if (!anchor) return null;
  box = document.createElement("div");
  box.id = id;
  box.className = "mapping muted";
  box.hidden = true;
  box.setAttribute("aria-live", "polite");
  anchor.after(box);
  return box;
}
