//! `parameter_bound`: city-wide, a number the caller supplies within bounds
//! (南政办函〔2020〕30号: 社区工作事项不超过58项…).

use super::findings::{finding, missing, Finding, Severity};
use crate::error::{Error, Result};
use crate::options::BudgetOptions;
use crate::policy::file::ParameterBound;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{known, Checked, Known};

/// The city-wide finding, if the number is out of bounds or not given.
pub(crate) fn finding_of(k: &ParameterBound, opts: &BudgetOptions) -> Result<Option<Finding>> {
    let Some(&v) = opts.parameters.get(&k.parameter) else {
        return Ok(Some(missing(
            &k.id,
            &k.clause,
            k.source,
            None,
            &k.parameter,
        )));
    };
    if let Some(max) = k.max.map(|n| n.0).filter(|m| v > *m) {
        return Ok(Some(finding(
            &k.id,
            &k.clause,
            k.source,
            None,
            Severity::OverLimit,
            format!("≤ {max}"),
            v.to_string(),
            None,
            format!("全市{}:{v}项,超过上限{max}项", k.zh),
            format!("city-wide, {}: {v}, above the cap of {max}", k.en),
        )));
    }
    if let Some(min) = k.min.map(|n| n.0).filter(|m| v < *m) {
        let short = min.checked_sub(v).ok_or_else(|| Error::Overflow {
            context: format!("the check `{}`", k.id),
        })?;
        return Ok(Some(finding(
            &k.id,
            &k.clause,
            k.source,
            None,
            Severity::Shortfall,
            format!("≥ {min}"),
            v.to_string(),
            Some(short),
            format!("全市{}:{v},低于{min}", k.zh),
            format!("city-wide, {}: {v}, below {min}", k.en),
        )));
    }
    Ok(None)
}

/// The check's own checks.
pub(crate) fn validate(c: &ParameterBound, known_ids: &Known, path: &KeyPath) -> Checked {
    known(
        &known_ids.params,
        &c.parameter,
        "parameter",
        &path.key("parameter"),
    )
}
