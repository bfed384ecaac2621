//! Plans and sweeps over the JSON boundary (see [`crate::plan`]).
//!
//! A plan request is a budget request ([`super::Request`]) with `years`
//! and, optionally, `assumptions` ([`crate::plan::Assumptions`]) and
//! `scenarios` (the [`PlanSpec`]); its `year` may be left out (the first
//! year is used). With `scenarios` the answer is a sweep's.
//!
//! ```json
//! {"policy": "jilin-2011-13", "years": {"from": 2026, "to": 2030},
//!  "communities": [...], "people": [...],
//!  "assumptions": {"households": [{"percent": "2"}],
//!                  "growth": [{"path": "stipend.amounts.director", "percent": "5", "from": 2027}]},
//!  "scenarios": [{"name": "rate 2000 from July", "overrides": [["work_funds.rate", "2000 from 2027-07-01"]]}]}
//! ```
//!
//! [`plan_json`] takes that one object; [`plan_parts_json`] the budget
//! request and the plan spec apart (what the WASM package sends: its JS
//! takes the object apart, and the `.wasm` needs no code to do it).
//!
//! ```
//! let request = r#"{"policy": "jilin-2011-13", "years": [2026, 2027],
//!   "communities": [{"id": "C1", "households": 2750, "rating": "ordinary"}],
//!   "assumptions": {"households": [{"percent": "2"}]}}"#;
//! let plan: serde_json::Value = serde_json::from_str(&shequ::ffi::plan::plan_json(request).unwrap())?;
//! assert_eq!(plan["by_year"][1]["overall"], "42075.00");
//! assert_eq!(plan["changes"][0]["change"], "412.50"); // the city's half of +825
//! let one = shequ::ffi::plan::plan_budget_json(request, 2027, None).unwrap();
//! assert!(one.contains(r#""households":2805"#));
//! # Ok::<(), serde_json::Error>(())
//! ```

use super::{load_policy, options, parse_request, read_frame, ErrorBody};
use crate::error::Error;
use crate::plan::{Assumptions, Scenario};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

/// The years of a plan: a list (`[2026, 2027]`), or a span (`{"from":
/// 2026, "to": 2030}`, both included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Years(pub Vec<i32>);

impl<'de> Deserialize<'de> for Years {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Years;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of years, or {\"from\": year, \"to\": year}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Years, A::Error> {
                let mut out = Vec::new();
                while let Some(y) = seq.next_element::<i32>()? {
                    out.push(y);
                }
                Ok(Years(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Years, A::Error> {
                use serde::de::Error as _;
                let (mut from, mut to) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "from" => from = Some(map.next_value::<i32>()?),
                        "to" => to = Some(map.next_value::<i32>()?),
                        other => return Err(A::Error::unknown_field(other, &["from", "to"])),
                    }
                }
                let from = from.ok_or_else(|| A::Error::missing_field("from"))?;
                let to = to.ok_or_else(|| A::Error::missing_field("to"))?;
                // A span past the most a plan takes is cut one past it, for
                // the plan to refuse by name.
                Ok(Years(
                    (from..=to).take(crate::plan::MAX_YEARS + 1).collect(),
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// What-if overrides as a request writes them: `[[path, value], …]` or
/// `{path: value}` (in the order written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Overrides;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("overrides: [[path, value], …] or {path: value}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Overrides, A::Error> {
                let mut out = Vec::new();
                while let Some(pair) = seq.next_element::<(String, String)>()? {
                    out.push(pair);
                }
                Ok(Overrides(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Overrides, A::Error> {
                let mut out = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    out.push(pair);
                }
                Ok(Overrides(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A scenario as a request writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Its name (not `baseline`).
    pub name: String,
    /// Its what-if overrides.
    #[serde(default)]
    pub overrides: Overrides,
}

/// What a plan request adds to a budget request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// The years.
    pub years: Years,
    /// What the plan assumes.
    #[serde(default)]
    pub assumptions: Assumptions,
    /// Scenarios: with them, a sweep.
    #[serde(default)]
    pub scenarios: Option<Vec<ScenarioSpec>>,
}

impl PlanSpec {
    fn scenarios(&self) -> Option<Vec<Scenario>> {
        self.scenarios.as_ref().map(|list| {
            list.iter()
                .map(|s| Scenario {
                    name: s.name.clone(),
                    overrides: s.overrides.0.clone(),
                })
                .collect()
        })
    }
}

fn bad_request(message: String) -> ErrorBody {
    ErrorBody::from(Error::BadRequest { message })
}

/// A JSON object's keys and values as they are written, in order (the
/// values not read).
struct Raw<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a plan request (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(pair) = map.next_entry::<String, &'de RawValue>()? {
                    out.push(pair);
                }
                Ok(Raw(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A plan request taken apart: the budget request (its JSON text, the
/// other keys as written, its tables not read here, `year` added when
/// absent) and the plan spec's.
fn split(request: &[u8]) -> Result<(String, String), ErrorBody> {
    let raw: Raw = serde_json::from_slice(request).map_err(|e| bad_request(e.to_string()))?;
    let (mut rest, mut spec) = (String::from("{"), String::from("{"));
    let mut has_year = false;
    let mut first_year: Option<String> = None;
    let push = |out: &mut String, key: &str, value: &str| -> Result<(), ErrorBody> {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).map_err(|e| bad_request(e.to_string()))?);
        out.push(':');
        out.push_str(value);
        Ok(())
    };
    for (key, value) in &raw.0 {
        match key.as_str() {
            "years" | "assumptions" | "scenarios" => {
                if key == "years" {
                    let years: Years = serde_json::from_slice(value.get().as_bytes())
                        .map_err(|e| bad_request(format!("`years`: {e}")))?;
                    first_year = years.0.first().map(i32::to_string);
                }
                push(&mut spec, key, value.get())?;
            }
            other => {
                has_year |= other == "year";
                push(&mut rest, other, value.get())?;
            }
        }
    }
    if let (false, Some(first)) = (has_year, first_year) {
        push(&mut rest, "year", &first)?;
    }
    rest.push('}');
    spec.push('}');
    Ok((rest, spec))
}

fn plan_spec(spec: &[u8]) -> Result<PlanSpec, ErrorBody> {
    serde_json::from_slice(spec).map_err(|e| {
        let message = e.to_string();
        if message.contains("missing field `years`") {
            bad_request("a plan request needs `years` (a list, or {from, to})".into())
        } else {
            bad_request(message)
        }
    })
}

/// A plan (or, with `scenarios`, a sweep) from one JSON request: the JSON
/// of [`crate::plan::Plan`] or [`crate::plan::Sweep`].
///
/// # Errors
/// An [`ErrorBody`]: `bad_request` for a request that is not one, and any
/// error of the plan.
pub fn plan_json<R: AsRef<[u8]> + ?Sized>(request: &R) -> Result<String, ErrorBody> {
    let (rest, spec) = split(request.as_ref())?;
    plan_parts_json(&rest, &spec)
}

/// [`plan_json`] of a budget request (with its `year`: the first year) and
/// a [`PlanSpec`] (`{years, assumptions?, scenarios?}`), apart.
///
/// # Errors
/// As [`plan_json`].
pub fn plan_parts_json<R: AsRef<[u8]> + ?Sized, S: AsRef<[u8]> + ?Sized>(
    request: &R,
    spec: &S,
) -> Result<String, ErrorBody> {
    let spec = plan_spec(spec.as_ref())?;
    let req = parse_request(request)?;
    let policy = load_policy(&req.policy, &req.overrides)?;
    let frame = Arc::new(read_frame(&req)?);
    let opts = options(&req)?;
    let years = &spec.years.0;
    let text = match spec.scenarios() {
        None => serde_json::to_string(&policy.plan(frame, years, &spec.assumptions, &opts)?),
        Some(scenarios) => serde_json::to_string(&policy.sweep(
            frame,
            &scenarios,
            years,
            &spec.assumptions,
            &opts,
        )?),
    };
    text.map_err(|e| bad_request(e.to_string()))
}

/// One year's full budget of a plan request (of `scenario` of a sweep,
/// `None` or `baseline` for the policy as it is): `{"budget": …}` as
/// [`super::compute_json`] answers.
///
/// # Errors
/// As [`plan_json`]; `bad_request` for a scenario the request does not
/// name, `out_of_range` for a year not in its `years`.
pub fn plan_budget_json<R: AsRef<[u8]> + ?Sized>(
    request: &R,
    year: i32,
    scenario: Option<&str>,
) -> Result<String, ErrorBody> {
    let (rest, spec) = split(request.as_ref())?;
    plan_budget_parts_json(&rest, &spec, year, scenario)
}

/// [`plan_budget_json`] of a budget request and a plan spec, apart.
///
/// # Errors
/// As [`plan_budget_json`].
pub fn plan_budget_parts_json<R: AsRef<[u8]> + ?Sized, S: AsRef<[u8]> + ?Sized>(
    request: &R,
    spec: &S,
    year: i32,
    scenario: Option<&str>,
) -> Result<String, ErrorBody> {
    let spec = plan_spec(spec.as_ref())?;
    let req = parse_request(request)?;
    let mut policy = load_policy(&req.policy, &req.overrides)?;
    if let Some(name) = scenario.filter(|s| *s != crate::plan::BASELINE) {
        let s = spec
            .scenarios
            .iter()
            .flatten()
            .find(|s| s.name == name)
            .ok_or_else(|| bad_request(format!("no scenario `{name}` in the request")))?;
        let pairs: Vec<(&str, &str)> = s
            .overrides
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        policy = policy.with_overrides(&pairs)?;
    }
    let frame = Arc::new(read_frame(&req)?);
    let opts = options(&req)?;
    let budget = policy.plan_year(frame, &spec.years.0, &spec.assumptions, &opts, year)?;
    serde_json::to_string(&super::Response {
        budget: &budget,
        explanations: None,
    })
    .map_err(|e| bad_request(e.to_string()))
}
