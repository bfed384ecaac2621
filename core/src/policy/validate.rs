//! Checks a parsed policy file is consistent: ids unique, references known,
//! splits adding up to 100%, dated rows in order and not overlapping, amounts
//! not negative. Each failure names the key path; the caller adds the line.

use super::file::{Check, CountBasis, NormActual, PayFor, PolicyFile, Rule, Split};
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

type Checked = Result<(), Invalid>;

fn fail(code: PolicyErrorCode, path: KeyPath, message: impl Into<String>) -> Checked {
    Err(Invalid {
        code,
        path,
        message: message.into(),
    })
}

/// Validate a whole file.
pub fn validate(file: &PolicyFile) -> Checked {
    let root = KeyPath::root();
    if file.policy.id.trim().is_empty() {
        return fail(
            PolicyErrorCode::PolicyInvalidValue,
            root.key("policy").key("id"),
            "the policy id is empty",
        );
    }
    let payers = unique_ids(
        file.payers.iter().map(|p| p.id.as_str()),
        &root.key("payers"),
    )?;
    let mut posts = unique_ids(file.posts.iter().map(|p| p.id.as_str()), &root.key("posts"))?;
    for (i, post) in file.posts.iter().enumerate() {
        for alias in &post.aliases {
            if !posts.insert(alias.as_str()) {
                return fail(
                    PolicyErrorCode::PolicyInvalidValue,
                    root.key("posts").index(i).key("aliases"),
                    format!("alias `{alias}` is used twice"),
                );
            }
        }
    }
    let posts: HashSet<&str> = file.posts.iter().map(|p| p.id.as_str()).collect();
    let ratings = unique_ids(
        file.ratings.iter().map(|r| r.id.as_str()),
        &root.key("ratings"),
    )?;
    let params = unique_ids(
        file.parameters.iter().map(|p| p.id.as_str()),
        &root.key("parameters"),
    )?;
    if let Some(q) = &file.rating_quota {
        let path = root.key("rating_quota").key("caps");
        for (rating, cap) in &q.caps {
            known(&ratings, rating, "rating", &path.key(rating))?;
            percent(cap.value.0, &path.key(rating).key("value"))?;
        }
    }
    let mut rule_ids = HashSet::new();
    for (i, rule) in file.rules.iter().enumerate() {
        let path = root.key("rules").index(i);
        if !rule_ids.insert(rule.id()) {
            return fail(
                PolicyErrorCode::PolicyInvalidValue,
                path.key("id"),
                format!("rule id `{}` is used twice", rule.id()),
            );
        }
        if let Some(sp) = rule.split() {
            split(&payers, sp, &path.key("split"))?;
        }
        match rule {
            Rule::WorkFunds(r) => {
                if r.households_per_unit.value == 0 {
                    return fail(
                        PolicyErrorCode::PolicyInvalidValue,
                        path.key("households_per_unit"),
                        "households per unit must be above zero",
                    );
                }
                schedule(&r.rate, &path.key("rate"))?;
                if let Some(m) = &r.minimum {
                    schedule(m, &path.key("minimum"))?;
                }
            }
            Rule::MonthlyAllowance(r) => {
                for (post, s) in &r.amounts {
                    known(&posts, post, "post", &path.key("amounts").key(post))?;
                    schedule(s, &path.key("amounts").key(post))?;
                }
                if let Some(s) = &r.increment_per_full_year {
                    schedule(s, &path.key("increment_per_full_year"))?;
                }
                if let Some(only) = &r.only_ratings {
                    for rating in &only.value {
                        known(&ratings, rating, "rating", &path.key("only_ratings"))?;
                    }
                }
            }
            Rule::RatingBonus(r) => {
                for (rating, s) in &r.amounts {
                    known(&ratings, rating, "rating", &path.key("amounts").key(rating))?;
                    schedule(s, &path.key("amounts").key(rating))?;
                }
            }
            Rule::PostNorm(r) => {
                known(&posts, &r.post, "post", &path.key("post"))?;
                match &r.count.value {
                    CountBasis::PerHouseholds { households: 0, .. }
                    | CountBasis::PerGrid { per_grid: 0 } => {
                        fail(
                            PolicyErrorCode::PolicyInvalidValue,
                            path.key("count"),
                            "a norm per 0 households or grids",
                        )?;
                    }
                    _ => {}
                }
                if let Some(pay) = &r.pay {
                    let p = path.key("pay");
                    match (&pay.monthly, &pay.monthly_parameter) {
                        (Some(m), None) => schedule(m, &p.key("monthly"))?,
                        (None, Some(name)) => {
                            known(&params, name, "parameter", &p.key("monthly_parameter"))?
                        }
                        _ => fail(
                            PolicyErrorCode::PolicyInvalidValue,
                            p.clone(),
                            "give exactly one of `monthly` and `monthly_parameter`",
                        )?,
                    }
                    match (&pay.subsidy_parameter, &pay.subsidy_payer) {
                        (None, None) => {}
                        (Some(name), Some(payer)) => {
                            known(&params, name, "parameter", &p.key("subsidy_parameter"))?;
                            known(&payers, payer, "payer", &p.key("subsidy_payer"))?;
                        }
                        _ => fail(
                            PolicyErrorCode::PolicyInvalidValue,
                            p.clone(),
                            "`subsidy_parameter` and `subsidy_payer` go together",
                        )?,
                    }
                    let roster = matches!(r.actual, Some(NormActual::Roster { .. }));
                    if r.pay_for
                        .as_ref()
                        .is_some_and(|p| p.value == PayFor::Roster)
                        && !roster
                    {
                        fail(
                            PolicyErrorCode::PolicyInvalidValue,
                            path.key("pay_for"),
                            "paying the roster needs `actual` to name the roster posts",
                        )?;
                    }
                    if r.split.is_none() {
                        fail(
                            PolicyErrorCode::PolicyInvalidValue,
                            path.key("split"),
                            "a paid norm needs a `split`",
                        )?;
                    }
                }
                if let Some(NormActual::Roster { posts: roster }) = &r.actual {
                    for post in roster {
                        known(
                            &posts,
                            post,
                            "post",
                            &path.key("actual").key("roster").key("posts"),
                        )?;
                    }
                }
            }
            Rule::StarGrant(r) => {
                for (stars, s) in &r.amounts {
                    if !matches!(stars.parse::<u8>(), Ok(0..=5)) {
                        fail(
                            PolicyErrorCode::PolicyInvalidValue,
                            path.key("amounts").key(stars),
                            format!("`{stars}` is not a star level 0–5"),
                        )?;
                    }
                    schedule(s, &path.key("amounts").key(stars))?;
                }
            }
            Rule::CommunityGrant(r) => schedule(&r.amount, &path.key("amount"))?,
            Rule::IncomeFloor(r) => {
                for post in &r.posts {
                    known(&posts, post, "post", &path.key("posts"))?;
                }
                schedule(&r.share, &path.key("share"))?;
                known(
                    &params,
                    &r.reference_parameter,
                    "parameter",
                    &path.key("reference_parameter"),
                )?;
            }
        }
    }
    let mut check_ids = HashSet::new();
    for (i, check) in file.checks.iter().enumerate() {
        let path = root.key("checks").index(i);
        if !check_ids.insert(check.id()) {
            fail(
                PolicyErrorCode::PolicyInvalidValue,
                path.key("id"),
                format!("check id `{}` is used twice", check.id()),
            )?;
        }
        match check {
            Check::CommunitySize(c) => {
                if c.standard_from > c.standard_to {
                    fail(
                        PolicyErrorCode::PolicyInvalidValue,
                        path.key("standard_to"),
                        "the standard size ends before it starts",
                    )?;
                }
            }
            Check::MeasureRange(c) => {
                measure(&c.measure, &path.key("measure"))?;
                if c.min.is_none() && c.max.is_none() && c.min_per_100_households.is_none() {
                    fail(
                        PolicyErrorCode::PolicyInvalidValue,
                        path.clone(),
                        "a range needs `min`, `max` or `min_per_100_households`",
                    )?;
                }
            }
            Check::MeasureRatio(c) => {
                measure(&c.numerator, &path.key("numerator"))?;
                measure(&c.denominator, &path.key("denominator"))?;
                percent(c.min_percent.0, &path.key("min_percent"))?;
            }
            Check::ShareTarget(c) => {
                match (&c.flag, &c.measure, &c.at_least) {
                    (Some(_), None, None) => {}
                    (None, Some(m), Some(_)) => measure(m, &path.key("measure"))?,
                    _ => fail(
                        PolicyErrorCode::PolicyInvalidValue,
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
                    (None, None) => fail(
                        PolicyErrorCode::PolicyInvalidValue,
                        path.clone(),
                        "a target needs `percent` or `count`",
                    )?,
                }
            }
            Check::ParameterBound(c) => {
                known(&params, &c.parameter, "parameter", &path.key("parameter"))?
            }
        }
    }
    Ok(())
}

fn measure(name: &str, path: &KeyPath) -> Checked {
    if crate::rows::MEASURE_COLUMNS.contains(&name) {
        Ok(())
    } else {
        fail(
            PolicyErrorCode::PolicyUnknownReference,
            path.clone(),
            format!(
                "unknown measure `{name}`; measures are {}",
                crate::rows::MEASURE_COLUMNS.join(", ")
            ),
        )
    }
}

fn unique_ids<'a>(
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

fn known(set: &HashSet<&str>, id: &str, what: &str, path: &KeyPath) -> Checked {
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

fn percent(v: Decimal, path: &KeyPath) -> Checked {
    if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
        return fail(
            PolicyErrorCode::PolicyInvalidValue,
            path.clone(),
            format!("`{v}` is not a percentage between 0 and 100"),
        );
    }
    Ok(())
}

fn split(payers: &HashSet<&str>, s: &Cited<Split>, path: &KeyPath) -> Checked {
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

fn schedule(rows: &[Dated], path: &KeyPath) -> Checked {
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
