//! `community_size`: advice on a community's size in households — merge
//! below a floor, split above a ceiling, or outside the standard size
//! (吉市发[2011]13号 四(二): 每2500户至3000户居民设置一个社区…).

use super::findings::{finding, Finding, Severity};
use crate::error::{Error, Result};
use crate::frame::Communities;
use crate::policy::file::CommunitySize;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{invalid, Checked};
use rust_decimal::Decimal;

/// The finding of community `c`, if its size calls for advice.
pub(crate) fn finding_of(
    k: &CommunitySize,
    communities: &Communities,
    c: usize,
) -> Result<Option<Finding>> {
    let h = communities.households[c];
    let name = communities.display(c);
    let required = format!("{}–{}", k.standard_from, k.standard_to);
    let (severity, zh, en, shortfall) = if let Some(m) = k.merge_below.filter(|m| h < *m) {
        (
            Severity::Advice,
            format!("{name} {h}户,低于{m}户,宜与相邻社区合并"),
            format!("{name}: {h} households, below {m}: merge with a neighbouring community"),
            Some(Decimal::from(k.standard_from.checked_sub(h).ok_or_else(
                || Error::Overflow {
                    context: format!("the check `{}`", k.id),
                },
            )?)),
        )
    } else if let Some(s) = k.split_above.filter(|s| h > *s) {
        (
            Severity::Advice,
            format!("{name} {h}户,超过{s}户,宜分设两个社区"),
            format!("{name}: {h} households, above {s}: split into two communities"),
            None,
        )
    } else if h < k.standard_from || h > k.standard_to {
        (
            Severity::Advice,
            format!(
                "{name} {h}户,不在{}–{}户的标准规模内",
                k.standard_from, k.standard_to
            ),
            format!(
                "{name}: {h} households, outside the standard size of {}–{}",
                k.standard_from, k.standard_to
            ),
            None,
        )
    } else {
        return Ok(None);
    };
    Ok(Some(finding(
        &k.id,
        &k.clause,
        k.source,
        Some(communities.id.get(c)),
        severity,
        required,
        h.to_string(),
        shortfall,
        zh,
        en,
    )))
}

/// The check's own checks.
pub(crate) fn validate(c: &CommunitySize, path: &KeyPath) -> Checked {
    if c.standard_from > c.standard_to {
        invalid(
            path.key("standard_to"),
            "the standard size ends before it starts",
        )?;
    }
    Ok(())
}
