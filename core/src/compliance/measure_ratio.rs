//! `measure_ratio`: one community measure as a share of another, at least a
//! percentage (吉市发[2011]13号 五(一): 用于居民服务的面积不低于80%).

use super::findings::{finding, missing, Finding, Severity};
use crate::error::Result;
use crate::frame::Communities;
use crate::policy::file::MeasureRatio;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{measure, percent, Checked};
use rust_decimal::Decimal;

/// The finding of community `c`, if its ratio is short or a measure missing.
pub(crate) fn finding_of(
    k: &MeasureRatio,
    communities: &Communities,
    c: usize,
) -> Result<Option<Finding>> {
    if k.only_flag
        .as_ref()
        .is_some_and(|f| !communities.has_flag(c, f))
    {
        return Ok(None);
    }
    let name = communities.display(c);
    let id = communities.id.get(c);
    let (Some(num), Some(den)) = (
        communities.measure(c, &k.numerator),
        communities.measure(c, &k.denominator),
    ) else {
        let what = if communities.measure(c, &k.numerator).is_some() {
            &k.denominator
        } else {
            &k.numerator
        };
        return Ok(Some(missing(
            &k.id,
            &k.clause,
            k.source,
            Some((name, id)),
            what,
        )));
    };
    if den.is_zero() {
        return Ok(Some(missing(
            &k.id,
            &k.clause,
            k.source,
            Some((name, id)),
            &k.denominator,
        )));
    }
    let pct = num
        .checked_div(den)
        .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
        .ok_or_else(|| overflow(&k.id))?
        .round_dp(1);
    if pct >= k.min_percent.0 {
        return Ok(None);
    }
    let short = k
        .min_percent
        .0
        .checked_sub(pct)
        .ok_or_else(|| overflow(&k.id))?;
    Ok(Some(finding(
        &k.id,
        &k.clause,
        k.source,
        Some(id),
        Severity::Shortfall,
        format!("≥ {}%", k.min_percent.0),
        format!("{pct}%"),
        Some(short),
        format!("{name} {}:{pct}%,要求不低于{}%", k.zh, k.min_percent.0),
        format!(
            "{name}: {} {pct}%, required at least {}%",
            k.en, k.min_percent.0
        ),
    )))
}
fn overflow(what: &str) -> crate::error::Error {
    crate::error::Error::Overflow {
        context: format!("the check `{what}`"),
    }
}

/// The check's own checks.
pub(crate) fn validate(c: &MeasureRatio, path: &KeyPath) -> Checked {
    measure(&c.numerator, &path.key("numerator"))?;
    measure(&c.denominator, &path.key("denominator"))?;
    percent(c.min_percent.0, &path.key("min_percent"))
}
