//! `measure_range`: a community measure (an area, m²) within bounds; the
//! lower bound may grow with households (吉市发[2011]13号 五(一): 300–500
//! m²; 赤峰: 每百户20 m²).

use super::findings::{finding, missing, Finding, Severity};
use crate::error::Result;
use crate::frame::Communities;
use crate::policy::file::MeasureRange;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{invalid, measure, Checked};
use rust_decimal::Decimal;

/// The finding of community `c`, if its measure is out of bounds or
/// missing.
pub(crate) fn finding_of(
    k: &MeasureRange,
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
    let Some(v) = communities.measure(c, &k.measure) else {
        return Ok(Some(missing(
            &k.id,
            &k.clause,
            k.source,
            Some((name, id)),
            &k.measure,
        )));
    };
    let mut min = k.min.map(|n| n.0);
    if let Some(per) = k.min_per_100_households {
        let by_households = per
            .0
            .checked_mul(Decimal::from(communities.households[c]))
            .and_then(|m| m.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| overflow(&k.id))?;
        min = Some(min.map_or(by_households, |m| m.max(by_households)));
    }
    let required = match (min, k.max) {
        (Some(a), Some(b)) => format!("{}–{}", a.normalize(), b.0.normalize()),
        (Some(a), None) => format!("≥ {}", a.normalize()),
        (None, Some(b)) => format!("≤ {}", b.0.normalize()),
        (None, None) => return Ok(None),
    };
    if let Some(m) = min.filter(|m| v < *m) {
        let short = m.checked_sub(v).ok_or_else(|| overflow(&k.id))?;
        return Ok(Some(finding(
            &k.id,
            &k.clause,
            k.source,
            Some(id),
            Severity::Shortfall,
            required.clone(),
            v.normalize().to_string(),
            Some(short),
            format!(
                "{name} {}:{} ㎡,要求{required},差{} ㎡",
                k.zh,
                v.normalize(),
                short.normalize()
            ),
            format!(
                "{name}: {} {} m², required {required}, {} m² short",
                k.en,
                v.normalize(),
                short.normalize()
            ),
        )));
    }
    if let Some(m) = k.max.map(|n| n.0).filter(|m| v > *m) {
        return Ok(Some(finding(
            &k.id,
            &k.clause,
            k.source,
            Some(id),
            Severity::OverLimit,
            required.clone(),
            v.normalize().to_string(),
            None,
            format!("{name} {}:{} ㎡,超过{}", k.zh, v.normalize(), m.normalize()),
            format!(
                "{name}: {} {} m², above {}",
                k.en,
                v.normalize(),
                m.normalize()
            ),
        )));
    }
    Ok(None)
}
fn overflow(what: &str) -> crate::error::Error {
    crate::error::Error::Overflow {
        context: format!("the check `{what}`"),
    }
}

/// The check's own checks.
pub(crate) fn validate(c: &MeasureRange, path: &KeyPath) -> Checked {
    measure(&c.measure, &path.key("measure"))?;
    if c.min.is_none() && c.max.is_none() && c.min_per_100_households.is_none() {
        invalid(
            path.clone(),
            "a range needs `min`, `max` or `min_per_100_households`",
        )?;
    }
    Ok(())
}
