// The bureau's files, written by the tests themselves: a minimal .xlsx
// (a zip of stored entries: the workbook, its sheets with inline strings,
// numbers and date cells, merged title cells) and GBK bytes (encoded with
// a table made by decoding every two-byte GBK code with TextDecoder, as
// Node and Chromium both can). Shared by the Node and Chromium tests of
// the file reader.
// @ts-check

/** CRC-32 (IEEE), as zip wants it. @param {Uint8Array} bytes */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/**
 * A zip archive of `files`, each stored (not compressed).
 * @param {[string, string][]} files name and UTF-8 text
 */
function zip(files) {
  const enc = new TextEncoder();
  /** @type {Uint8Array[]} */
  const parts = [];
  /** @type {Uint8Array[]} */
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const n = enc.encode(name);
    const data = enc.encode(text);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, n.length, true);
    parts.push(new Uint8Array(local.buffer), n, data);
    const c = new DataView(new ArrayBuffer(46));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, n.length, true);
    c.setUint32(42, offset, true);
    central.push(new Uint8Array(c.buffer), n);
    offset += 30 + n.length + data.length;
  }
  const size = central.reduce((s, p) => s + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** @param {string} s */
const xml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Column letters of 0-based column `k`. @param {number} k */
function letters(k) {
  let s = "";
  for (let n = k + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Days from 1899-12-30: Excel's serial day. @param {string} iso */
export function excelSerial(iso) {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/**
 * A cell of a sheet: text, a number, or a date cell (`{date: "YYYY-MM-DD"}`).
 * @typedef {string | number | {date: string} | null} XCell
 */

/**
 * An .xlsx workbook of `sheets`: each a name, rows of cells and merged
 * ranges (`"A1:E1"`).
 * @param {{name: string, rows: XCell[][], merge?: string[]}[]} sheets
 */
export function xlsx(sheets) {
  const sheetXml = sheets.map(({ rows, merge }) => {
    const body = rows
      .map((row, r) => {
        const cells = row
          .map((v, c) => {
            const ref = `${letters(c)}${r + 1}`;
            if (v === null || v === undefined) return "";
            if (typeof v === "number") return `<c r="${ref}"><v>${v}</v></c>`;
            if (typeof v === "object") return `<c r="${ref}" s="1"><v>${excelSerial(v.date)}</v></c>`;
            return `<c r="${ref}" t="inlineStr"><is><t>${xml(v)}</t></is></c>`;
          })
          .join("");
        return `<row r="${r + 1}">${cells}</row>`;
      })
      .join("");
    const merged = merge?.length ? `<mergeCells count="${merge.length}">${merge.map((m) => `<mergeCell ref="${m}"/>`).join("")}</mergeCells>` : "";
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData>${merged}</worksheet>`;
  });
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  return zip([
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets
        .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
        .join("")}</Types>`,
    ],
    ["_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets>${sheets
        .map((s, i) => `<sheet name="${xml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join("")}</sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
        .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
        .join("")}<Relationship Id="rId${sheets.length + 1}" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    ],
    [
      "xl/styles.xml",
      // Style 1: Excel's built-in date format 14, what a typed date gets.
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ],
    ...sheetXml.map((x, i) => /** @type {[string, string]} */ ([`xl/worksheets/sheet${i + 1}.xml`, x])),
  ]);
}

/** @type {Map<string, number> | null} */
let gbkTable = null;

/**
 * `text` in GBK, as Chinese Excel saves a CSV: ASCII as it is, every other
 * character by the two-byte code TextDecoder("gbk") reads as it.
 * @param {string} text
 */
export function gbk(text) {
  if (gbkTable === null) {
    gbkTable = new Map();
    const dec = new TextDecoder("gbk");
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, (a << 8) | b);
      }
    }
  }
  /** @type {number[]} */
  const out = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const g = gbkTable.get(ch);
    if (g === undefined) throw new Error(`no GBK code for ${ch}`);
    out.push(g >> 8, g & 0xff);
  }
  return new Uint8Array(out);
}

/** The test city typed cleanly, as the JSON boundary's rows. */
export const CLEAN = {
  communities: [
    { id: 101, name: "胜利社区", households: 2750, rating: "excellent" },
    { id: 102, name: "光明社区", households: 1200, rating: "good" },
    { id: 103, name: "新华社区", households: 900, rating: "ordinary" },
    { id: 104, name: "东风社区", households: 3100, rating: "ordinary" },
  ],
  people: [
    { id: "P1", community: 101, name: "王芳", post: "director", start: "2015-03-01", serving: false },
    { id: "P2", community: 101, name: "李强", post: "member", start: "2019-03-01", serving: false },
    { id: "P3", community: 102, name: "张伟", post: "director", start: "2018-07-15", serving: true },
    { id: "P4", community: 104, name: "刘洋", post: "member", start: "2024-02-29", serving: false },
  ],
};

const ZH_RATING = { excellent: "优秀", good: "良好", ordinary: "一般" };
const ZH_POST = { director: "居民委员会主任", member: "委员" };

/** The communities as the bureau writes them: `2,750`, full-width digits, ratings in Chinese. */
export function bureauCommunities() {
  return CLEAN.communities.map((c, k) => [
    c.id,
    c.name,
    k % 2 === 0 ? c.households.toLocaleString("en-US") : [...String(c.households)].map((d) => String.fromCharCode(0xff10 + Number(d))).join(""),
    ZH_RATING[/** @type {"excellent" | "good" | "ordinary"} */ (c.rating)],
  ]);
}

/** The people as the bureau writes them: posts in Chinese, dates every way, 是/否. @param {boolean} dateCells */
export function bureauPeople(dateCells) {
  return CLEAN.people.map((p, k) => {
    const [y, m, d] = p.start.split("-").map(Number);
    /** @type {XCell} */
    const start = dateCells && k % 2 === 0 ? { date: p.start } : [`${y}/${m}/${d}`, `${y}年${m}月${d}日`, `${y}.${m}.${d}`, excelSerial(p.start)][k % 4];
    return [p.id, p.community, p.name, ZH_POST[/** @type {"director" | "member"} */ (p.post)], start, p.serving ? "是" : "否"];
  });
}

export const COMMUNITY_HEADERS = ["社区编号", "社区名称", "户数", "评级"];
export const PEOPLE_HEADERS = ["人员编号", "社区编号", "姓名", "职务", "任职日期", "是否在职"];

/** The city as a WPS/Excel workbook: a merged title row above each header. */
export function bureauWorkbook() {
  return xlsx([
    { name: "社区基本情况", rows: [["2026年某市社区基本情况表"], COMMUNITY_HEADERS, ...bureauCommunities(), [], ["合计", null, 7950]], merge: ["A1:D1"] },
    { name: "人员名单", rows: [["社区工作者名单"], PEOPLE_HEADERS, ...bureauPeople(true)], merge: ["A1:F1"] },
  ]);
}

/** Rows as delimited text. @param {string[]} headers @param {XCell[][]} rows @param {string} sep */
export function delimited(headers, rows, sep) {
  const q = (/** @type {XCell} */ v) => {
    const s = v === null ? "" : typeof v === "object" ? v.date : String(v);
    return s.includes(sep) || s.includes('"') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers, ...rows].map((r) => r.map(q).join(sep)).join("\r\n") + "\r\n";
}
