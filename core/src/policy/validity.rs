//! The pieces a policy's validation is made of: references to declared
//! ids, percentages, splits adding up to 100%, dated rows in order. Each
//! rule and check kind validates its own fields with these
//! (`engine/rules/<kind>.rs`, `compliance/<kind>.rs`); `validate.rs` runs
//! them all.

use super::file::Split;
use super::locate::KeyPath;
use super::values::{Cited, Dated};
use crate::error::PolicyErrorCode;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// A validation failure before the file name and line are attached.
#[derive(Debug)]
pub struct Invalid {
    /// Stable code.
    pub code: PolicyErrorCode,
    /// Where.
    pub path: KeyPath,
    /// What.
    pub message: String,
}

/// The outcome of a validation step.
pub type Checked = Result<(), Invalid>;

/// A failure.
pub fn fail(code: PolicyErrorCode, path: KeyPath, message: impl Into<String>) -> Checked {
    Err(Invalid {
        code,
        path,
        message: message.into(),
    })
}

/// A value out of range.
pub fn invalid(path: KeyPath, message: impl Into<String>) -> Checked {
    fail(PolicyErrorCode::PolicyInvalidValue, path, message)
}

/// The ids a file declares, that its rules and checks may name.
#[derive(Debug, Default)]
pub struct Known<'a> {
    /// Payer ids.
    pub payers: HashSet<&'a str>,
    /// Post ids.
    pub posts: HashSet<&'a str>,
    /// Rating ids.
    pub ratings: HashSet<&'a str>,
    /// Parameter ids.
    pub params: HashSet<&'a str>,
}

/// A measure name shequ reads.
pub fn measure(name: &str, path: &KeyPath) -> Checked {
    if crate::read::tables::MEASURE_COLUMNS.contains(&name) {
        Ok(())
    } else {
        fail(
            PolicyErrorCode::PolicyUnknownReference,
            path.clone(),
            format!(
                "unknown measure `{name}`; measures are {}",
                crate::read::tables::MEASURE_COLUMNS.join(", ")
            ),
        )
    }
}

/// Ids that are not empty and not repeated.
pub fn unique_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    path: &KeyPath,
) -> Result<HashSet<&'a str>, Invalid> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            fail(
                PolicyErrorCode::PolicyInvalidValue,
                path.index(i).key("id"),
                "empty id",
            )?;
        }
        if !seen.insert(id) {
            fail(
                PolicyErrorCode::PolicyInvalidValue,
                path.index(i).key("id"),
                format!("id `{id}` is used twice"),
            )?;
        }
    }
    Ok(seen)
}

/// An id of a declared set.
pub fn known(set: &HashSet<&str>, id: &str, what: &str, path: &KeyPath) -> Checked {
    if set.contains(id) {
        Ok(())
    } else {
        fail(
            PolicyErrorCode::PolicyUnknownReference,
            path.clone(),
            format!("unknown {what} `{id}`: declare it first"),
        )
    }
}

/// A percentage between 0 and 100.
pub fn percent(v: Decimal, path: &KeyPath) -> Checked {
    if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
        return fail(
            PolicyErrorCode::PolicyInvalidValue,
            path.clone(),
            format!("`{v}` is not a percentage between 0 and 100"),
        );
    }
    Ok(())
}

/// A split of declared payers adding up to 100%.
pub fn split(payers: &HashSet<&str>, s: &Cited<Split>, path: &KeyPath) -> Checked {
    if s.value.is_empty() {
        return fail(
            PolicyErrorCode::PolicySplitSum,
            path.key("value"),
            "a split needs at least one payer",
        );
    }
    let mut sum = Decimal::ZERO;
    for (payer, share) in &s.value {
        known(payers, payer, "payer", &path.key("value").key(payer))?;
        percent(share.0, &path.key("value").key(payer))?;
        sum += share.0;
    }
    if sum != Decimal::ONE_HUNDRED {
        return fail(
            PolicyErrorCode::PolicySplitSum,
            path.key("value"),
            format!("payer shares add up to {sum}%, not 100%"),
        );
    }
    Ok(())
}

/// Dated rows in order, not overlapping, not negative.
pub fn schedule(rows: &[Dated], path: &KeyPath) -> Checked {
    if rows.is_empty() {
        return fail(
            PolicyErrorCode::PolicyInvalidValue,
            path.clone(),
            "a schedule needs at least one row",
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let p = path.index(i);
        if row.value.0 < Decimal::ZERO {
            fail(
                PolicyErrorCode::PolicyInvalidValue,
                p.key("value"),
                format!("`{}` is negative", row.value.0),
            )?;
        }
        if let (Some(f), Some(u)) = (row.from, row.until) {
            if f > u {
                fail(
                    PolicyErrorCode::PolicyOverlappingDates,
                    p.key("until"),
                    format!("`until` {} is before `from` {}", u.0, f.0),
                )?;
            }
        }
        if i > 0 {
            let prev = &rows[i - 1];
            let ordered = match (prev.until, row.from) {
                (Some(u), Some(f)) => u < f,
                _ => false,
            };
            if !ordered {
                fail(
                    PolicyErrorCode::PolicyOverlappingDates,
                    p.key("from"),
                    format!("row {i} overlaps row {}: rows must be in date order, each starting after the previous one ends", i - 1),
                )?;
            }
        }
    }
    Ok(())
}
