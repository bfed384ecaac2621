//! The JSON boundary every front-end shares: a request in, a budget (or a
//! typed error) out. Money crosses as strings, dates as ISO strings. The WASM
//! package re-exports these functions; nothing about rules lives outside
//! `core`.
//!
//! ```
//! let request = r#"{
//!   "policy": "jilin-2011-13",
//!   "year": 2026,
//!   "communities": [{"id": "C1", "name": "社区A", "households": 2750, "rating": "ordinary"}]
//! }"#;
//! let response: serde_json::Value = serde_json::from_str(&shequ::ffi::compute_json(request).unwrap())?;
//! assert_eq!(response["budget"]["totals"]["overall"], "41250.00");
//!
//! let bad = r#"{"policy": "jilin-2011-13", "year": 2026, "communities": [{"id": "C1", "households": -5}]}"#;
//! let err = shequ::ffi::compute_json(bad).unwrap_err();
//! assert_eq!(err.code, "negative_households");
//! assert_eq!(err.field.as_deref(), Some("households"));
//! # Ok::<(), serde_json::Error>(())
//! ```

#![allow(clippy::result_large_err)] // ErrorBody crosses to JS and Python once per call
#![deny(clippy::arithmetic_side_effects)] // see core/tests/checked_arithmetic.rs

pub mod binary;
pub mod plan;
pub mod record;
pub mod sheets;
pub use record::{Record, Table as RequestTable};

use crate::budget::{Budget, BudgetOptions, QuotaMode, RatingSource};
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef};
use crate::frame::Frame;
use crate::lang::Lang;
use crate::policy::Policy;
use crate::read::{self, Cell};
use crate::samples;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// Which policy a request uses.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PolicySpec {
    /// A built-in policy id.
    Builtin(String),
    /// A policy file's text.
    Toml {
        /// The TOML text.
        toml: String,
        /// Name for error messages.
        #[serde(default)]
        origin: Option<String>,
    },
}

/// A budget request. Its table rows borrow their text from the request's
/// JSON where they can (read it with `serde_json::from_str`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request<'a> {
    /// The policy.
    pub policy: PolicySpec,
    /// What-if overrides, `path → value` (see [`Policy::with_overrides`]).
    #[serde(default)]
    pub overrides: Vec<(String, String)>,
    /// Budget year (a whole number, or its text).
    pub year: Value,
    /// Year-to-date cut-off (`YYYY-MM-DD`).
    #[serde(default)]
    pub as_of: Option<String>,
    /// `error` (default) or `warn`.
    #[serde(default)]
    pub quota: QuotaMode,
    /// `auto` (default), `given` or `scores`.
    #[serde(default)]
    pub ratings: RatingSource,
    /// Household counts above this are refused.
    #[serde(default)]
    pub max_households: Option<i64>,
    /// `error` (default) or `skip`: what to do with a post the policy does
    /// not know.
    #[serde(default)]
    pub unknown_posts: crate::options::UnknownPosts,
    /// Community rows (see [`read::COMMUNITY_COLUMNS`]). Each table may
    /// also be sent as columns (see [`record::table`]).
    #[serde(borrow, deserialize_with = "record::table")]
    pub communities: RequestTable<'a>,
    /// People: one object per person with a `posts` list, or one row per post
    /// held (see [`read::PEOPLE_COLUMNS`]).
    #[serde(default, borrow, deserialize_with = "record::table")]
    pub people: RequestTable<'a>,
    /// Adjustment rows.
    #[serde(default, borrow, deserialize_with = "record::table")]
    pub adjustments: RequestTable<'a>,
    /// Add an explanation of each item in this language.
    #[serde(default)]
    pub explain: Option<Lang>,
    /// Parameters the policy declares (`{"deputy_salary_monthly": "2600"}`):
    /// numbers as strings or integers. In the order written, a name given
    /// twice kept twice (to be refused by name: a JSON parser would keep one
    /// of the two silently).
    #[serde(default, deserialize_with = "pairs")]
    pub parameters: Vec<(String, Value)>,
}

/// A JSON object as its (key, value) pairs, in order, repeats kept.
fn pairs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<(String, Value)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of parameters")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, Value>()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

/// An error as the front-ends see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// Stable code (see [`crate::error::ALL_ERROR_CODES`]).
    pub code: String,
    /// Readable message.
    pub message: String,
    /// The message in Chinese ([`Error::zh`]).
    pub zh: String,
    /// The record at fault, for input errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<RecordRef>,
    /// The field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Policy file line, for policy errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Policy key, for policy errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl From<&Error> for ErrorBody {
    fn from(e: &Error) -> Self {
        let mut body = ErrorBody {
            code: e.code().to_string(),
            message: e.to_string(),
            zh: e.zh(),
            record: None,
            field: None,
            line: None,
            key: None,
        };
        match e {
            Error::Input(i) => {
                body.record = Some(i.record.clone());
                body.field = Some(i.field.clone());
            }
            Error::Policy(p) => {
                body.line = p.line;
                body.key = p.key.clone();
            }
            Error::MissingParameter { name, .. } => body.field = Some(name.clone()),
            _ => {}
        }
        body
    }
}

impl From<Error> for ErrorBody {
    fn from(e: Error) -> Self {
        ErrorBody::from(&e)
    }
}

/// A budget with, optionally, an explanation per item.
#[derive(Serialize)]
pub struct Response<'a> {
    /// The budget.
    pub budget: &'a Budget,
    /// One sentence per item, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanations: Option<Vec<String>>,
}

/// A JSON value as a cell.
pub(crate) fn json_cell(v: Option<&Value>) -> Cell<'_> {
    match v {
        None => Cell::Missing,
        Some(Value::Null) => Cell::Null,
        Some(Value::Bool(b)) => Cell::Bool(*b),
        Some(Value::String(s)) => Cell::Str(Cow::Borrowed(s)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Cell::Int(i),
            None => Cell::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(Value::Array(_)) => Cell::Unreadable(Cow::Borrowed("a list")),
        Some(Value::Object(_)) => Cell::Unreadable(Cow::Borrowed("an object")),
    }
}

/// Read the request's tables into a frame, through the one reader, each
/// header read by the built-in labels.
///
/// # Errors
/// The first bad row, named.
pub fn read_frame(req: &Request) -> Result<Frame, Error> {
    read_frame_with(req, &read::Headers::builtin())
}

/// [`read_frame`], each header read by `headers` (a policy's:
/// [`Policy::headers`]).
///
/// # Errors
/// As [`read_frame`].
pub fn read_frame_with(req: &Request, headers: &read::Headers) -> Result<Frame, Error> {
    let mut post_keys = Vec::new();
    let tables = read::Tables {
        communities: req
            .communities
            .to_read(RecordKind::Community, &mut post_keys)?,
        people: req.people.to_read(RecordKind::Person, &mut post_keys)?,
        adjustments: req
            .adjustments
            .to_read(RecordKind::Adjustment, &mut post_keys)?,
        post_keys,
        notes: Vec::new(),
    };
    Ok(read::frame_with(&tables, headers)?)
}

/// The policy a request names, with its overrides applied.
///
/// # Errors
/// Policy errors.
pub fn load_policy(spec: &PolicySpec, overrides: &[(String, String)]) -> Result<Policy, Error> {
    let policy = match spec {
        PolicySpec::Builtin(id) => Policy::builtin(id)?,
        PolicySpec::Toml { toml, origin } => {
            Policy::from_toml(toml, origin.as_deref().unwrap_or("<text>"))?
        }
    };
    if overrides.is_empty() {
        return Ok(policy);
    }
    // One request, one value per path: a path given twice is ambiguous.
    let mut seen = std::collections::HashSet::new();
    for (path, _) in overrides {
        if !seen.insert(path.as_str()) {
            return Err(Error::Policy(crate::error::PolicyError {
                code: crate::error::PolicyErrorCode::PolicyBadOverride,
                origin: format!("{} (with overrides)", policy.origin()),
                line: None,
                key: Some(path.clone()),
                message: format!("override `{path}` is given twice"),
            }));
        }
    }
    let pairs: Vec<(&str, &str)> = overrides
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    policy.with_overrides(&pairs)
}

/// The options a request asks for.
///
/// # Errors
/// `invalid_date` for a bad `as_of`.
pub fn options(req: &Request) -> Result<BudgetOptions, Error> {
    let as_of = match &req.as_of {
        None => None,
        Some(s) => Some(s.parse().map_err(|_| {
            Error::Input(InputError::new(
                InputErrorCode::InvalidDate,
                RecordRef::request(),
                "as_of",
                format!("`{s}` is not a date (YYYY-MM-DD)"),
            ))
        })?),
    };
    let request_field = |field: &str, message: String| {
        Error::Input(InputError::new(
            InputErrorCode::OutOfRange,
            RecordRef::request(),
            field,
            message,
        ))
    };
    let year = match &req.year {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .and_then(|y| i32::try_from(y).ok())
    .ok_or_else(|| request_field("year", format!("`{}` is not a year", req.year)))?;
    let mut parameters = std::collections::BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (name, value) in &req.parameters {
        if !seen.insert(name.as_str()) {
            return Err(Error::Input(InputError::new(
                InputErrorCode::DuplicateField,
                parameter_record(name),
                name,
                format!("parameter `{name}` is given twice"),
            )));
        }
        if let Some(v) = parameter(name, json_cell(Some(value)))? {
            parameters.insert(name.clone(), v);
        }
    }
    Ok(BudgetOptions {
        year,
        as_of,
        quota: req.quota,
        ratings: req.ratings,
        max_households: req
            .max_households
            .unwrap_or(BudgetOptions::DEFAULT_MAX_HOUSEHOLDS),
        parameters,
        date_years: BudgetOptions::DEFAULT_DATE_YEARS,
        unknown_posts: req.unknown_posts,
    })
}

/// A parameter's value (`name` = `cell`) as the options hold it: exact, never
/// a float.
///
/// # Errors
/// `invalid_number` naming the parameter.
pub fn parameter(name: &str, cell: Cell<'_>) -> Result<Option<rust_decimal::Decimal>, Error> {
    read::value::decimal(cell, name, false).map_err(|p| {
        Error::Input(InputError::new(
            p.code,
            parameter_record(name),
            name,
            p.message,
        ))
    })
}

fn parameter_record(name: &str) -> RecordRef {
    RecordRef {
        kind: RecordKind::Parameter,
        index: None,
        id: Some(name.to_string()),
    }
}

fn bad_request(e: serde_json::Error) -> ErrorBody {
    let message = e.to_string();
    let hint = misspelt(&message);
    ErrorBody::from(Error::BadRequest {
        message: format!("{message}{hint}"),
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown
/// variant"), the "did you mean" of `x` among the names it lists.
fn misspelt(message: &str) -> String {
    let Some(rest) = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.split_once(p).map(|(_, r)| r))
    else {
        return String::new();
    };
    let Some((given, listed)) = rest.split_once('`') else {
        return String::new();
    };
    let Some((_, listed)) = listed.split_once("expected") else {
        return String::new();
    };
    // The listed names are every other piece between backticks.
    let names = listed
        .split(" at line ")
        .next()
        .unwrap_or("")
        .split('`')
        .skip(1)
        .step_by(2);
    crate::suggest::did_you_mean(given, names)
}

/// Parse a request: JSON text as a `&str` or as UTF-8 bytes (what a browser's
/// `TextEncoder` gives, cheaper to hand to WASM than a JS string). Its rows
/// borrow their text from `request`.
///
/// # Errors
/// `bad_request` for JSON that is not a request (or not UTF-8).
pub fn parse_request<R: AsRef<[u8]> + ?Sized>(request: &R) -> Result<Request<'_>, ErrorBody> {
    serde_json::from_slice(request.as_ref()).map_err(bad_request)
}

/// Compute a budget from a JSON request; the answer is `{"budget": …}` with
/// `"explanations"` when the request asks for them.
///
/// # Errors
/// An [`ErrorBody`] with the error's code, message, record and field.
pub fn compute_json<R: AsRef<[u8]> + ?Sized>(request: &R) -> Result<String, ErrorBody> {
    let req = parse_request(request)?;
    let budget = budget_of(&req)?;
    respond(&req, &budget)
}

/// The answer to `req`: its budget, and the explanations it asks for, as
/// JSON.
fn respond(req: &Request, budget: &Budget) -> Result<String, ErrorBody> {
    let explanations = req.explain.map(|lang| {
        let e = budget.explainer();
        (0..budget.items.len())
            .filter_map(|i| e.sentence(i, lang))
            .collect()
    });
    serde_json::to_string(&Response {
        budget,
        explanations,
    })
    .map_err(bad_request)
}

/// The budget of a parsed request (policy, overrides, input, options).
///
/// # Errors
/// As [`compute_json`].
pub fn budget_of(req: &Request) -> Result<Budget, ErrorBody> {
    let policy = load_policy(&req.policy, &req.overrides)?;
    let frame = read_frame_with(req, &policy.headers())?;
    Ok(policy.budget_of(Arc::new(frame), &options(req)?)?)
}

/// The budget of a JSON request, kept as a value (for front-ends that page
/// through a large budget instead of taking it as one JSON text).
///
/// # Errors
/// As [`compute_json`].
pub fn budget_from_json<R: AsRef<[u8]> + ?Sized>(request: &R) -> Result<Budget, ErrorBody> {
    budget_of(&parse_request(request)?)
}

/// Explain one community of a request's budget (`lang`: `zh` or `en`).
///
/// # Errors
/// As [`compute_json`]; `bad_request` for a community not in the request.
pub fn explain_json<R: AsRef<[u8]> + ?Sized>(
    request: &R,
    community: &str,
    lang: &str,
) -> Result<String, ErrorBody> {
    let lang: Lang = lang
        .parse()
        .map_err(|m| ErrorBody::from(Error::BadRequest { message: m }))?;
    let budget = budget_from_json(request)?;
    budget.explain(community, lang).ok_or_else(|| {
        ErrorBody::from(Error::BadRequest {
            message: format!("no community `{community}` in the request"),
        })
    })
}

/// Explain one person of a request's budget (`lang`: `zh` or `en`): their
/// posts, what they are paid, and what not and why.
///
/// # Errors
/// As [`compute_json`]; `bad_request` for a person not in the request.
pub fn explain_person_json<R: AsRef<[u8]> + ?Sized>(
    request: &R,
    person: &str,
    lang: &str,
) -> Result<String, ErrorBody> {
    let lang: Lang = lang
        .parse()
        .map_err(|m| ErrorBody::from(Error::BadRequest { message: m }))?;
    let budget = budget_from_json(request)?;
    budget.explain_person(person, lang).ok_or_else(|| {
        ErrorBody::from(Error::BadRequest {
            message: format!("no person `{person}` in the request"),
        })
    })
}

/// The Excel report of a request's budget (`lang`: `zh` or `en`), as the
/// bytes of an `.xlsx` file: the same bytes from every front-end.
///
/// # Errors
/// As [`compute_json`].
#[cfg(feature = "xlsx")]
pub fn report_xlsx<R: AsRef<[u8]> + ?Sized>(request: &R, lang: &str) -> Result<Vec<u8>, ErrorBody> {
    let lang: Lang = lang
        .parse()
        .map_err(|m| ErrorBody::from(Error::BadRequest { message: m }))?;
    Ok(budget_from_json(request)?.to_xlsx(lang)?)
}

/// The line items of a request's budget as CSV (`lang`: `zh` or `en`):
/// UTF-8 with a byte-order mark, the columns of the report's 明细 sheet.
///
/// # Errors
/// As [`compute_json`].
pub fn report_csv<R: AsRef<[u8]> + ?Sized>(request: &R, lang: &str) -> Result<String, ErrorBody> {
    let lang: Lang = lang
        .parse()
        .map_err(|m| ErrorBody::from(Error::BadRequest { message: m }))?;
    Ok(crate::report::items_csv(&budget_from_json(request)?, lang))
}

/// The built-in policies: `[{id, document, title_zh, title_en, city_zh, city_en}]`.
pub fn policies_json() -> String {
    let list: Vec<Value> = Policy::builtin_ids()
        .into_iter()
        .filter_map(|id| Policy::builtin(id).ok())
        .map(|p| {
            let m = &p.file().policy;
            serde_json::json!({"id": m.id, "document": m.document, "title_zh": m.title_zh, "title_en": m.title_en, "city_zh": m.city_zh, "city_en": m.city_en})
        })
        .collect();
    Value::Array(list).to_string()
}

/// A policy file as JSON (posts, ratings, payers, rules with citations), for
/// forms to fill their choices from.
///
/// # Errors
/// Policy errors.
pub fn policy_json(spec: &str) -> Result<String, ErrorBody> {
    let spec: PolicySpec =
        serde_json::from_str(spec).unwrap_or_else(|_| PolicySpec::Builtin(spec.to_string()));
    let policy = load_policy(&spec, &[])?;
    serde_json::to_string(policy.file()).map_err(bad_request)
}

/// A bundled sample as a request body without `policy` and `year`:
/// `{communities, people}` (people one row per post held).
///
/// # Errors
/// `bad_request` for an unknown sample id.
pub fn sample_json(id: &str) -> Result<String, ErrorBody> {
    let sample = samples::by_id(id).ok_or_else(|| {
        ErrorBody::from(Error::BadRequest {
            message: format!("no sample `{id}`; samples: {}", samples::IDS.join(", ")),
        })
    })?;
    serde_json::to_string(&samples::as_rows(&sample)).map_err(bad_request)
}

/// Read CSV text (a header row, then records) into a JSON array of objects
/// with text cells, ready to pass as `communities`, `people` or
/// `adjustments` of a request. Empty cells become null.
///
/// ```
/// let json = shequ::ffi::csv_to_json("id,households\nC1,2750\nC2,\n").unwrap();
/// assert_eq!(json, r#"[{"households":"2750","id":"C1"},{"households":null,"id":"C2"}]"#);
/// ```
///
/// # Errors
/// `bad_request` naming the CSV line for malformed CSV.
pub fn csv_to_json(text: &str) -> Result<String, ErrorBody> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let mut obj = Map::new();
        for (h, v) in headers.iter().zip(record.iter()) {
            obj.insert(
                h.to_string(),
                if v.is_empty() {
                    Value::Null
                } else {
                    Value::String(v.to_string())
                },
            );
        }
        out.push(Value::Object(obj));
    }
    Ok(Value::Array(out).to_string())
}

fn csv_error(e: csv::Error) -> ErrorBody {
    let line = e.position().map(|p| p.line());
    ErrorBody::from(Error::BadRequest {
        message: format!(
            "CSV{}: {e}",
            line.map(|l| format!(" line {l}")).unwrap_or_default()
        ),
    })
}

/// The compliance report of a request (the same request as
/// [`compute_json`]): `{findings, norms, summary, …}`.
///
/// # Errors
/// As [`compute_json`].
pub fn compliance_json<R: AsRef<[u8]> + ?Sized>(request: &R) -> Result<String, ErrorBody> {
    let req = parse_request(request)?;
    let policy = load_policy(&req.policy, &req.overrides)?;
    let report =
        policy.compliance_of(&read_frame_with(&req, &policy.headers())?, &options(&req)?)?;
    serde_json::to_string(&report).map_err(bad_request)
}
