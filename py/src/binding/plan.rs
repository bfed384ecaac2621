//! Plans and sweeps for Python (`shequ.Policy.plan`, `shequ.Policy.sweep`,
//! wrapped in `python/shequ/_plan.py`): the tables read as for a budget,
//! the years computed by the core with the interpreter released (a sweep's
//! scenarios on all cores), the totals out as Arrow tables with money as
//! `decimal128(18, 2)`.

use super::errors::{bad_argument, catch, guard, raise, CoreError, CoreResult};
use super::output::to_pyarrow;
use super::{notes, options, read_start, PyBudget, PyPolicy};
use arrow_array::builder::{Decimal128Builder, Int32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList};
use rust_decimal::Decimal;
use shequ::plan::{Assumptions, PlanRow, RowChange, Scenario};
use std::sync::Arc;

/// What every column of money is.
const PRECISION: u8 = 18;
const LIMIT: i128 = 1_000_000_000_000_000_000;

fn bug(e: impl std::fmt::Display) -> CoreError {
    bad_argument(format!("internal error building a table: {e}"))
}

fn fen(d: Decimal) -> CoreResult<i128> {
    let mut x = d;
    x.rescale(2);
    let m = x.mantissa();
    if m.abs() >= LIMIT || x != d {
        return Err(CoreError(shequ::Error::Overflow {
            context: format!("a table column: `{d}` yuan does not fit decimal128(18, 2)"),
        }));
    }
    Ok(m)
}

/// A table's columns as they are built.
enum Col {
    Text(StringBuilder, bool),
    Year(Int32Builder),
    Money(Decimal128Builder),
}

struct Table {
    names: Vec<&'static str>,
    cols: Vec<Col>,
}

impl Table {
    fn new(spec: &[(&'static str, char)]) -> CoreResult<Self> {
        let mut cols = Vec::new();
        for (_, kind) in spec {
            cols.push(match kind {
                'y' => Col::Year(Int32Builder::new()),
                'm' => Col::Money(
                    Decimal128Builder::new()
                        .with_precision_and_scale(PRECISION, 2)
                        .map_err(bug)?,
                ),
                'n' => Col::Text(StringBuilder::new(), true),
                _ => Col::Text(StringBuilder::new(), false),
            });
        }
        Ok(Table {
            names: spec.iter().map(|(n, _)| *n).collect(),
            cols,
        })
    }

    fn text(&mut self, k: usize, v: Option<&str>) {
        if let Some(Col::Text(b, _)) = self.cols.get_mut(k) {
            b.append_option(v);
        }
    }

    fn year(&mut self, k: usize, v: i32) {
        if let Some(Col::Year(b)) = self.cols.get_mut(k) {
            b.append_value(v);
        }
    }

    fn money(&mut self, k: usize, v: Decimal) -> CoreResult<()> {
        if let Some(Col::Money(b)) = self.cols.get_mut(k) {
            b.append_value(fen(v)?);
        }
        Ok(())
    }

    fn finish(self, meta: &[(&str, String)]) -> CoreResult<(RecordBatch, Arc<Schema>)> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (name, col) in self.names.into_iter().zip(self.cols) {
            match col {
                Col::Text(mut b, nullable) => {
                    fields.push(Field::new(name, DataType::Utf8, nullable));
                    arrays.push(Arc::new(b.finish()));
                }
                Col::Year(mut b) => {
                    fields.push(Field::new(name, DataType::Int32, false));
                    arrays.push(Arc::new(b.finish()));
                }
                Col::Money(mut b) => {
                    fields.push(Field::new(name, DataType::Decimal128(PRECISION, 2), false));
                    arrays.push(Arc::new(b.finish()));
                }
            }
        }
        let meta = meta
            .iter()
            .map(|(k, v)| (format!("shequ.{k}"), v.clone()))
            .collect();
        let schema = Arc::new(Schema::new_with_metadata(fields, meta));
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(bug)?;
        Ok((batch, schema))
    }
}

/// `[scenario,] year, payer, rule, district, amount`.
fn rows_table<'a>(
    rows: impl Iterator<Item = (Option<&'a str>, PlanRow<'a>)>,
    with_scenario: bool,
    meta: &[(&str, String)],
) -> CoreResult<(RecordBatch, Arc<Schema>)> {
    let mut spec = Vec::new();
    if with_scenario {
        spec.push(("scenario", 's'));
    }
    spec.extend([
        ("year", 'y'),
        ("payer", 's'),
        ("rule", 's'),
        ("district", 'n'),
        ("amount", 'm'),
    ]);
    let mut t = Table::new(&spec)?;
    let o = usize::from(with_scenario);
    for (scenario, r) in rows {
        if with_scenario {
            t.text(0, scenario);
        }
        t.year(o, r.year);
        t.text(o + 1, Some(r.payer));
        t.text(o + 2, Some(r.rule));
        t.text(o + 3, r.district);
        t.money(o + 4, r.amount)?;
    }
    t.finish(meta)
}

/// `[scenario,] year, payer, rule, district, <before>, amount, change`.
fn changes_table(
    rows: &[RowChange],
    before: &'static str,
    meta: &[(&str, String)],
) -> CoreResult<(RecordBatch, Arc<Schema>)> {
    let with_scenario = rows.first().is_some_and(|r| r.scenario.is_some()) || before == "baseline";
    let mut spec = Vec::new();
    if with_scenario {
        spec.push(("scenario", 's'));
    }
    spec.extend([
        ("year", 'y'),
        ("payer", 's'),
        ("rule", 's'),
        ("district", 'n'),
        (before, 'm'),
        ("amount", 'm'),
        ("change", 'm'),
    ]);
    let mut t = Table::new(&spec)?;
    let o = usize::from(with_scenario);
    for r in rows {
        if with_scenario {
            t.text(0, r.scenario.as_deref());
        }
        t.year(o, r.year);
        t.text(o + 1, Some(&r.payer));
        t.text(o + 2, Some(&r.rule));
        t.text(o + 3, r.district.as_deref());
        t.money(o + 4, r.before)?;
        t.money(o + 5, r.amount)?;
        t.money(o + 6, r.change)?;
    }
    t.finish(meta)
}

fn meta(policy: &shequ::Policy) -> Vec<(&'static str, String)> {
    vec![
        ("policy", policy.id().to_string()),
        ("policy_version", policy.version().to_string()),
        ("document", policy.document().to_string()),
    ]
}

fn assumptions(json: Option<&str>) -> CoreResult<Assumptions> {
    match json {
        None => Ok(Assumptions::default()),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| bad_argument(format!("`assumptions`: {e}")))
        }
    }
}

/// A multi-year plan.
#[pyclass(frozen, module = "shequ._native", name = "Plan")]
pub struct PyPlan {
    inner: Arc<shequ::plan::Plan>,
}

#[pymethods]
impl PyPlan {
    /// The years, in order.
    #[getter]
    fn years(&self) -> Vec<i32> {
        self.inner.years().to_vec()
    }
    /// The policy it was computed under (its assumptions written in).
    #[getter]
    fn policy(&self) -> PyPolicy {
        PyPolicy {
            inner: self.inner.policy().clone(),
        }
    }
    /// The payers of its totals, in the policy's order.
    #[getter]
    fn payers(&self) -> Vec<String> {
        self.inner.payers().to_vec()
    }
    /// `year, payer, rule, district, amount` as a `pyarrow.Table`.
    fn totals_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = &self.inner;
        let built = guard(py, || {
            rows_table(p.rows().map(|r| (None, r)), false, &meta(p.policy()))
        })?;
        to_pyarrow(py, built)
    }
    /// The year-on-year changes: `year, payer, rule, district, before,
    /// amount, change`.
    fn changes_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = &self.inner;
        let built = guard(py, || -> CoreResult<_> {
            changes_table(&p.changes()?, "before", &meta(p.policy()))
        })?;
        to_pyarrow(py, built)
    }
    /// `year`'s full budget, computed again.
    fn budget(&self, py: Python<'_>, year: i32) -> PyResult<PyBudget> {
        let p = Arc::clone(&self.inner);
        let outcome = py.detach(move || catch(|| -> CoreResult<_> { Ok(p.budget(year)?) }));
        Ok(PyBudget {
            inner: Arc::new(raise(py, outcome)?),
        })
    }
    /// `year`'s warnings as dicts.
    fn warnings<'py>(&self, py: Python<'py>, year: i32) -> PyResult<Bound<'py, PyList>> {
        notes(py, self.inner.warnings(year))
    }
    /// The plan as JSON (as the JSON boundary answers it).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let p = Arc::clone(&self.inner);
        guard(py, || {
            serde_json::to_string(&*p).map_err(|e| bad_argument(e.to_string()))
        })
    }
    fn __repr__(&self) -> String {
        format!(
            "<shequ._native.Plan {} {:?}>",
            self.inner.policy().id(),
            self.inner.years()
        )
    }
}

/// A sweep of scenarios against a baseline.
#[pyclass(frozen, module = "shequ._native", name = "Sweep")]
pub struct PySweep {
    inner: Arc<shequ::plan::Sweep>,
}

#[pymethods]
impl PySweep {
    /// The scenarios' names, `baseline` first.
    #[getter]
    fn scenarios(&self) -> Vec<String> {
        self.inner.scenarios().to_vec()
    }
    /// `scenario, year, payer, rule, district, amount` as a `pyarrow.Table`.
    fn totals_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = &self.inner;
        let built = guard(py, || -> CoreResult<_> {
            let base = s
                .baseline()
                .ok_or_else(|| bad_argument("a sweep without a baseline".into()))?;
            rows_table(
                s.rows().map(|r| (Some(r.scenario), r.row)),
                true,
                &meta(base.policy()),
            )
        })?;
        to_pyarrow(py, built)
    }
    /// Each scenario against the baseline: `scenario, year, payer, rule,
    /// district, baseline, amount, change`.
    fn diff_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = &self.inner;
        let built = guard(py, || -> CoreResult<_> {
            let base = s
                .baseline()
                .ok_or_else(|| bad_argument("a sweep without a baseline".into()))?;
            changes_table(&s.diff()?, "baseline", &meta(base.policy()))
        })?;
        to_pyarrow(py, built)
    }
    /// A scenario's plan.
    fn plan(&self, scenario: &str) -> PyResult<PyPlan> {
        let plan = self
            .inner
            .plan(scenario)
            .ok_or_else(|| super::errors::unknown_key("scenario", scenario))?;
        Ok(PyPlan {
            inner: Arc::new(plan.clone()),
        })
    }
    /// The sweep as JSON.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let s = Arc::clone(&self.inner);
        guard(py, || {
            serde_json::to_string(&*s).map_err(|e| bad_argument(e.to_string()))
        })
    }
    fn __repr__(&self) -> String {
        format!("<shequ._native.Sweep {:?}>", self.inner.scenarios())
    }
}

/// What a plan and a sweep both start from: the options of their first
/// year (as a budget's), the assumptions, and the tables read as for a
/// budget, with the policy and its headers to finish reading them.
struct Start {
    opts: shequ::BudgetOptions,
    assumed: Assumptions,
    parts: super::tables::Parts,
    policy: shequ::Policy,
    headers: shequ::read::Headers,
}

impl Start {
    /// `others` are the people and the adjustments; `words` the quota,
    /// ratings and unknown-posts options.
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        policy: &PyPolicy,
        communities: &Bound<'_, PyAny>,
        others: [Option<&Bound<'_, PyAny>>; 2],
        years: &[i32],
        assumptions: Option<&str>,
        words: [&str; 3],
        max_households: Option<&Bound<'_, PyInt>>,
        parameters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Start> {
        let [quota, ratings, unknown_posts] = words;
        let first = years
            .first()
            .copied()
            .unwrap_or_default()
            .into_pyobject(py)?;
        let opts = options(
            &first,
            None,
            quota,
            ratings,
            max_households,
            parameters,
            unknown_posts,
        )?;
        let assumed = self::assumptions(assumptions)?;
        let [people, adjustments] = others;
        let parts = read_start(py, communities, people, adjustments)?;
        let policy = policy.inner.clone();
        let headers = policy.headers();
        Ok(Start {
            opts,
            assumed,
            parts,
            policy,
            headers,
        })
    }
}

/// The plan of `policy` over `years` (the tables read as for a budget;
/// `assumptions` as JSON).
#[pyfunction]
#[pyo3(signature = (policy, communities, people = None, adjustments = None, *, years, assumptions = None, quota = "error", ratings = "auto", max_households = None, parameters = None, unknown_posts = "error"))]
#[allow(clippy::too_many_arguments)]
pub fn plan(
    py: Python<'_>,
    policy: &PyPolicy,
    communities: &Bound<'_, PyAny>,
    people: Option<&Bound<'_, PyAny>>,
    adjustments: Option<&Bound<'_, PyAny>>,
    years: Vec<i32>,
    assumptions: Option<&str>,
    quota: &str,
    ratings: &str,
    max_households: Option<&Bound<'_, PyInt>>,
    parameters: Option<&Bound<'_, PyDict>>,
    unknown_posts: &str,
) -> PyResult<PyPlan> {
    let start = Start::new(
        py,
        policy,
        communities,
        [people, adjustments],
        &years,
        assumptions,
        [quota, ratings, unknown_posts],
        max_households,
        parameters,
    )?;
    let outcome = py.detach(move || {
        catch(|| -> CoreResult<_> {
            let frame = Arc::new(start.parts.finish(&start.headers)?);
            Ok(start
                .policy
                .plan(frame, &years, &start.assumed, &start.opts)?)
        })
    });
    Ok(PyPlan {
        inner: Arc::new(raise(py, outcome)?),
    })
}

/// The sweep of `scenarios` (`[(name, [(path, value), …]), …]`) against
/// `policy`, over `years`, on all cores.
#[pyfunction]
#[pyo3(signature = (policy, scenarios, communities, people = None, adjustments = None, *, years, assumptions = None, quota = "error", ratings = "auto", max_households = None, parameters = None, unknown_posts = "error"))]
#[allow(clippy::too_many_arguments)]
pub fn sweep(
    py: Python<'_>,
    policy: &PyPolicy,
    scenarios: Vec<(String, Vec<(String, String)>)>,
    communities: &Bound<'_, PyAny>,
    people: Option<&Bound<'_, PyAny>>,
    adjustments: Option<&Bound<'_, PyAny>>,
    years: Vec<i32>,
    assumptions: Option<&str>,
    quota: &str,
    ratings: &str,
    max_households: Option<&Bound<'_, PyInt>>,
    parameters: Option<&Bound<'_, PyDict>>,
    unknown_posts: &str,
) -> PyResult<PySweep> {
    let scenarios: Vec<Scenario> = scenarios
        .into_iter()
        .map(|(name, overrides)| Scenario { name, overrides })
        .collect();
    let start = Start::new(
        py,
        policy,
        communities,
        [people, adjustments],
        &years,
        assumptions,
        [quota, ratings, unknown_posts],
        max_households,
        parameters,
    )?;
    let outcome = py.detach(move || {
        catch(|| -> CoreResult<_> {
            let frame = Arc::new(start.parts.finish(&start.headers)?);
            Ok(start
                .policy
                .sweep(frame, &scenarios, &years, &start.assumed, &start.opts)?)
        })
    });
    Ok(PySweep {
        inner: Arc::new(raise(py, outcome)?),
    })
}

/// A policy's text, origin and overrides: what gives it again (to send a
/// policy to another process, e.g. a Dask worker).
#[pyfunction]
pub fn policy_state(policy: &PyPolicy) -> (String, String, Vec<(String, String)>) {
    let p = &policy.inner;
    (
        p.text().to_string(),
        p.origin().to_string(),
        p.overrides().to_vec(),
    )
}

/// The policy [`policy_state`] describes.
#[pyfunction]
pub fn policy_from_state(
    py: Python<'_>,
    text: &str,
    origin: &str,
    overrides: Vec<(String, String)>,
) -> PyResult<PyPolicy> {
    let base = origin.strip_suffix(" (with overrides)").unwrap_or(origin);
    guard(py, || -> CoreResult<_> {
        let policy = shequ::Policy::from_toml(text, base)?;
        if overrides.is_empty() {
            return Ok(PyPolicy { inner: policy });
        }
        let pairs: Vec<(&str, &str)> = overrides
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Ok(PyPolicy {
            inner: policy.with_overrides(&pairs)?,
        })
    })
}
