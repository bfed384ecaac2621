//! One mapping from core errors to the Python exception hierarchy of
//! `shequ.errors` (defined in Python so that input errors can subclass both
//! `ShequError` and `ValueError`).

use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use shequ::error::{InputError, RecordKind, RecordRef};
use shequ::Error;

/// A core error on its way to Python.
#[derive(Debug)]
pub struct CoreError(pub Error);

impl From<Error> for CoreError {
    fn from(e: Error) -> Self {
        CoreError(e)
    }
}

impl From<InputError> for CoreError {
    fn from(e: InputError) -> Self {
        CoreError(Error::Input(e))
    }
}

impl From<CoreError> for PyErr {
    fn from(e: CoreError) -> PyErr {
        Python::attach(|py| build(py, &e.0).unwrap_or_else(|failure| failure))
    }
}

/// Result of binding code that may fail with a core error.
pub type CoreResult<T> = Result<T, CoreError>;

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let kw = PyDict::new(py);
    kw.set_item("code", e.code())?;
    let class = match e {
        Error::Policy(p) => {
            kw.set_item("origin", &p.origin)?;
            kw.set_item("line", p.line)?;
            kw.set_item("key", &p.key)?;
            "PolicyError"
        }
        Error::Input(i) => {
            set_record(&kw, &i.record)?;
            kw.set_item("field", &i.field)?;
            if i.code == shequ::error::InputErrorCode::InvalidTable {
                "TableTypeError"
            } else {
                "InputError"
            }
        }
        Error::QuotaExceeded {
            rating,
            count,
            cap,
            total,
            clause,
            ..
        } => {
            kw.set_item("rating", rating)?;
            kw.set_item("count", count)?;
            kw.set_item("cap", cap)?;
            kw.set_item("total", total)?;
            kw.set_item("clause", clause)?;
            "QuotaExceededError"
        }
        Error::MissingParameter { name, rule, clause } => {
            kw.set_item("name", name)?;
            kw.set_item("rule", rule)?;
            kw.set_item("clause", clause)?;
            "MissingParameterError"
        }
        Error::Overflow { context } => {
            kw.set_item("context", context)?;
            "AmountOverflowError"
        }
        Error::BadRequest { .. } => {
            kw.set_item("record", "request")?;
            "InputError"
        }
        // `Error` is non-exhaustive: a variant added later keeps its code
        // and its input-or-not nature until it gets its own class.
        _ if e.is_input() => "InputError",
        _ => "ShequError",
    };
    let cls = py.import("shequ.errors")?.getattr(class)?;
    let exc = cls.call((e.to_string(),), Some(&kw))?;
    // The message in Chinese, beside the English.
    exc.setattr("zh", e.zh())?;
    Ok(PyErr::from_value(exc))
}

fn set_record(kw: &Bound<'_, PyDict>, r: &RecordRef) -> PyResult<()> {
    kw.set_item("record", r.kind.to_string())?;
    kw.set_item("record_id", &r.id)?;
    kw.set_item("row", r.index)
}

/// A bug in shequ (a Rust panic caught before it reached Python).
pub fn internal(py: Python<'_>, message: String) -> PyErr {
    let attempt = || -> PyResult<PyErr> {
        let kw = PyDict::new(py);
        kw.set_item("code", "internal_error")?;
        let cls = py.import("shequ.errors")?.getattr("InternalError")?;
        Ok(PyErr::from_value(cls.call((message,), Some(&kw))?))
    };
    attempt().unwrap_or_else(|e| e)
}

/// Run core code, catching a panic (a bug) so it never reaches the
/// interpreter; `Err` holds the panic message. Needs no interpreter, so it
/// runs inside `Python::detach`.
pub fn catch<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<Result<T, E>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// The outcome of [`catch`] as a Python result: a panic becomes
/// `shequ.errors.InternalError`.
pub fn raise<T, E>(py: Python<'_>, outcome: Result<Result<T, E>, String>) -> PyResult<T>
where
    PyErr: From<E>,
{
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(PyErr::from(e)),
        Err(panic) => Err(internal(
            py,
            format!("internal error in shequ (please report): {panic}"),
        )),
    }
}

/// [`catch`] then [`raise`], for calls made with the interpreter attached.
pub fn guard<T, E>(py: Python<'_>, f: impl FnOnce() -> Result<T, E>) -> PyResult<T>
where
    PyErr: From<E>,
{
    raise(py, catch(f))
}

/// A row that is not a mapping, named as the core's JSON boundary names it.
pub fn not_a_row(kind: RecordKind, index: usize) -> CoreError {
    CoreError::from(shequ::read::not_a_row(
        kind,
        index,
        "a dict (a mapping of column to value)",
    ))
}

/// A bad request-level argument (`quota`, `ratings`, `lang`, `by`).
pub fn bad_argument(message: String) -> CoreError {
    CoreError(Error::BadRequest { message })
}

/// `KeyError` for an unknown community.
pub fn unknown_key(what: &str, key: &str) -> PyErr {
    PyKeyError::new_err(format!("no {what} `{key}` in this budget"))
}

/// `TypeError` for a table argument of an unusable type.
pub fn not_a_table(name: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let ty = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    PyTypeError::new_err(format!(
        "`{name}` must be a list of dicts or an Arrow table (pyarrow, polars or anything with `__arrow_c_stream__`), got {ty}"
    ))
}
