//! `share_target`: city-wide, the share (or number) of communities with a
//! flag, or with a measure at least a value, must reach a dated target
//! (赤峰: 和谐社区达标率2009年30%、2010年60%; 南平: 30%的社区建立议事厅).

use super::findings::{finding, Finding, Severity};
use crate::error::Result;
use crate::frame::Communities;
use crate::policy::file::ShareTarget;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{invalid, measure, percent, schedule, Checked};
use crate::policy::values::in_force;
use rust_decimal::Decimal;

/// The city-wide finding, if the target is not reached.
pub(crate) fn finding_of(
    k: &ShareTarget,
    communities: &Communities,
    day: chrono::NaiveDate,
) -> Result<Option<Finding>> {
    let n = communities.len();
    let target_pct = k
        .percent
        .as_ref()
        .and_then(|s| in_force(s, day))
        .map(|r| r.value.0);
    let target_count = k
        .count
        .as_ref()
        .and_then(|s| in_force(s, day))
        .map(|r| r.value.0);
    let required = match (target_pct, target_count) {
        (Some(p), _) => p
            .checked_mul(Decimal::from(n))
            .and_then(|m| m.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| overflow(&k.id))?
            .ceil(),
        (None, Some(c)) => c,
        (None, None) => return Ok(None),
    };
    let mut unknown = 0usize;
    let meets = (0..n)
        .filter(|&c| match (&k.flag, &k.measure, &k.at_least) {
            (Some(f), _, _) => communities.has_flag(c, f),
            (None, Some(m), Some(at)) => match communities.measure(c, m) {
                Some(v) => v >= at.0,
                None => {
                    unknown = unknown.saturating_add(1);
                    false
                }
            },
            _ => false,
        })
        .count();
    let actual = Decimal::from(meets);
    if actual >= required {
        return Ok(None);
    }
    let short = required
        .checked_sub(actual)
        .ok_or_else(|| overflow(&k.id))?;
    let target = match target_pct {
        Some(p) => format!("{p}% × {n} = {required}"),
        None => required.to_string(),
    };
    let note_zh = if unknown > 0 {
        format!("(另有{unknown}个社区缺少数据)")
    } else {
        String::new()
    };
    let note_en = if unknown > 0 {
        format!(" ({unknown} communities lack the data)")
    } else {
        String::new()
    };
    Ok(Some(finding(
        &k.id,
        &k.clause,
        k.source,
        None,
        Severity::Shortfall,
        target.clone(),
        meets.to_string(),
        Some(short),
        format!(
            "全市{}:目标{target}个,现有{meets}个,差{short}个{note_zh}",
            k.zh
        ),
        format!(
            "city-wide, {}: target {target}, {meets} now, {short} short{note_en}",
            k.en
        ),
    )))
}
fn overflow(what: &str) -> crate::error::Error {
    crate::error::Error::Overflow {
        context: format!("the check `{what}`"),
    }
}

/// The check's own checks.
pub(crate) fn validate(c: &ShareTarget, path: &KeyPath) -> Checked {
    match (&c.flag, &c.measure, &c.at_least) {
        (Some(_), None, None) => {}
        (None, Some(m), Some(_)) => measure(m, &path.key("measure"))?,
        _ => invalid(
            path.clone(),
            "give either `flag`, or `measure` with `at_least`",
        )?,
    }
    match (&c.percent, &c.count) {
        (Some(p), None) => {
            schedule(p, &path.key("percent"))?;
            for (k, row) in p.iter().enumerate() {
                percent(row.value.0, &path.key("percent").index(k).key("value"))?;
            }
        }
        (None, Some(n)) => schedule(n, &path.key("count"))?,
        (Some(p), Some(n)) => {
            schedule(p, &path.key("percent"))?;
            schedule(n, &path.key("count"))?;
        }
        (None, None) => invalid(path.clone(), "a target needs `percent` or `count`")?,
    }
    Ok(())
}
