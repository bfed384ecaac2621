//! What a compliance report is made of: findings (each with its clause),
//! the norm headcount of each community, and counts.

use crate::ids::Id;
use crate::notes::Note;
use crate::policy::values::Source;
use rust_decimal::Decimal;
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Data the check needs was not given.
    MissingData,
    /// Advice (merge, split, outside the standard size).
    Advice,
    /// A requirement not met.
    Shortfall,
    /// A limit exceeded.
    OverLimit,
}

impl Severity {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::MissingData => "missing_data",
            Severity::Advice => "advice",
            Severity::Shortfall => "shortfall",
            Severity::OverLimit => "over_limit",
        }
    }
}

/// One thing the policy requires that is not met (or cannot be checked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Community id; `None` for a city-wide finding.
    pub community: Option<Id>,
    /// Rule or check id.
    pub check: String,
    /// Severity.
    pub severity: Severity,
    /// What is required, in numbers (`3`, `≥ 300`, `30%`).
    pub required: String,
    /// What there is.
    pub actual: String,
    /// How much is missing, where that is a number.
    pub shortfall: Option<Decimal>,
    /// The clause.
    pub clause: String,
    /// Stated by the document or our reading.
    pub source: Source,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// The posts a community is entitled to under one norm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NormRow {
    /// Community id.
    pub community: Id,
    /// Rule id.
    pub rule: String,
    /// Post counted.
    pub post: String,
    /// Entitled posts.
    pub required: u32,
    /// Posts on the roster (or the measure), when the norm names them.
    pub actual: Option<u32>,
    /// The entitled posts priced for the year, when the policy pays them.
    pub annual_cost: Option<Decimal>,
}

/// Counts of findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    /// Communities checked.
    pub communities: usize,
    /// Communities with at least one finding other than missing data.
    pub communities_with_findings: usize,
    /// Findings by severity.
    pub by_severity: Vec<(String, usize)>,
    /// Findings by check.
    pub by_check: Vec<(String, usize)>,
}

/// What a policy requires that the city does not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceReport {
    /// Policy id.
    pub policy: String,
    /// Document number.
    pub document: String,
    /// Year checked.
    pub year: i32,
    /// Findings, communities in input order, then city-wide ones.
    pub findings: Vec<Finding>,
    /// Norm headcount per community and norm.
    pub norms: Vec<NormRow>,
    /// Counts.
    pub summary: Summary,
    /// Notes on the input itself: one per column shequ did not read
    /// (`unknown_column`), as in the budget. A misspelt `office_aera` is
    /// otherwise only a `missing_data` finding for the office area.
    pub warnings: Vec<Note>,
}

/// A finding of `check`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finding(
    check: &str,
    clause: &str,
    source: Source,
    community: Option<Id>,
    severity: Severity,
    required: String,
    actual: String,
    shortfall: Option<Decimal>,
    zh: String,
    en: String,
) -> Finding {
    Finding {
        community,
        check: check.to_string(),
        severity,
        required,
        actual,
        shortfall,
        clause: clause.to_string(),
        source,
        zh,
        en,
    }
}

/// A `missing_data` finding: `what` was not given. `who` names the
/// community (its display name and id), or the city when `None`.
pub(crate) fn missing(
    id: &str,
    clause: &str,
    source: Source,
    who: Option<(String, Id)>,
    what: &str,
) -> Finding {
    let (name, name_en, community) = match who {
        Some((name, id)) => (name.clone(), name, Some(id)),
        None => ("全市".to_string(), "city".to_string(), None),
    };
    let what_zh = crate::lang::column_zh(what).unwrap_or(what);
    finding(
        id,
        clause,
        source,
        community,
        Severity::MissingData,
        String::new(),
        String::new(),
        None,
        format!("{name}:缺少{what_zh}数据,无法检查"),
        format!("{name_en}: `{what}` not given, so this cannot be checked"),
    )
}
