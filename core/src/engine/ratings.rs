//! Community ratings under a quota: checking ratings as given, or assigning
//! them from assessment scores with the tie rule.

use super::checked::Checked;
use crate::budget::{BudgetOptions, CapCheck, QuotaCheck, QuotaMode, RatingSource, RatingsUsed};
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef, Result};
use crate::frame::{Communities, NONE};
use crate::notes::Note;
use crate::policy::file::{RatingQuota, Rounding};
use crate::policy::Policy;
use rust_decimal::{Decimal, RoundingStrategy};

/// The ratings a budget pays at.
pub struct Resolved {
    /// Per community, the ratings used, and how.
    pub used: RatingsUsed,
    /// The quota check.
    pub quota: Option<QuotaCheck>,
    /// Warnings raised.
    pub warnings: Vec<Note>,
}

/// The number of communities a cap of `percent` allows among `n`.
///
/// ```
/// use rust_decimal::Decimal;
/// use shequ::policy::file::Rounding;
/// use shequ::engine::ratings::cap_count;
/// assert_eq!(cap_count(Decimal::from(10), 31, Rounding::Floor), 3);
/// assert_eq!(cap_count(Decimal::from(30), 31, Rounding::Floor), 9);
/// assert_eq!(cap_count(Decimal::from(30), 31, Rounding::Ceil), 10);
/// ```
/// A cap past what the arithmetic holds is no cap (`usize::MAX`); a
/// negative one allows none (a policy's caps are 0–100%, so neither
/// happens with a validated policy).
pub fn cap_count(percent: Decimal, n: usize, rounding: Rounding) -> usize {
    let saturated = if percent.is_sign_negative() {
        0
    } else {
        usize::MAX
    };
    let Some(exact) = percent
        .checked_mul(Decimal::from(n))
        .and_then(|p| p.checked_div(Decimal::ONE_HUNDRED))
    else {
        return saturated;
    };
    let whole = match rounding {
        Rounding::Floor => exact.floor(),
        Rounding::Ceil => exact.ceil(),
        Rounding::Round => exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
    };
    usize::try_from(whole).unwrap_or(saturated)
}

/// Resolve the ratings of all communities.
pub fn resolve(
    policy: &Policy,
    communities: &Communities,
    checked: &Checked,
    opts: &BudgetOptions,
) -> Result<Resolved> {
    let n = communities.len();
    if !policy.uses_ratings() {
        return Ok(Resolved {
            used: RatingsUsed::default(),
            quota: None,
            warnings: Vec::new(),
        });
    }
    let from_scores = match opts.ratings {
        RatingSource::Given => false,
        RatingSource::Scores => true,
        RatingSource::Auto => {
            n > 0
                && (0..n).all(|c| {
                    communities.rating.codes[c] == NONE && communities.score_of(c).is_some()
                })
        }
    };
    if from_scores {
        assign_from_scores(policy, communities)
    } else {
        check_given(policy, communities, checked, opts)
    }
}

fn quota_rows(policy: &Policy, quota: &RatingQuota, n: usize, counts: &[usize]) -> Vec<CapCheck> {
    policy
        .file()
        .ratings
        .iter()
        .enumerate()
        .filter_map(|(k, r)| {
            let cap = quota.caps.get(&r.id)?;
            let allowed = cap_count(cap.value.0, n, quota.rounding.value);
            Some(CapCheck {
                rating: r.id.clone(),
                percent: cap.value.0,
                cap: allowed,
                count: counts[k],
                within: counts[k] <= allowed,
            })
        })
        .collect()
}

fn check_given(
    policy: &Policy,
    communities: &Communities,
    checked: &Checked,
    opts: &BudgetOptions,
) -> Result<Resolved> {
    let mut counts = vec![0usize; policy.file().ratings.len()];
    let n = communities.len();
    let mut ratings = Vec::with_capacity(n);
    for i in 0..n {
        let code = communities.rating.codes[i];
        let Some(&k) = checked.rating_of_code.get(code as usize) else {
            return Err(Error::Input(InputError::new(
                InputErrorCode::MissingRating,
                RecordRef::new(RecordKind::Community, i, communities.id.text(i).into_owned()),
                "rating",
                "this policy pays by rating: give the community's rating, or scores for every community to assign ratings",
            )));
        };
        if let Some(c) = counts.get_mut(k as usize) {
            *c = c.saturating_add(1);
        }
        ratings.push(k);
    }
    let communities = n;
    let mut warnings = Vec::new();
    let quota = match &policy.file().rating_quota {
        None => None,
        Some(q) => {
            let caps = quota_rows(policy, q, communities, &counts);
            for cap in caps.iter().filter(|c| !c.within) {
                if opts.quota == QuotaMode::Error {
                    return Err(Error::QuotaExceeded {
                        label: policy
                            .rating(&cap.rating)
                            .map_or_else(|| cap.rating.clone(), |r| r.zh.clone()),
                        rating: cap.rating.clone(),
                        count: cap.count,
                        cap: cap.cap,
                        total: communities,
                        clause: q.clause.clone(),
                    });
                }
                let label = policy.rating(&cap.rating);
                warnings.push(Note {
                    code: "quota_exceeded",
                    community: None,
                    person: None,
                    rule: None,
                    clause: Some(q.clause.clone()),
                    zh: format!(
                        "{}社区{}个,超过限额{}个(社区总数{}的{}%),按给定评级支付",
                        label.map(|l| l.zh.as_str()).unwrap_or(&cap.rating),
                        cap.count,
                        cap.cap,
                        communities,
                        cap.percent
                    ),
                    en: format!(
                        "{} communities rated {}: over the cap of {} ({}% of {}); paid as given",
                        cap.count,
                        label.map(|l| l.en.as_str()).unwrap_or(&cap.rating),
                        cap.cap,
                        cap.percent,
                        communities
                    ),
                });
            }
            Some(QuotaCheck {
                clause: q.clause.clone(),
                communities,
                ratings_from: "given".into(),
                caps,
            })
        }
    };
    Ok(Resolved {
        used: RatingsUsed {
            rating: ratings,
            from_scores: false,
            demoted_from: Vec::new(),
        },
        quota,
        warnings,
    })
}

fn assign_from_scores(policy: &Policy, communities: &Communities) -> Result<Resolved> {
    let n = communities.len();
    let mut scores = Vec::with_capacity(n);
    for i in 0..n {
        let Some(s) = communities.score_of(i) else {
            return Err(Error::Input(InputError::new(
                InputErrorCode::MissingField,
                RecordRef::new(
                    RecordKind::Community,
                    i,
                    communities.id.text(i).into_owned(),
                ),
                "score",
                "ratings are assigned from scores, and this community has none",
            )));
        };
        scores.push(s);
    }
    let quota = policy.file().rating_quota.as_ref();
    // Best score first; equal scores keep input order.
    let mut remaining: Vec<usize> = (0..n).collect();
    remaining.sort_by(|a, b| scores[*b].cmp(&scores[*a]));
    let mut assigned: Vec<u32> = vec![NONE; n];
    let mut demoted: Vec<u32> = vec![NONE; n];
    let mut counts = vec![0usize; policy.file().ratings.len()];
    let mut warnings = Vec::new();
    for (k, rating) in policy.file().ratings.iter().enumerate() {
        let cap = quota.and_then(|q| {
            q.caps
                .get(&rating.id)
                .map(|c| cap_count(c.value.0, n, q.rounding.value))
        });
        let take = match cap {
            None => remaining.len(),
            Some(cap) if cap >= remaining.len() => remaining.len(),
            Some(cap) => {
                // A tie across the cap demotes every tied community.
                let boundary = scores[remaining[cap]];
                let mut take = cap;
                let before = |k: usize| k.checked_sub(1).map(|k| scores[remaining[k]]);
                if before(cap) == Some(boundary) {
                    while before(take) == Some(boundary) {
                        take = take.saturating_sub(1);
                    }
                    for &i in remaining
                        .iter()
                        .skip(take)
                        .take_while(|&&i| scores[i] == boundary)
                    {
                        if demoted[i] == NONE {
                            demoted[i] = u32::try_from(k).unwrap_or(NONE);
                        }
                        let name = communities.display(i);
                        warnings.push(Note {
                            code: "rating_demoted_tie",
                            community: Some(communities.id.get(i)),
                            person: None,
                            rule: None,
                            clause: quota.map(|q| q.clause.clone()),
                            zh: format!("{name} 得分{boundary}与其他社区并列,超过{}限额{cap}个,按并列规则降一档", rating.zh),
                            en: format!("{name} scored {boundary}, tied across the cap of {cap} {} communities; tied communities are all demoted", rating.en),
                        });
                    }
                }
                take
            }
        };
        for &i in remaining.iter().take(take) {
            assigned[i] = u32::try_from(k).unwrap_or(NONE);
        }
        counts[k] = take;
        remaining.drain(..take);
    }
    let quota = quota.map(|q| QuotaCheck {
        clause: q.clause.clone(),
        communities: n,
        ratings_from: "assigned".into(),
        caps: quota_rows(policy, q, n, &counts),
    });
    Ok(Resolved {
        used: RatingsUsed {
            rating: assigned,
            from_scores: true,
            demoted_from: demoted,
        },
        quota,
        warnings,
    })
}
