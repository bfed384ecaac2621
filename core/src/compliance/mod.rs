//! The compliance report: what a policy requires that a city does not yet
//! meet, community by community and city-wide, each finding with its clause;
//! and the norm headcount of each community (posts it is entitled to, priced
//! where the policy pays them). Each check kind is a file of its own, named
//! as the policy file's `kind`; a norm's finding is its rule kind's
//! (`engine/rules/post_norm.rs`).
//!
//! Arithmetic on amounts and measures is checked, as in the engine
//! (`overflow`, never a panic).

#![deny(clippy::arithmetic_side_effects)]

pub(crate) mod community_size;
pub mod findings;
pub(crate) mod kinds;
pub(crate) mod measure_range;
pub(crate) mod measure_ratio;
pub(crate) mod parameter_bound;
pub(crate) mod share_target;

pub use findings::{ComplianceReport, Finding, NormRow, Severity, Summary};

use crate::engine::check;
use crate::engine::ctx::{City, Ctx};
use crate::engine::rules::post_norm;
use crate::error::Result;
use crate::frame::Frame;
use crate::input::Input;
use crate::options::BudgetOptions;
use crate::policy::file::Rule;
use crate::policy::Policy;

impl Policy {
    /// Check `input` against the policy's norms and checks.
    ///
    /// Data a check needs but the input lacks (an office area, a city-wide
    /// count) gives a `missing_data` finding, not an error; a parameter a
    /// paid norm needs for its price is an error, as in the budget.
    ///
    /// # Errors
    /// As [`Policy::budget`]: bad input named by record and field.
    ///
    /// ```
    /// use shequ::{BudgetOptions, Community, Input, Policy};
    /// let jilin = Policy::builtin("jilin-2011-13")?;
    /// let input = Input { communities: vec![Community::new("C1", "", 1400).with_rating("ordinary")], ..Default::default() };
    /// let report = jilin.compliance(&input, &BudgetOptions::year(2026).parameter("provincial_subsidy_per_graduate_monthly", 0.into()))?;
    /// let size = report.findings.iter().find(|f| f.check == "community_size").unwrap();
    /// assert!(size.en.contains("merge"), "{}", size.en);
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn compliance(&self, input: &Input, opts: &BudgetOptions) -> Result<ComplianceReport> {
        self.compliance_of(&Frame::from_input(input)?, opts)
    }

    /// [`Policy::compliance`] of an input already read.
    ///
    /// # Errors
    /// As [`Policy::compliance`].
    pub fn compliance_of(&self, frame: &Frame, opts: &BudgetOptions) -> Result<ComplianceReport> {
        let checked = check::check(self, frame, opts)?;
        let mut ctx = Ctx::new(self.file(), opts)?;
        let norms_ready: Vec<post_norm::Ready> = self
            .rules()
            .iter()
            .enumerate()
            .filter_map(|(k, rule)| match rule {
                Rule::PostNorm(r) => {
                    let split = ctx.rule_split.get(k).copied().flatten();
                    Some(post_norm::Ready::new(
                        &mut ctx,
                        r,
                        u16::try_from(k).unwrap_or(u16::MAX),
                        split,
                    ))
                }
                _ => None,
            })
            .collect();
        let city = City {
            frame,
            checked: &checked,
            ratings: &[],
        };
        let reference_day = opts.as_of.unwrap_or(ctx.year_start);
        let communities = &frame.communities;
        let mut findings = Vec::new();
        let mut norms = Vec::new();
        for c in 0..communities.len() {
            for norm in &norms_ready {
                let (row, finding) = norm.norm_row(&ctx, &city, c, reference_day)?;
                findings.extend(finding);
                norms.push(row);
            }
            for chk in self.checks() {
                findings.extend(kinds::community(chk, communities, c)?);
            }
        }
        for chk in self.checks() {
            findings.extend(kinds::city(chk, communities, ctx.year_start, opts)?);
        }
        in_script(&mut findings, frame, crate::lang::Script::of(self.file()));
        let summary = summarise(&findings, communities.len());
        Ok(ComplianceReport {
            policy: self.id().to_string(),
            document: self.document().to_string(),
            year: opts.year,
            findings,
            norms,
            summary,
            warnings: frame
                .notes
                .iter()
                .cloned()
                .chain(frame.ignored_columns.iter().map(|c| c.note()))
                .chain(check::skipped_notes(self, frame, &checked))
                .collect(),
        })
    }
}

/// The Chinese of each finding in the policy's script: shequ's words
/// converted, the community's name as the input has it.
fn in_script(findings: &mut [Finding], frame: &Frame, script: crate::lang::Script) {
    if script == crate::lang::Script::Simplified {
        return;
    }
    for f in findings {
        let name = f
            .community
            .as_ref()
            .and_then(|id| frame.community_position(&id.text()))
            .map(|c| frame.communities.display(c));
        let zh = std::mem::take(&mut f.zh);
        let marked = match &name {
            Some(n) if !n.is_empty() => zh.replacen(n.as_str(), &script.keep(n), 1),
            _ => zh,
        };
        f.zh = script.finish(marked);
    }
}

fn summarise(findings: &[Finding], communities: usize) -> Summary {
    let mut by_severity: Vec<(String, usize)> = Vec::new();
    let mut by_check: Vec<(String, usize)> = Vec::new();
    let mut flagged = std::collections::HashSet::new();
    for f in findings {
        bump(&mut by_severity, f.severity.as_str());
        bump(&mut by_check, &f.check);
        if f.severity != Severity::MissingData {
            if let Some(c) = &f.community {
                flagged.insert(c.clone());
            }
        }
    }
    Summary {
        communities,
        communities_with_findings: flagged.len(),
        by_severity,
        by_check,
    }
}

fn bump(list: &mut Vec<(String, usize)>, key: &str) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, n)) => *n = n.saturating_add(1),
        None => list.push((key.to_string(), 1)),
    }
}
