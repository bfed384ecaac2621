//! What the policy makes of the input, before any money: each post and
//! rating as given is one the policy knows, households are plausible, dates
//! fall in plausible years, each adjustment belongs to a rule that pays.
//! The input's own consistency (ids, references, rows of one person) was
//! checked when it was read ([`crate::frame`]).

use super::checked::Checked;
use crate::error::{Error, InputError, InputErrorCode as Code, RecordKind, RecordRef, Result};
use crate::frame::{Frame, NONE, OPEN};
use crate::ledger::NO_POST;
use crate::notes::Note;
use crate::options::{BudgetOptions, UnknownPosts};
use crate::policy::Policy;
use chrono::Datelike;

fn err(
    code: Code,
    kind: RecordKind,
    index: usize,
    id: String,
    field: &str,
    message: impl Into<String>,
) -> Error {
    Error::Input(InputError::new(
        code,
        RecordRef::new(kind, index, id),
        field,
        message,
    ))
}

/// Check the options and the input against the policy.
///
/// # Errors
/// An input error naming the record and field.
pub fn check(policy: &Policy, frame: &Frame, opts: &BudgetOptions) -> Result<Checked> {
    check_options(opts)?;
    check_parameters(policy, opts)?;
    let communities = &frame.communities;
    if let Some(c) = communities
        .households
        .iter()
        .position(|&h| h > opts.max_households)
    {
        let h = communities.households[c];
        return Err(err(
            Code::AbsurdHouseholds,
            RecordKind::Community,
            c,
            communities.id.text(c).into_owned(),
            "households",
            format!("`{h}` households is more than any community has (the limit is {}, see max_households)", opts.max_households),
        ));
    }
    let mut rating_of_code = Vec::new();
    if policy.uses_ratings() {
        for (code, text) in communities.rating.values.iter().enumerate() {
            match policy.rating_position(text) {
                Some(k) => rating_of_code.push(u32::try_from(k).unwrap_or(NONE)),
                None => {
                    let c = communities.rating.first_row(code);
                    let known: Vec<String> = policy
                        .file()
                        .ratings
                        .iter()
                        .map(|r| format!("{} ({})", r.id, r.zh))
                        .collect();
                    return Err(err(
                        Code::UnknownRating,
                        RecordKind::Community,
                        c,
                        communities.id.text(c).into_owned(),
                        "rating",
                        format!(
                            "unknown rating `{text}`; this policy knows {} (write one of these, by id or Chinese name); 政策中没有评级“{text}”,本政策的评级为:{}",
                            known.join(", "),
                            policy
                                .file()
                                .ratings
                                .iter()
                                .map(|r| r.zh.as_str())
                                .collect::<Vec<_>>()
                                .join("、")
                        ),
                    ));
                }
            }
        }
    }
    let holdings = &frame.holdings;
    let mut post_of_code = Vec::with_capacity(holdings.post.values.len());
    let mut skipped_codes = false;
    for (code, text) in holdings.post.values.iter().enumerate() {
        match policy.post_position(text) {
            Some(k) => post_of_code.push(u16::try_from(k).unwrap_or(u16::MAX)),
            None if opts.unknown_posts == UnknownPosts::Skip => {
                post_of_code.push(NO_POST);
                skipped_codes = true;
            }
            None => {
                let h = holdings
                    .post
                    .codes
                    .iter()
                    .position(|&x| x as usize == code)
                    .unwrap_or(0);
                let known: Vec<String> = policy
                    .file()
                    .posts
                    .iter()
                    .map(|p| {
                        let mut names = vec![p.zh.as_str()];
                        names.extend(p.aliases.iter().map(String::as_str));
                        format!("{} ({})", p.id, names.join("/"))
                    })
                    .collect();
                let zh: Vec<&str> = policy.file().posts.iter().map(|p| p.zh.as_str()).collect();
                return Err(person_error(
                    frame,
                    h,
                    Code::UnknownPost,
                    "post",
                    format!(
                        "unknown post `{text}`; this policy knows {} (write one of these, by id or Chinese name; to skip the posts this policy does not pay, set unknown_posts = skip); 政策中没有职务“{text}”,本政策的职务为:{}(如本政策不支付该职务,可设 unknown_posts = skip 跳过)",
                        known.join(", "),
                        zh.join("、")
                    ),
                ));
            }
        }
    }
    let skipped = if skipped_codes {
        (0..holdings.len())
            .filter(|&h| post_of_code.get(holdings.post.codes[h] as usize) == Some(&NO_POST))
            .map(|h| u32::try_from(h).unwrap_or(NONE))
            .collect()
    } else {
        Vec::new()
    };
    check_dates(frame, opts)?;
    let (adjustments, adjustment_rule) = check_adjustments(policy, frame)?;
    Ok(Checked {
        post_of_code,
        rating_of_code,
        adjustments,
        adjustment_rule,
        skipped,
    })
}

/// The warning of each post held that the policy does not know and the
/// options skip (`unknown_posts = skip`), in the order of the people.
///
/// ```
/// use shequ::{BudgetOptions, Policy, options::UnknownPosts};
/// let request = r#"{"policy": "jilin-2011-13", "year": 2026, "unknown_posts": "skip",
///   "communities": [{"id": "C1", "households": 900, "rating": "ordinary"}],
///   "people": [{"id": "P1", "community": "C1", "post": "居民小组长", "start": "2020-01-01"},
///              {"id": "P1", "community": "C1", "post": "director", "start": "2020-01-01"}]}"#;
/// let budget = shequ::ffi::budget_from_json(request).unwrap();
/// let skipped: Vec<_> = budget.warnings.iter().filter(|w| w.code == "post_not_in_policy").collect();
/// assert_eq!(skipped.len(), 1);
/// assert!(skipped[0].en.contains("`居民小组长`"), "{}", skipped[0].en);
/// ```
pub fn skipped_notes(policy: &Policy, frame: &Frame, checked: &Checked) -> Vec<Note> {
    let people = &frame.people;
    let doc = policy.document();
    checked
        .skipped
        .iter()
        .map(|&h| {
            let h = h as usize;
            let p = people
                .holdings
                .partition_point(|&s| s as usize <= h)
                .saturating_sub(1);
            let post = frame.holdings.post.get(h).unwrap_or_default();
            let who = people.display(p);
            let row = frame.holdings.record.get(h).map_or(h, |&r| r as usize).saturating_add(1);
            Note {
                code: "post_not_in_policy",
                community: people
                    .community
                    .get(p)
                    .map(|&c| frame.community_id(c as usize)),
                person: Some(frame.person_id(p)),
                rule: None,
                clause: None,
                zh: format!("{who} 的职务“{post}”(人员表第 {row} 行)不在 {doc} 中,按设置跳过,未计入"),
                en: format!("{who}: post `{post}` (people row {row}) is not one {doc} knows; skipped as asked (unknown_posts = skip), nothing is owed for it"),
            }
        })
        .collect()
}

/// The error for the person holding post `h`.
fn person_error(frame: &Frame, h: usize, code: Code, field: &str, message: String) -> Error {
    let people = &frame.people;
    let p = people
        .holdings
        .partition_point(|&s| s as usize <= h)
        .saturating_sub(1);
    let record = frame.holdings.record.get(h).map_or(h, |&r| r as usize);
    err(
        code,
        RecordKind::Person,
        record,
        people.id.text(p).into_owned(),
        field,
        message,
    )
}

fn check_dates(frame: &Frame, opts: &BudgetOptions) -> Result<()> {
    let (from, to) = opts.date_years;
    let h = &frame.holdings;
    let bad = |d: chrono::NaiveDate| {
        let y = d.year();
        y < from || y > to
    };
    let start = h.start.iter().position(|&d| bad(d));
    let end = h.end.iter().position(|&d| d != OPEN && bad(d));
    let first = match (start, end) {
        (Some(s), Some(e)) => Some(if e < s { (e, "end") } else { (s, "start") }),
        (Some(s), None) => Some((s, "start")),
        (None, Some(e)) => Some((e, "end")),
        (None, None) => None,
    };
    if let Some((k, field)) = first {
        let d = if field == "start" {
            h.start[k]
        } else {
            h.end[k]
        };
        return Err(person_error(
            frame,
            k,
            Code::OutOfRange,
            field,
            format!("`{d}` is outside the years {from}–{to} a post's dates may fall in (see date_years)"),
        ));
    }
    Ok(())
}

fn check_adjustments(policy: &Policy, frame: &Frame) -> Result<(Vec<u32>, Vec<u16>)> {
    use super::rules::adjustment::{adjustment_rule, NoRule};
    let mut rules = Vec::with_capacity(frame.adjustments.len());
    for a in &frame.adjustments {
        let record = a.record as usize;
        let id = frame.communities.id.text(a.community as usize).into_owned();
        let named = a.rule.as_deref().unwrap_or_default();
        let no_rule = |code, message: String| {
            err(
                code,
                RecordKind::Adjustment,
                record,
                id.clone(),
                "rule",
                message,
            )
        };
        match adjustment_rule(policy.rules(), a.rule.as_deref()) {
            Ok(k) => rules.push(u16::try_from(k).unwrap_or(u16::MAX)),
            Err(NoRule::Unknown) => return Err(no_rule(Code::UnknownRule, format!("this policy has no rule `{named}`"))),
            Err(NoRule::PaysNothing) => return Err(no_rule(
                Code::UnknownRule,
                format!("rule `{named}` only counts posts and pays nothing, so it has no payer split to adjust; name a rule that pays, or none for the work funds"),
            )),
            Err(NoRule::NoWorkFunds) => {
                return Err(no_rule(
                    Code::MissingField,
                    "this policy has no work-funds rule; name the rule the adjustment belongs to".into(),
                ))
            }
        }
    }
    let mut order: Vec<u32> = (0..frame.adjustments.len())
        .map(|k| u32::try_from(k).unwrap_or(NONE))
        .collect();
    order.sort_by_key(|&k| frame.adjustments[k as usize].community);
    Ok((order, rules))
}

/// Every parameter given is one the policy declares: a misspelt name
/// would otherwise be ignored, and the budget fail for want of the
/// parameter it stood for (or, for one the policy only checks, pass
/// without it).
///
/// # Errors
/// `unknown_parameter`, naming it and the name it likely stands for.
pub fn check_parameters(policy: &Policy, opts: &BudgetOptions) -> Result<()> {
    let declared = &policy.file().parameters;
    let Some(name) = opts
        .parameters
        .keys()
        .find(|name| !declared.iter().any(|p| p.id == **name))
    else {
        return Ok(());
    };
    let ids = declared.iter().map(|p| p.id.as_str());
    let hint = crate::suggest::did_you_mean(name, ids.clone());
    let list: Vec<&str> = ids.collect();
    let known = if list.is_empty() {
        format!("policy `{}` declares no parameters", policy.id())
    } else {
        format!("policy `{}` declares {}", policy.id(), list.join(", "))
    };
    Err(Error::Input(InputError::new(
        Code::UnknownParameter,
        RecordRef {
            kind: RecordKind::Parameter,
            index: None,
            id: Some(name.clone()),
        },
        name,
        format!("unknown parameter `{name}`{hint}; {known}"),
    )))
}

fn check_options(opts: &BudgetOptions) -> Result<()> {
    let bad = |field: &str, message: String| {
        Error::Input(InputError::new(
            Code::OutOfRange,
            RecordRef::request(),
            field,
            message,
        ))
    };
    if !(1949..=2200).contains(&opts.year) {
        return Err(bad(
            "year",
            format!("year `{}` is outside 1949–2200", opts.year),
        ));
    }
    if let Some(d) = opts.as_of {
        if d.year() != opts.year {
            return Err(bad(
                "as_of",
                format!("as-of date `{d}` is not in the budget year {}", opts.year),
            ));
        }
    }
    if opts.max_households < 0 {
        return Err(bad(
            "max_households",
            format!("`{}` is negative", opts.max_households),
        ));
    }
    let (from, to) = opts.date_years;
    if from > to || from < 1 || to > 9999 {
        return Err(bad(
            "date_years",
            format!("`{from}–{to}` is not a range of years between 1 and 9999"),
        ));
    }
    Ok(())
}
