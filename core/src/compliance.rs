//! The compliance report: what a policy requires that a city does not yet
//! meet, community by community and city-wide, each finding with its clause;
//! and the norm headcount of each community (posts it is entitled to, priced
//! where the policy pays them).

use crate::budget::{BudgetOptions, Note};
use crate::engine::norms::{norm_count, Roster};
use crate::engine::{check, Ctx};
use crate::error::Result;
use crate::input::{Community, Input};
use crate::policy::file::{
    Check, CommunitySize, MeasureRange, MeasureRatio, NormActual, ParameterBound, PostNorm, Rule,
    ShareTarget,
};
use crate::policy::values::{in_force, Source};
use crate::policy::Policy;
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
    pub community: Option<String>,
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
    pub community: String,
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
        let checked = check::check(self, input, opts)?;
        let ctx = Ctx::new(self, opts)?;
        let reference_day = opts.as_of.unwrap_or(ctx.year_start);
        let mut findings = Vec::new();
        let mut norms = Vec::new();
        for (ci, c) in input.communities.iter().enumerate() {
            for rule in self.rules() {
                if let Rule::PostNorm(r) = rule {
                    let row = norm_row(
                        &ctx,
                        r,
                        c,
                        input,
                        &checked.people_of[ci],
                        &checked.canonical_posts,
                        reference_day,
                    )?;
                    if let Some(actual) = row.actual {
                        if actual < row.required {
                            findings.push(norm_finding(self, r, c, row.required, actual));
                        }
                    }
                    norms.push(row);
                }
            }
            for chk in self.checks() {
                match chk {
                    Check::CommunitySize(k) => findings.extend(size_finding(k, c)),
                    Check::MeasureRange(k) => findings.extend(range_finding(k, c)),
                    Check::MeasureRatio(k) => findings.extend(ratio_finding(k, c)),
                    Check::ShareTarget(_) | Check::ParameterBound(_) => {}
                }
            }
        }
        for chk in self.checks() {
            match chk {
                Check::ShareTarget(k) => {
                    findings.extend(share_finding(k, &input.communities, ctx.year_start))
                }
                Check::ParameterBound(k) => findings.extend(bound_finding(k, opts)),
                _ => {}
            }
        }
        let summary = summarise(&findings, input.communities.len());
        Ok(ComplianceReport {
            policy: self.id().to_string(),
            document: self.document().to_string(),
            year: opts.year,
            findings,
            norms,
            summary,
            warnings: input.ignored_column_notes(),
        })
    }
}

fn norm_row(
    ctx: &Ctx,
    r: &PostNorm,
    c: &Community,
    input: &Input,
    people: &[usize],
    canon: &crate::engine::check::CanonicalPosts,
    day: chrono::NaiveDate,
) -> Result<NormRow> {
    let required = norm_count(r, c);
    let actual = match &r.actual {
        None => None,
        Some(NormActual::Measure { measure }) => match measure.as_str() {
            "grids" => c.grids,
            m => c.measures.get(m).and_then(|v| u32::try_from(*v).ok()),
        },
        Some(NormActual::Roster { posts }) => Some(
            Roster {
                people: &input.people,
                members: people,
                canonical: canon,
            }
            .count(posts, day),
        ),
    };
    let mut annual_cost = None;
    if required > 0 && r.pay.is_some() {
        let mut cost = Decimal::ZERO;
        for &first in &ctx.months {
            if let Some(monthly) = crate::engine::norms::monthly_gross(ctx, r, first)? {
                cost += monthly * Decimal::from(required);
            }
        }
        annual_cost = Some(crate::money::round_fen(cost));
    }
    Ok(NormRow {
        community: c.id.clone(),
        rule: r.id.clone(),
        post: r.post.clone(),
        required,
        actual,
        annual_cost,
    })
}

fn name(c: &Community) -> String {
    if c.name.is_empty() {
        c.id.clone()
    } else {
        format!("{}({})", c.name, c.id)
    }
}

fn norm_finding(
    policy: &Policy,
    r: &PostNorm,
    c: &Community,
    required: u32,
    actual: u32,
) -> Finding {
    let post = policy.post(&r.post);
    let (pz, pe) = post
        .map(|p| (p.zh.as_str(), p.en.as_str()))
        .unwrap_or((&r.post, &r.post));
    let counted = crate::policy::describe_count(&r.count.value);
    Finding {
        community: Some(c.id.clone()),
        check: r.id.clone(),
        severity: Severity::Shortfall,
        required: required.to_string(),
        actual: actual.to_string(),
        shortfall: Some(Decimal::from(required - actual)),
        clause: r.clause.clone(),
        source: r.count.source,
        zh: format!("{} {}户,应配{}{}名,现有{}名,缺{}名", name(c), c.households, pz, required, actual, required - actual),
        en: format!("{}: {} households entitle it to {required} {pe} ({counted}); it has {actual}, {} short", name(c), c.households, required - actual),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    check: &str,
    clause: &str,
    source: Source,
    c: Option<&Community>,
    severity: Severity,
    required: String,
    actual: String,
    shortfall: Option<Decimal>,
    zh: String,
    en: String,
) -> Finding {
    Finding {
        community: c.map(|c| c.id.clone()),
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

fn size_finding(k: &CommunitySize, c: &Community) -> Option<Finding> {
    let h = c.households;
    let required = format!("{}–{}", k.standard_from, k.standard_to);
    let (severity, zh, en, shortfall) = if k.merge_below.is_some_and(|m| h < m) {
        let m = k.merge_below.unwrap_or_default();
        (
            Severity::Advice,
            format!("{} {h}户,低于{m}户,宜与相邻社区合并", name(c)),
            format!(
                "{}: {h} households, below {m}: merge with a neighbouring community",
                name(c)
            ),
            Some(Decimal::from(k.standard_from - h)),
        )
    } else if k.split_above.is_some_and(|s| h > s) {
        let s = k.split_above.unwrap_or_default();
        (
            Severity::Advice,
            format!("{} {h}户,超过{s}户,宜分设两个社区", name(c)),
            format!(
                "{}: {h} households, above {s}: split into two communities",
                name(c)
            ),
            None,
        )
    } else if h < k.standard_from || h > k.standard_to {
        (
            Severity::Advice,
            format!(
                "{} {h}户,不在{}–{}户的标准规模内",
                name(c),
                k.standard_from,
                k.standard_to
            ),
            format!(
                "{}: {h} households, outside the standard size of {}–{}",
                name(c),
                k.standard_from,
                k.standard_to
            ),
            None,
        )
    } else {
        return None;
    };
    Some(finding(
        &k.id,
        &k.clause,
        k.source,
        Some(c),
        severity,
        required,
        h.to_string(),
        shortfall,
        zh,
        en,
    ))
}

fn missing(id: &str, clause: &str, source: Source, c: Option<&Community>, what: &str) -> Finding {
    let who = c.map(name).unwrap_or_else(|| "全市 / city".into());
    finding(
        id,
        clause,
        source,
        c,
        Severity::MissingData,
        String::new(),
        String::new(),
        None,
        format!("{who}:缺少数据 `{what}`,无法检查"),
        format!("{who}: `{what}` not given, so this cannot be checked"),
    )
}

fn range_finding(k: &MeasureRange, c: &Community) -> Option<Finding> {
    if k.only_flag.as_ref().is_some_and(|f| !c.has_flag(f)) {
        return None;
    }
    let Some(&v) = c.measures.get(&k.measure) else {
        return Some(missing(&k.id, &k.clause, k.source, Some(c), &k.measure));
    };
    let mut min = k.min.map(|n| n.0);
    if let Some(per) = k.min_per_100_households {
        let by_households = per.0 * Decimal::from(c.households) / Decimal::ONE_HUNDRED;
        min = Some(min.map_or(by_households, |m| m.max(by_households)));
    }
    let required = match (min, k.max) {
        (Some(a), Some(b)) => format!("{}–{}", a.normalize(), b.0.normalize()),
        (Some(a), None) => format!("≥ {}", a.normalize()),
        (None, Some(b)) => format!("≤ {}", b.0.normalize()),
        (None, None) => return None,
    };
    if let Some(m) = min.filter(|m| v < *m) {
        let short = m - v;
        return Some(finding(
            &k.id,
            &k.clause,
            k.source,
            Some(c),
            Severity::Shortfall,
            required.clone(),
            v.normalize().to_string(),
            Some(short),
            format!(
                "{} {}:{} ㎡,要求{required},差{} ㎡",
                name(c),
                k.zh,
                v.normalize(),
                short.normalize()
            ),
            format!(
                "{}: {} {} m², required {required}, {} m² short",
                name(c),
                k.en,
                v.normalize(),
                short.normalize()
            ),
        ));
    }
    if let Some(m) = k.max.map(|n| n.0).filter(|m| v > *m) {
        return Some(finding(
            &k.id,
            &k.clause,
            k.source,
            Some(c),
            Severity::OverLimit,
            required.clone(),
            v.normalize().to_string(),
            None,
            format!(
                "{} {}:{} ㎡,超过{}",
                name(c),
                k.zh,
                v.normalize(),
                m.normalize()
            ),
            format!(
                "{}: {} {} m², above {}",
                name(c),
                k.en,
                v.normalize(),
                m.normalize()
            ),
        ));
    }
    None
}

fn ratio_finding(k: &MeasureRatio, c: &Community) -> Option<Finding> {
    if k.only_flag.as_ref().is_some_and(|f| !c.has_flag(f)) {
        return None;
    }
    let (Some(&num), Some(&den)) = (c.measures.get(&k.numerator), c.measures.get(&k.denominator))
    else {
        let what = if c.measures.contains_key(&k.numerator) {
            &k.denominator
        } else {
            &k.numerator
        };
        return Some(missing(&k.id, &k.clause, k.source, Some(c), what));
    };
    if den.is_zero() {
        return Some(missing(&k.id, &k.clause, k.source, Some(c), &k.denominator));
    }
    let pct = (num / den * Decimal::ONE_HUNDRED).round_dp(1);
    if pct >= k.min_percent.0 {
        return None;
    }
    Some(finding(
        &k.id,
        &k.clause,
        k.source,
        Some(c),
        Severity::Shortfall,
        format!("≥ {}%", k.min_percent.0),
        format!("{pct}%"),
        Some(k.min_percent.0 - pct),
        format!("{} {}:{pct}%,要求不低于{}%", name(c), k.zh, k.min_percent.0),
        format!(
            "{}: {} {pct}%, required at least {}%",
            name(c),
            k.en,
            k.min_percent.0
        ),
    ))
}

fn share_finding(
    k: &ShareTarget,
    communities: &[Community],
    day: chrono::NaiveDate,
) -> Option<Finding> {
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
        (Some(p), _) => (p * Decimal::from(n) / Decimal::ONE_HUNDRED).ceil(),
        (None, Some(c)) => c,
        (None, None) => return None,
    };
    let mut unknown = 0;
    let meets = communities
        .iter()
        .filter(|c| match (&k.flag, &k.measure, &k.at_least) {
            (Some(f), _, _) => c.has_flag(f),
            (None, Some(m), Some(at)) => match c.measures.get(m) {
                Some(v) => *v >= at.0,
                None => {
                    unknown += 1;
                    false
                }
            },
            _ => false,
        })
        .count();
    let actual = Decimal::from(meets);
    if actual >= required {
        return None;
    }
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
    Some(finding(
        &k.id,
        &k.clause,
        k.source,
        None,
        Severity::Shortfall,
        target.clone(),
        meets.to_string(),
        Some(required - actual),
        format!(
            "全市{}:目标{target}个,现有{meets}个,差{}个{note_zh}",
            k.zh,
            required - actual
        ),
        format!(
            "city-wide, {}: target {target}, {meets} now, {} short{note_en}",
            k.en,
            required - actual
        ),
    ))
}

fn bound_finding(k: &ParameterBound, opts: &BudgetOptions) -> Option<Finding> {
    let Some(&v) = opts.parameters.get(&k.parameter) else {
        return Some(missing(&k.id, &k.clause, k.source, None, &k.parameter));
    };
    if let Some(max) = k.max.map(|n| n.0).filter(|m| v > *m) {
        return Some(finding(
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
        ));
    }
    if let Some(min) = k.min.map(|n| n.0).filter(|m| v < *m) {
        return Some(finding(
            &k.id,
            &k.clause,
            k.source,
            None,
            Severity::Shortfall,
            format!("≥ {min}"),
            v.to_string(),
            Some(min - v),
            format!("全市{}:{v},低于{min}", k.zh),
            format!("city-wide, {}: {v}, below {min}", k.en),
        ));
    }
    None
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
                flagged.insert(c.as_str());
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
        Some((_, n)) => *n += 1,
        None => list.push((key.to_string(), 1)),
    }
}
