//! The check kinds, one file each, named as the policy file's `kind`: each
//! holds its finding and its validation; this module dispatches to them.

use super::findings::Finding;
use super::{community_size, measure_range, measure_ratio, parameter_bound, share_target};
use crate::error::Result;
use crate::frame::Communities;
use crate::options::BudgetOptions;
use crate::policy::file::Check;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{Checked, Known};

/// The finding of a per-community check for community `c` (`None` for a
/// city-wide check).
pub(crate) fn community(
    check: &Check,
    communities: &Communities,
    c: usize,
) -> Result<Option<Finding>> {
    match check {
        Check::CommunitySize(k) => community_size::finding_of(k, communities, c),
        Check::MeasureRange(k) => measure_range::finding_of(k, communities, c),
        Check::MeasureRatio(k) => measure_ratio::finding_of(k, communities, c),
        Check::ShareTarget(_) | Check::ParameterBound(_) => Ok(None),
    }
}

/// The finding of a city-wide check (`None` for a per-community one).
pub(crate) fn city(
    check: &Check,
    communities: &Communities,
    day: chrono::NaiveDate,
    opts: &BudgetOptions,
) -> Result<Option<Finding>> {
    match check {
        Check::ShareTarget(k) => share_target::finding_of(k, communities, day),
        Check::ParameterBound(k) => parameter_bound::finding_of(k, opts),
        Check::CommunitySize(_) | Check::MeasureRange(_) | Check::MeasureRatio(_) => Ok(None),
    }
}

/// A check's own checks.
pub(crate) fn validate(check: &Check, known: &Known, path: &KeyPath) -> Checked {
    match check {
        Check::CommunitySize(c) => community_size::validate(c, path),
        Check::MeasureRange(c) => measure_range::validate(c, path),
        Check::MeasureRatio(c) => measure_ratio::validate(c, path),
        Check::ShareTarget(c) => share_target::validate(c, path),
        Check::ParameterBound(c) => parameter_bound::validate(c, known, path),
    }
}
