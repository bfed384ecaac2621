//! `shequ._native`: the Python binding. It converts arguments, calls the core
//! and maps errors; no rule, rounding or default lives here. The public API
//! (`shequ.Policy`, `shequ.Budget`, …) wraps these classes in
//! `python/shequ/_api.py`.

mod errors;
mod output;
mod plan;
mod samples;
mod sheets;
mod tables;

use errors::{bad_argument, catch, guard, internal, raise, unknown_key, CoreError, CoreResult};
use output::{By, OutputError};
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList};
use rust_decimal::Decimal;
use shequ::error::InputError;
use shequ::options::UnknownPosts;
use shequ::{ffi, BudgetOptions, Lang, QuotaMode, RatingSource};
use std::sync::Arc;
use tables::{Parts, Table};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

impl From<OutputError> for PyErr {
    fn from(e: OutputError) -> PyErr {
        match e {
            OutputError::Bug(m) => Python::attach(|py| {
                internal(py, format!("internal error in shequ (please report): {m}"))
            }),
            OutputError::TooLarge(d) => PyErr::from(CoreError(shequ::Error::Overflow {
                context: format!("a table column: `{d}` yuan does not fit decimal128(18, 2)"),
            })),
        }
    }
}

fn lang(s: &str) -> CoreResult<Lang> {
    s.parse::<Lang>().map_err(bad_argument)
}

fn by(s: &str) -> CoreResult<By> {
    By::parse(s).ok_or_else(|| {
        bad_argument(format!(
            "`by` must be `payer`, `rule`, `community` or `community,payer`, got `{s}`"
        ))
    })
}

/// A whole-number keyword argument (`int`, as the signature says: anything
/// else is pyo3's `TypeError`) as the core holds it; one too large for that
/// is `out_of_range` naming the argument, never an `OverflowError`.
fn whole<T: TryFrom<i64>>(value: &Bound<'_, PyInt>, name: &str) -> CoreResult<T> {
    value
        .extract::<i64>()
        .ok()
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| {
            CoreError::from(InputError::new(
                shequ::error::InputErrorCode::OutOfRange,
                shequ::error::RecordRef::request(),
                name,
                format!("`{value}` is out of range for `{name}`"),
            ))
        })
}

/// Text a caller passed, as Rust text: a string that is not valid Unicode
/// (a lone surrogate) is `bad_request` naming `what`, never a
/// `UnicodeEncodeError`.
fn unicode(s: &Bound<'_, pyo3::types::PyString>, what: &str) -> CoreResult<String> {
    s.extract::<String>().map_err(|_| {
        bad_argument(format!(
            "{what} is not valid Unicode (it holds a lone surrogate): `{}`",
            s.to_string_lossy()
        ))
    })
}

/// Budget options from keyword arguments: the words through the core's
/// own `FromStr`s, dates and numbers through its value rules, as in every
/// front-end.
#[allow(clippy::too_many_arguments)]
fn options(
    year: &Bound<'_, PyInt>,
    as_of: Option<&Bound<'_, PyAny>>,
    quota: &str,
    ratings: &str,
    max_households: Option<&Bound<'_, PyInt>>,
    parameters: Option<&Bound<'_, PyDict>>,
    unknown_posts: &str,
) -> CoreResult<BudgetOptions> {
    let mut o = BudgetOptions::year(whole(year, "year")?)
        .quota(quota.parse::<QuotaMode>().map_err(bad_argument)?)
        .ratings(ratings.parse::<RatingSource>().map_err(bad_argument)?)
        .unknown_posts(
            unknown_posts
                .parse::<UnknownPosts>()
                .map_err(bad_argument)?,
        );
    if let Some(value) = as_of {
        let date = shequ::read::value::date(tables::py_cell(value), "as_of").map_err(|p| {
            CoreError::from(InputError::new(
                p.code,
                shequ::error::RecordRef::request(),
                "as_of",
                p.message,
            ))
        })?;
        if let Some(d) = date {
            o = o.as_of(d);
        }
    }
    if let Some(m) = max_households {
        o.max_households = whole(m, "max_households")?;
    }
    if let Some(params) = parameters {
        for (name, value) in params.iter() {
            let name: String = name
                .str()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(v) = ffi::parameter(&name, tables::py_cell(&value))? {
                o = o.parameter(&name, v);
            }
        }
    }
    Ok(o)
}

/// A validated policy.
#[pyclass(frozen, module = "shequ._native", name = "Policy")]
pub struct PyPolicy {
    inner: shequ::Policy,
}

#[pymethods]
impl PyPolicy {
    /// A built-in policy by id.
    #[staticmethod]
    fn builtin(py: Python<'_>, id: &str) -> PyResult<Self> {
        guard(py, || {
            Ok::<_, CoreError>(PyPolicy {
                inner: shequ::Policy::builtin(id)?,
            })
        })
    }

    /// Parse and validate a policy from TOML text; `origin` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<text>"))]
    fn from_toml(
        py: Python<'_>,
        text: &Bound<'_, pyo3::types::PyString>,
        origin: &str,
    ) -> PyResult<Self> {
        let text = unicode(text, "the policy text")?;
        guard(py, || {
            Ok::<_, CoreError>(PyPolicy {
                inner: shequ::Policy::from_toml(&text, origin)?,
            })
        })
    }

    /// Ids of the built-in policies.
    #[staticmethod]
    fn builtin_ids() -> Vec<&'static str> {
        shequ::Policy::builtin_ids()
    }

    /// A copy with values replaced: `[(path, value), …]`.
    fn with_overrides(&self, py: Python<'_>, overrides: Vec<(String, String)>) -> PyResult<Self> {
        let pairs: Vec<(&str, &str)> = overrides
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        guard(py, || {
            Ok::<_, CoreError>(PyPolicy {
                inner: self.inner.with_overrides(&pairs)?,
            })
        })
    }

    /// The policy id.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }
    /// The policy version.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }
    /// The document number.
    #[getter]
    fn document(&self) -> &str {
        self.inner.document()
    }
    /// Where the text came from.
    #[getter]
    fn origin(&self) -> &str {
        self.inner.origin()
    }
    /// The TOML text it was read from (for a policy with overrides, the
    /// text before them).
    #[getter]
    fn text(&self) -> &str {
        self.inner.text()
    }

    /// The parsed policy file as JSON.
    fn file_json(&self) -> PyResult<String> {
        serde_json::to_string(self.inner.file())
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
    }

    /// Compute a budget.
    #[pyo3(signature = (communities, people = None, adjustments = None, *, year, as_of = None, quota = "error", ratings = "auto", max_households = None, parameters = None, unknown_posts = "error"))]
    #[allow(clippy::too_many_arguments)]
    fn budget(
        &self,
        py: Python<'_>,
        communities: &Bound<'_, PyAny>,
        people: Option<&Bound<'_, PyAny>>,
        adjustments: Option<&Bound<'_, PyAny>>,
        year: &Bound<'_, PyInt>,
        as_of: Option<&Bound<'_, PyAny>>,
        quota: &str,
        ratings: &str,
        max_households: Option<&Bound<'_, PyInt>>,
        parameters: Option<&Bound<'_, PyDict>>,
        unknown_posts: &str,
    ) -> PyResult<PyBudget> {
        let opts = options(
            year,
            as_of,
            quota,
            ratings,
            max_households,
            parameters,
            unknown_posts,
        )?;
        let budget = self.on_input(
            py,
            communities,
            people,
            adjustments,
            move |policy, input| Ok(policy.budget_of(Arc::new(input), &opts)?),
        )?;
        Ok(PyBudget {
            inner: Arc::new(budget),
        })
    }

    /// The compliance report as JSON.
    #[pyo3(signature = (communities, people = None, adjustments = None, *, year, as_of = None, quota = "error", ratings = "auto", max_households = None, parameters = None, unknown_posts = "error"))]
    #[allow(clippy::too_many_arguments)]
    fn compliance_json(
        &self,
        py: Python<'_>,
        communities: &Bound<'_, PyAny>,
        people: Option<&Bound<'_, PyAny>>,
        adjustments: Option<&Bound<'_, PyAny>>,
        year: &Bound<'_, PyInt>,
        as_of: Option<&Bound<'_, PyAny>>,
        quota: &str,
        ratings: &str,
        max_households: Option<&Bound<'_, PyInt>>,
        parameters: Option<&Bound<'_, PyDict>>,
        unknown_posts: &str,
    ) -> PyResult<String> {
        let opts = options(
            year,
            as_of,
            quota,
            ratings,
            max_households,
            parameters,
            unknown_posts,
        )?;
        self.on_input(
            py,
            communities,
            people,
            adjustments,
            move |policy, input| {
                let report = policy.compliance_of(&input, &opts)?;
                serde_json::to_string(&report).map_err(|e| bad_argument(e.to_string()))
            },
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<shequ._native.Policy {} {} ({})>",
            self.inner.id(),
            self.inner.version(),
            self.inner.document()
        )
    }
}

impl PyPolicy {
    /// Read the tables (with the interpreter held), then run `f` on the input
    /// with it released, turning a panic into `InternalError`.
    fn on_input<T: Send>(
        &self,
        py: Python<'_>,
        communities: &Bound<'_, PyAny>,
        people: Option<&Bound<'_, PyAny>>,
        adjustments: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(&shequ::Policy, shequ::Frame) -> CoreResult<T> + Send,
    ) -> PyResult<T> {
        let parts = read_start(py, communities, people, adjustments)?;
        let policy = self.inner.clone();
        let outcome = py.detach(move || {
            catch(|| -> CoreResult<T> {
                let input = parts.finish(&policy.headers())?;
                f(&policy, input)
            })
        });
        raise(py, outcome)
    }
}

fn read_start(
    py: Python<'_>,
    communities: &Bound<'_, PyAny>,
    people: Option<&Bound<'_, PyAny>>,
    adjustments: Option<&Bound<'_, PyAny>>,
) -> PyResult<Parts> {
    let c = Table::from_py("communities", Some(communities))?;
    let p = Table::from_py("people", people)?;
    let a = Table::from_py("adjustments", adjustments)?;
    guard(py, || Parts::start(c, p, a))
}

/// An id as Python holds it: an `int` for a whole-number id, else `str`.
pub(crate) fn id_py<'py>(py: Python<'py>, id: &shequ::Id) -> PyResult<Bound<'py, PyAny>> {
    match id {
        shequ::Id::Int(i) => Ok(i.into_pyobject(py)?.into_any()),
        shequ::Id::Text(t) => Ok(pyo3::types::PyString::new(py, t).into_any()),
    }
}

fn opt_id_py<'py>(py: Python<'py>, id: Option<&shequ::Id>) -> PyResult<Option<Bound<'py, PyAny>>> {
    id.map(|i| id_py(py, i)).transpose()
}

/// A community or person given as `str` or `int`, as its id's text.
fn id_text(v: &Bound<'_, PyAny>) -> String {
    v.str()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn note_dict<'py>(
    py: Python<'py>,
    n: &shequ::notes::Note,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", n.code)?;
    d.set_item("community", opt_id_py(py, n.community.as_ref())?)?;
    d.set_item("person", opt_id_py(py, n.person.as_ref())?)?;
    d.set_item("rule", n.rule.as_deref())?;
    d.set_item("clause", n.clause.as_deref())?;
    d.set_item("zh", &n.zh)?;
    d.set_item("en", &n.en)?;
    Ok(d)
}

fn notes<'py>(py: Python<'py>, list: &[shequ::notes::Note]) -> PyResult<Bound<'py, PyList>> {
    let items = list
        .iter()
        .map(|n| note_dict(py, n))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// A computed budget.
#[pyclass(frozen, module = "shequ._native", name = "Budget")]
pub struct PyBudget {
    inner: Arc<shequ::Budget>,
}

#[pymethods]
impl PyBudget {
    /// The policy it was computed under.
    #[getter]
    fn policy(&self) -> Option<PyPolicy> {
        Some(PyPolicy {
            inner: self.inner.policy().clone(),
        })
    }
    /// Policy id.
    #[getter]
    fn policy_id(&self) -> &str {
        &self.inner.policy
    }
    /// Policy version.
    #[getter]
    fn policy_version(&self) -> &str {
        &self.inner.policy_version
    }
    /// Document number.
    #[getter]
    fn document(&self) -> &str {
        &self.inner.document
    }
    /// Budget year.
    #[getter]
    fn year(&self) -> i32 {
        self.inner.year
    }
    /// Year-to-date cut-off.
    #[getter]
    fn as_of(&self) -> Option<chrono::NaiveDate> {
        self.inner.as_of
    }
    /// Everything owed.
    #[getter]
    fn overall(&self) -> Decimal {
        self.inner.totals.overall
    }
    /// Number of items.
    fn __len__(&self) -> usize {
        self.inner.items.len()
    }
    /// Totals `by` payer, rule or community, in the core's order
    /// (community ids as given: `int` or `str`).
    fn totals<'py>(
        &self,
        py: Python<'py>,
        by: &str,
    ) -> PyResult<Vec<(Bound<'py, PyAny>, Decimal)>> {
        let b = &self.inner;
        match self::by(by)? {
            By::Payer => b
                .totals
                .by_payer
                .iter()
                .map(|(k, v)| Ok((pyo3::types::PyString::new(py, k).into_any(), *v)))
                .collect(),
            By::Rule => b
                .totals
                .by_rule
                .iter()
                .map(|(k, v)| Ok((pyo3::types::PyString::new(py, k).into_any(), *v)))
                .collect(),
            By::Community => b
                .community_totals()
                .map(|(k, v)| Ok((id_py(py, &k)?, v)))
                .collect(),
            By::CommunityPayer => Err(bad_argument(
                "`totals` is keyed by one thing: use `totals_frame(by=(\"community\", \"payer\"))`"
                    .into(),
            )
            .into()),
        }
    }
    /// The per-payer view as a `pyarrow.Table`.
    fn lines_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let b = self.inner.clone();
        let built = raise(py, py.detach(move || catch(|| output::lines(&b))))?;
        output::to_pyarrow(py, built)
    }
    /// The item view as a `pyarrow.Table`, with explanations in `explain`
    /// (`zh` or `en`) when given.
    #[pyo3(signature = (explain = None))]
    fn items_arrow<'py>(
        &self,
        py: Python<'py>,
        explain: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lang = explain.map(lang).transpose()?;
        let b = self.inner.clone();
        let built = raise(py, py.detach(move || catch(|| output::items(&b, lang))))?;
        output::to_pyarrow(py, built)
    }
    /// Totals as a `pyarrow.Table`.
    fn totals_arrow<'py>(&self, py: Python<'py>, by: &str) -> PyResult<Bound<'py, PyAny>> {
        let by = self::by(by)?;
        let built = guard(py, || output::totals(&self.inner, by))?;
        output::to_pyarrow(py, built)
    }
    /// The clause-by-clause story of one community (its id as given: `str`
    /// or `int`).
    #[pyo3(signature = (community, lang = "zh"))]
    fn explain(
        &self,
        py: Python<'_>,
        community: &Bound<'_, PyAny>,
        lang: &str,
    ) -> PyResult<String> {
        let l = self::lang(lang)?;
        let id = id_text(community);
        guard(py, || Ok::<_, CoreError>(self.inner.explain(&id, l)))?
            .ok_or_else(|| unknown_key("community", &id))
    }
    /// The story of one person (their id as given: `str` or `int`): their
    /// posts, what they are paid and why, what not and why.
    #[pyo3(signature = (person, lang = "zh"))]
    fn explain_person(
        &self,
        py: Python<'_>,
        person: &Bound<'_, PyAny>,
        lang: &str,
    ) -> PyResult<String> {
        let l = self::lang(lang)?;
        let id = id_text(person);
        guard(py, || Ok::<_, CoreError>(self.inner.explain_person(&id, l)))?
            .ok_or_else(|| unknown_key("person", &id))
    }
    /// The Excel report, as the bytes of an `.xlsx` file (the core's
    /// workbook: the same bytes as every front-end's).
    #[pyo3(signature = (lang = "zh"))]
    fn to_xlsx<'py>(
        &self,
        py: Python<'py>,
        lang: &str,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let l = self::lang(lang)?;
        let b = self.inner.clone();
        let bytes = raise(
            py,
            py.detach(move || catch(|| b.to_xlsx(l).map_err(CoreError::from))),
        )?;
        Ok(pyo3::types::PyBytes::new(py, &bytes))
    }
    /// The printout the command line shows (`shequ::report::text::budget`):
    /// totals by payer and rule, the quota check, the `top` communities and
    /// items owed most, warnings and what is not paid.
    #[pyo3(signature = (lang = "zh", top = 10))]
    fn printout(&self, py: Python<'_>, lang: &str, top: usize) -> PyResult<String> {
        let l = self::lang(lang)?;
        let b = self.inner.clone();
        raise(
            py,
            py.detach(move || {
                catch(|| {
                    Ok::<_, CoreError>(shequ::report::text::budget(
                        &shequ::report::Report::without_compliance(&b, l),
                        top,
                    ))
                })
            }),
        )
    }
    /// The line items as CSV text (UTF-8 with a byte-order mark).
    #[pyo3(signature = (lang = "zh"))]
    fn items_csv(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let l = self::lang(lang)?;
        let b = self.inner.clone();
        raise(
            py,
            py.detach(move || catch(|| Ok::<_, CoreError>(shequ::report::items_csv(&b, l)))),
        )
    }
    /// One item in one sentence.
    #[pyo3(signature = (index, lang = "zh"))]
    fn explain_item(&self, py: Python<'_>, index: usize, lang: &str) -> PyResult<String> {
        let l = self::lang(lang)?;
        guard(py, || Ok::<_, CoreError>(self.inner.explain_item(index, l)))?.ok_or_else(|| {
            PyIndexError::new_err(format!(
                "no item {index}: the budget has {}",
                self.inner.items.len()
            ))
        })
    }
    /// Warnings as dicts.
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        notes(py, &self.inner.warnings)
    }
    /// Exclusions ("why not paid") as dicts.
    fn exclusions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        notes(py, &self.inner.exclusion_notes())
    }
    /// How each header of the input was read, as JSON.
    fn columns_json(&self) -> PyResult<String> {
        json(&self.inner.input().columns)
    }
    /// Ratings used, as JSON.
    fn ratings_json(&self) -> PyResult<String> {
        json(&self.inner.rating_outcomes())
    }
    /// The quota check, as JSON (`null` when the policy has none).
    fn quota_json(&self) -> PyResult<String> {
        json(&self.inner.quota)
    }
    /// The whole budget as JSON (money as strings).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let b = self.inner.clone();
        let s = py.detach(move || serde_json::to_string(&*b).map_err(|e| e.to_string()));
        s.map_err(pyo3::exceptions::PyRuntimeError::new_err)
    }
    /// This budget against a baseline.
    fn diff(&self, py: Python<'_>, baseline: &PyBudget) -> PyResult<PyDiff> {
        guard(py, || {
            Ok::<_, CoreError>(PyDiff {
                inner: self.inner.diff(&baseline.inner),
            })
        })
    }
    fn __repr__(&self) -> String {
        format!(
            "<shequ._native.Budget {} {}: {} items, {} yuan>",
            self.inner.policy,
            self.inner.year,
            self.inner.items.len(),
            self.inner.totals.overall
        )
    }
}

fn json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
}

type ChangeRow<'py> = (Bound<'py, PyAny>, Decimal, Decimal, Decimal);

fn change_row<'py>(py: Python<'py>, c: &shequ::diff::Change) -> PyResult<ChangeRow<'py>> {
    Ok((id_py(py, &c.key)?, c.before, c.after, c.change))
}

/// A scenario against a baseline.
#[pyclass(frozen, module = "shequ._native", name = "BudgetDiff")]
pub struct PyDiff {
    inner: shequ::diff::BudgetDiff,
}

#[pymethods]
impl PyDiff {
    /// `(key, before, after, change)` of the whole budget.
    fn overall<'py>(&self, py: Python<'py>) -> PyResult<ChangeRow<'py>> {
        change_row(py, &self.inner.overall)
    }
    /// `(key, before, after, change)` rows `by` payer, rule or community.
    fn changes<'py>(&self, py: Python<'py>, by: &str) -> PyResult<Vec<ChangeRow<'py>>> {
        self::by(by)?
            .changes(&self.inner)
            .iter()
            .map(|c| change_row(py, c))
            .collect()
    }
    /// The changes as a `pyarrow.Table`.
    fn to_arrow<'py>(&self, py: Python<'py>, by: &str) -> PyResult<Bound<'py, PyAny>> {
        let by = self::by(by)?;
        let built = guard(py, || output::diff(&self.inner, by))?;
        output::to_pyarrow(py, built)
    }
    /// As JSON.
    fn to_json(&self) -> PyResult<String> {
        json(&self.inner)
    }
}

/// Compute a budget from a request of the JSON boundary (the same request
/// the test vectors and the web form use).
#[pyfunction]
fn compute(py: Python<'_>, request: &Bound<'_, pyo3::types::PyString>) -> PyResult<PyBudget> {
    let request = unicode(request, "the request")?;
    let outcome = py.detach(|| {
        catch(|| -> CoreResult<shequ::Budget> {
            let req = ffi::parse_request(request.as_str()).map_err(|e| {
                bad_argument(e.message.trim_start_matches("bad request: ").to_string())
            })?;
            let policy = ffi::load_policy(&req.policy, &req.overrides)?;
            let input = ffi::read_frame_with(&req, &policy.headers())?;
            Ok(policy.budget_of(Arc::new(input), &ffi::options(&req)?)?)
        })
    });
    Ok(PyBudget {
        inner: Arc::new(raise(py, outcome)?),
    })
}

/// The built-in policies as JSON.
#[pyfunction]
fn policies_json() -> String {
    ffi::policies_json()
}

/// A bundled sample as JSON tables.
#[pyfunction]
fn sample_json(py: Python<'_>, id: &str) -> PyResult<String> {
    guard(py, || {
        ffi::sample_json(id).map_err(|e| bad_argument(e.message))
    })
}

/// ` (did you mean `x`?)` for the candidate `given` likely stands for (the
/// core's rule, as for columns and parameters), else `""`.
#[pyfunction]
fn did_you_mean(given: &str, candidates: Vec<String>) -> String {
    shequ::suggest::did_you_mean(given, candidates.iter().map(String::as_str))
}

/// Amount formatted with two decimals, as the Rust front-ends print it.
#[pyfunction]
fn format_yuan(amount: Decimal) -> String {
    shequ::money::fmt_yuan(amount)
}

/// Panic inside the guard every core call runs in, so the tests can check
/// that a panic (a bug) surfaces as `shequ.errors.InternalError` and never
/// aborts the interpreter.
#[pyfunction]
#[allow(clippy::panic)]
fn _panic_for_tests(py: Python<'_>, message: &str) -> PyResult<()> {
    guard(py, || -> CoreResult<()> { panic!("{message}") })
}

/// A module for the Python package; see `python/shequ/_native.pyi`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPolicy>()?;
    m.add_class::<PyBudget>()?;
    m.add_class::<PyDiff>()?;
    m.add_class::<sheets::PyFile>()?;
    m.add_function(wrap_pyfunction!(sheets::read_tables, m)?)?;
    m.add_function(wrap_pyfunction!(compute, m)?)?;
    m.add_function(wrap_pyfunction!(policies_json, m)?)?;
    m.add_function(wrap_pyfunction!(sample_json, m)?)?;
    m.add_function(wrap_pyfunction!(format_yuan, m)?)?;
    m.add_function(wrap_pyfunction!(did_you_mean, m)?)?;
    m.add_function(wrap_pyfunction!(samples::synthetic_tables, m)?)?;
    m.add_function(wrap_pyfunction!(samples::realistic_tables, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    // Plans and sweeps (plan.rs).
    m.add_class::<plan::PyPlan>()?;
    m.add_class::<plan::PySweep>()?;
    m.add_function(wrap_pyfunction!(plan::plan, m)?)?;
    m.add_function(wrap_pyfunction!(plan::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(plan::policy_state, m)?)?;
    m.add_function(wrap_pyfunction!(plan::policy_from_state, m)?)?;
    m.add("SAMPLE_IDS", shequ::samples::IDS.to_vec())?;
    m.add("ERROR_CODES", shequ::error::ALL_ERROR_CODES.to_vec())?;
    m.add("COMMUNITY_COLUMNS", shequ::read::COMMUNITY_COLUMNS.to_vec())?;
    m.add("PEOPLE_COLUMNS", shequ::read::PEOPLE_COLUMNS.to_vec())?;
    m.add(
        "ADJUSTMENT_COLUMNS",
        shequ::read::ADJUSTMENT_COLUMNS.to_vec(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
