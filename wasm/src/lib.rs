//! shequ for JavaScript: the JSON boundary of [`shequ::ffi`], re-exported
//! through wasm-bindgen, nothing more.
//!
//! Every function takes and returns JSON text (money as strings, dates as ISO
//! strings); the typed wrapper in `wasm/js/api.js` (types in
//! `wasm/js/types.d.ts`) parses it. A failure is thrown as a real JS `Error`
//! whose `name` is `ShequError`, with the stable `code`
//! (`shequ::error::ALL_ERROR_CODES`) and, when known, the `record`
//! (`{kind, index, id}`), `field`, `line` and `key` at fault.
//!
//! No rule, rounding or default lives here: each export converts its
//! arguments, calls `shequ`, and converts the answer or the error. The one
//! addition is [`BudgetView`]: a budget kept in WASM memory and read in
//! parts, because a 10 000-community city's whole budget is some 200 MB of
//! JSON, more than a JS string may hold.

// `ErrorBody` is the core's boundary type; the binding passes it on as is.
#![allow(clippy::result_large_err)]

use shequ::ffi::{self, ErrorBody};
use shequ::{Budget, Lang};
use wasm_bindgen::prelude::*;

/// Compute a budget: `request` is a `shequ::ffi::Request` as JSON, in UTF-8
/// bytes (as `TextEncoder` gives: a 10 000-community city's request is some
/// 13 MB, and bytes cross into WASM several times faster than a JS string);
/// the answer is `{"budget": …, "explanations"?: […]}` as JSON.
///
/// # Errors
/// A `ShequError` (see the crate docs).
#[wasm_bindgen(js_name = computeJson)]
pub fn compute_json(request: &[u8]) -> Result<String, JsValue> {
    ffi::compute_json(request).map_err(js_error)
}

/// Compute a budget and keep it in WASM memory, to be read in parts (see
/// [`BudgetView`]). The request's `explain` is ignored: explain items one at
/// a time with [`BudgetView::explain_item`].
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[wasm_bindgen(js_name = computeView)]
pub fn compute_view(request: &[u8]) -> Result<BudgetView, JsValue> {
    ffi::parse_request(request)
        .and_then(|req| ffi::budget_of(&req))
        .map(BudgetView::keeping)
        .map_err(js_error)
}

/// [`compute_json`] of a request whose tables come as typed columns in
/// `tables` (the layout of [`shequ::ffi::binary`]; the package's JS writes
/// it), the request's own tables empty lists.
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[wasm_bindgen(js_name = computeJsonColumns)]
pub fn compute_json_columns(request: &[u8], tables: &[u8]) -> Result<String, JsValue> {
    ffi::binary::compute_json(request, tables).map_err(js_error)
}

/// [`compute_view`] of a request whose tables come as typed columns (see
/// [`compute_json_columns`]).
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[wasm_bindgen(js_name = computeViewColumns)]
pub fn compute_view_columns(request: &[u8], tables: &[u8]) -> Result<BudgetView, JsValue> {
    ffi::binary::budget(request, tables)
        .map(BudgetView::keeping)
        .map_err(js_error)
}

/// The compliance report of a request (the same request as
/// [`compute_json`]), as JSON.
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[wasm_bindgen(js_name = complianceJson)]
pub fn compliance_json(request: &[u8]) -> Result<String, JsValue> {
    ffi::compliance_json(request).map_err(js_error)
}

/// Explain one community of a request's budget, in `lang` (`zh` or `en`):
/// plain text.
///
/// # Errors
/// A `ShequError`; `bad_request` for a community not in the request.
#[wasm_bindgen(js_name = explainJson)]
pub fn explain_json(request: &[u8], community: &str, lang: &str) -> Result<String, JsValue> {
    ffi::explain_json(request, community, lang).map_err(js_error)
}

/// Explain one person of a request's budget, in `lang`: plain text.
///
/// # Errors
/// A `ShequError`; `bad_request` for a person not in the request.
#[wasm_bindgen(js_name = explainPersonJson)]
pub fn explain_person_json(request: &[u8], person: &str, lang: &str) -> Result<String, JsValue> {
    ffi::explain_person_json(request, person, lang).map_err(js_error)
}

/// The Excel report of a request's budget, in `lang`: the bytes of an
/// `.xlsx` file (a `Uint8Array`), the same as every front-end's.
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[wasm_bindgen(js_name = reportXlsx)]
pub fn report_xlsx(request: &[u8], lang: &str) -> Result<Vec<u8>, JsValue> {
    ffi::report_xlsx(request, lang).map_err(js_error)
}

/// The line items of a request's budget as CSV text (with a byte-order
/// mark), in `lang`.
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[wasm_bindgen(js_name = reportCsv)]
pub fn report_csv(request: &[u8], lang: &str) -> Result<String, JsValue> {
    ffi::report_csv(request, lang).map_err(js_error)
}

// ---- plans and sweeps (issue 19), in the `plan` build only -----------------

/// A multi-year plan, or with `scenarios` a sweep: `request` is a budget
/// request (its `year` the first year) and `spec` the plan's
/// `{years, assumptions?, scenarios?}` (see `shequ::ffi::plan`), both UTF-8
/// JSON; the answer is the plan's JSON (totals by year, payer, rule and
/// district, by year, and the year-on-year changes or each scenario's diff).
///
/// # Errors
/// A `ShequError`, as [`compute_json`].
#[cfg(feature = "plan")]
#[wasm_bindgen(js_name = planJson)]
pub fn plan_json(request: &[u8], spec: &[u8]) -> Result<String, JsValue> {
    ffi::plan::plan_parts_json(request, spec).map_err(js_error)
}

/// One year's full budget of a plan (of `scenario`, when given), as
/// `computeJson` answers: `{"budget": …}`.
///
/// # Errors
/// A `ShequError`; `out_of_range` for a year not in the plan.
#[cfg(feature = "plan")]
#[wasm_bindgen(js_name = planBudgetJson)]
pub fn plan_budget_json(
    request: &[u8],
    spec: &[u8],
    year: i32,
    scenario: Option<String>,
) -> Result<String, JsValue> {
    ffi::plan::plan_budget_parts_json(request, spec, year, scenario.as_deref()).map_err(js_error)
}

/// The built-in policies, as a JSON list of `{id, document, title_zh, …}`.
#[wasm_bindgen(js_name = policiesJson)]
pub fn policies_json() -> String {
    ffi::policies_json()
}

/// A policy file as JSON; `spec` is a built-in id or `{"toml": …}` as JSON.
///
/// # Errors
/// A `ShequError` with the policy's line and key.
#[wasm_bindgen(js_name = policyJson)]
pub fn policy_json(spec: &str) -> Result<String, JsValue> {
    ffi::policy_json(spec).map_err(js_error)
}

/// A bundled sample (see `meta().samples`) as a request body.
///
/// # Errors
/// `bad_request` for an unknown sample.
#[wasm_bindgen(js_name = sampleJson)]
pub fn sample_json(id: &str) -> Result<String, JsValue> {
    ffi::sample_json(id).map_err(js_error)
}

/// CSV text (header row, then records) as a JSON array of row objects.
///
/// # Errors
/// `bad_request` naming the CSV line.
#[wasm_bindgen(js_name = csvToJson)]
pub fn csv_to_json(text: &str) -> Result<String, JsValue> {
    ffi::csv_to_json(text).map_err(js_error)
}

/// The tables of a file — the bytes of an `.xlsx`, `.xls` or `.ods`
/// workbook or of delimited text (CSV, TSV, cells pasted from Excel; UTF-8,
/// UTF-16 or GBK) — as JSON rows, with the mapping of its headers and the
/// reader's notes (see `shequ::ffi::sheets`). `options` is JSON: `{policy?,
/// table?, name?}` (`{}` for none).
///
/// # Errors
/// A `ShequError`: `invalid_table` for a file that cannot be read.
#[wasm_bindgen(js_name = readTablesJson)]
pub fn read_tables_json(bytes: &[u8], options: &str) -> Result<String, JsValue> {
    ffi::sheets::read_tables_json(bytes, options).map_err(js_error)
}

/// A synthetic city of `communities` communities (see
/// `shequ::samples::synthetic`), shaped like the bundled sample `sample`: its
/// policy, year and parameters, as a request body.
///
/// # Errors
/// `bad_request` for an unknown sample.
#[wasm_bindgen(js_name = syntheticJson)]
pub fn synthetic_json(sample: &str, communities: u32, seed: u32) -> Result<String, JsValue> {
    synthetic(sample, communities, seed).map_err(js_error)
}

/// Abort, as a panic (a bug) would: the instance traps. For the tests of
/// the JS wrapper's recovery (a fresh instance after a trap); no input
/// reaches it.
#[doc(hidden)]
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    std::process::abort()
}

/// What the package knows that a form needs besides a policy: its version,
/// every error code, the columns of each table and the bundled samples.
#[wasm_bindgen(js_name = metaJson)]
pub fn meta_json() -> String {
    meta().to_string()
}

/// A budget held in WASM memory (with the input it was computed from, which
/// explains it). `summaryJson` is the budget's JSON without its `items` and
/// `exclusions` (with `item_count` and `exclusion_count` instead); those two
/// are written a page at a time, when asked for. Call `free()` when done.
#[wasm_bindgen]
pub struct BudgetView {
    budget: Budget,
    summary: String,
}

#[wasm_bindgen]
impl BudgetView {
    fn keeping(budget: Budget) -> BudgetView {
        let summary = serde_json::to_string(&budget.summary()).unwrap_or_default();
        BudgetView { budget, summary }
    }

    /// The budget without `items` and `exclusions`, as JSON.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> String {
        self.summary.clone()
    }

    /// Items `offset .. offset + limit` (fewer at the end), as a JSON list.
    #[wasm_bindgen(js_name = itemsJson)]
    pub fn items_json(&self, offset: u32, limit: u32) -> String {
        let range = page(self.budget.items.len(), offset, limit);
        serde_json::to_string(&shequ::explain::ItemsJson(&self.budget.explainer(), range))
            .unwrap_or_else(|_| "[]".into())
    }

    /// Exclusions (the "why not" notes) `offset .. offset + limit`, as a
    /// JSON list.
    #[wasm_bindgen(js_name = exclusionsJson)]
    pub fn exclusions_json(&self, offset: u32, limit: u32) -> String {
        let range = page(self.budget.exclusions.len(), offset, limit);
        serde_json::to_string(&shequ::explain::NotesJson(&self.budget.explainer(), range))
            .unwrap_or_else(|_| "[]".into())
    }

    /// One sentence explaining item `index`, in `lang` (`zh` or `en`);
    /// `undefined` past the last item.
    ///
    /// # Errors
    /// `bad_request` for an unknown language.
    #[wasm_bindgen(js_name = explainItem)]
    pub fn explain_item(&self, index: u32, lang: &str) -> Result<Option<String>, JsValue> {
        let lang = parse_lang(lang).map_err(js_error)?;
        Ok(usize::try_from(index)
            .ok()
            .and_then(|i| self.budget.explain_item(i, lang)))
    }

    /// The explanation of one community's budget, in `lang`; `undefined`
    /// for a community not in the budget.
    ///
    /// # Errors
    /// `bad_request` for an unknown language.
    #[wasm_bindgen(js_name = explainCommunity)]
    pub fn explain_community(
        &self,
        community: &str,
        lang: &str,
    ) -> Result<Option<String>, JsValue> {
        let lang = parse_lang(lang).map_err(js_error)?;
        Ok(self.budget.explain(community, lang))
    }

    /// The story of one person, in `lang`; `undefined` for a person not in
    /// the budget's input.
    ///
    /// # Errors
    /// `bad_request` for an unknown language.
    #[wasm_bindgen(js_name = explainPerson)]
    pub fn explain_person(&self, person: &str, lang: &str) -> Result<Option<String>, JsValue> {
        let lang = parse_lang(lang).map_err(js_error)?;
        Ok(self.budget.explain_person(person, lang))
    }

    /// The Excel report of this budget, in `lang`: the bytes of an `.xlsx`
    /// file.
    ///
    /// # Errors
    /// A `ShequError` (an unknown language; a check that cannot run).
    #[wasm_bindgen(js_name = reportXlsx)]
    pub fn report_xlsx(&self, lang: &str) -> Result<Vec<u8>, JsValue> {
        let lang = parse_lang(lang).map_err(js_error)?;
        self.budget
            .to_xlsx(lang)
            .map_err(|e| js_error(ErrorBody::from(e)))
    }

    /// The line items of this budget as CSV text, in `lang`.
    ///
    /// # Errors
    /// `bad_request` for an unknown language.
    #[wasm_bindgen(js_name = reportCsv)]
    pub fn report_csv(&self, lang: &str) -> Result<String, JsValue> {
        let lang = parse_lang(lang).map_err(js_error)?;
        Ok(shequ::report::items_csv(&self.budget, lang))
    }
}

/// Positions `offset .. offset + limit` of a list of `len`, cut at its end.
fn page(len: usize, offset: u32, limit: u32) -> std::ops::Range<usize> {
    let from = usize::try_from(offset).unwrap_or(usize::MAX).min(len);
    let to = from
        .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
        .min(len);
    from..to
}

fn parse_lang(lang: &str) -> Result<Lang, ErrorBody> {
    lang.parse().map_err(bad_request)
}

fn bad_request(message: String) -> ErrorBody {
    ErrorBody::from(shequ::Error::BadRequest { message })
}

fn synthetic(sample: &str, communities: u32, seed: u32) -> Result<String, ErrorBody> {
    let base = shequ::samples::by_id(sample).ok_or_else(|| {
        bad_request(format!(
            "no sample `{sample}`; samples: {}",
            shequ::samples::IDS.join(", ")
        ))
    })?;
    // A demo city, held whole in WASM memory: a size past any city is
    // refused rather than left to exhaust the memory (which traps).
    const MOST: u32 = 1_000_000;
    if communities > MOST {
        return Err(bad_request(format!(
            "a synthetic city of {communities} communities: at most {MOST}"
        )));
    }
    let n = usize::try_from(communities).unwrap_or(usize::MAX);
    let input = shequ::samples::synthetic(base.policy, n, u64::from(seed));
    Ok(shequ::samples::as_rows(&shequ::samples::Sample {
        id: "synthetic",
        input,
        ..base
    })
    .to_string())
}

fn meta() -> serde_json::Value {
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "error_codes": shequ::error::ALL_ERROR_CODES,
        "columns": {
            "communities": shequ::read::COMMUNITY_COLUMNS,
            "people": shequ::read::PEOPLE_COLUMNS,
            "adjustments": shequ::read::ADJUSTMENT_COLUMNS,
        },
        "samples": shequ::samples::IDS,
    })
}

/// An [`ErrorBody`] as a JS `Error` named `ShequError` with `code`, `zh`
/// (the message in Chinese), `record`, `field`, `line` and `key` properties
/// (absent ones left undefined).
fn js_error(body: ErrorBody) -> JsValue {
    let err = js_sys::Error::new(&body.message);
    err.set_name("ShequError");
    let target: &JsValue = err.as_ref();
    let set = |key: &str, value: JsValue| {
        // Setting a data property on a fresh Error cannot fail; if it ever
        // did, the Error still carries the message.
        let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(&body.code));
    set("zh", JsValue::from_str(&body.zh));
    if let Some(record) = &body.record {
        let json = serde_json::to_string(record).unwrap_or_default();
        set(
            "record",
            js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL),
        );
    }
    if let Some(field) = &body.field {
        set("field", JsValue::from_str(field));
    }
    if let Some(line) = body.line {
        set("line", JsValue::from_f64(line as f64));
    }
    if let Some(key) = &body.key {
        set("key", JsValue::from_str(key));
    }
    err.into()
}

#[cfg(test)]
mod tests {
    //! Host tests of the parts that do not call into JS (the JS-facing parts
    //! are tested in Node and Chromium, see `wasm/tests/`).
    use super::*;
    use serde_json::Value;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_default()
    }

    #[test]
    fn a_view_reads_like_the_whole_answer() -> Result<(), ErrorBody> {
        let mut request = parse(&synthetic("jilin", 30, 7)?);
        request["quota"] = "warn".into();
        let request = request.to_string();
        let whole = parse(&ffi::compute_json(&request)?)["budget"].take();
        let budget = ffi::budget_of(&ffi::parse_request(&request)?)?;
        let view = BudgetView::keeping(budget);
        let summary = parse(&view.summary_json());
        assert_eq!(summary["totals"], whole["totals"]);
        assert_eq!(
            summary["item_count"],
            whole["items"].as_array().map_or(0, Vec::len)
        );
        assert_eq!(parse(&view.items_json(0, u32::MAX)), whole["items"]);
        assert_eq!(
            parse(&view.exclusions_json(0, u32::MAX)),
            whole["exclusions"]
        );
        // Every other field of the budget is in the summary, as it is.
        for (key, value) in whole
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "items" && *k != "exclusions")
        {
            assert_eq!(&summary[key], value, "{key}");
        }
        // Pages past the end are short or empty, never an error.
        let n = u32::try_from(view.budget.items.len()).unwrap_or(u32::MAX);
        assert_eq!(
            parse(&view.items_json(n - 2, 10)).as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(view.items_json(u32::MAX, u32::MAX), "[]");
        Ok(())
    }

    #[test]
    fn synthetic_city_of_an_unknown_sample_is_refused_by_code() {
        assert_eq!(
            synthetic("nowhere", 3, 1).map_err(|e| e.code),
            Err("bad_request".to_string())
        );
    }

    #[test]
    fn meta_lists_every_error_code_and_column() {
        let m = meta();
        assert_eq!(
            m["error_codes"].as_array().map(Vec::len),
            Some(shequ::error::ALL_ERROR_CODES.len())
        );
        assert_eq!(m["columns"]["people"][4], "post");
    }
}
