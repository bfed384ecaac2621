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
  /** A request as UTF-8 JSON bytes (they cross into WASM faster than a string). @param {unknown} request */
  const utf8 = (request) => encoder.encode(JSON.stringify(request));
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
