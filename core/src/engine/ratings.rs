//! Community ratings under a quota: checking ratings as given, or assigning
//! them from assessment scores with the tie rule.

use crate::budget::{
    BudgetOptions, CapCheck, Id, Note, QuotaCheck, QuotaMode, RatingOutcome, RatingSource,
};
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef, Result};
use crate::input::Community;
use crate::policy::file::{RatingQuota, Rounding};
use crate::policy::Policy;
use rust_decimal::{Decimal, RoundingStrategy};

/// The ratings a budget pays at.
pub struct Resolved {
    /// Per community position, the rating id used.
    pub ratings: Vec<Option<String>>,
    /// Per community, how it got it.
    pub outcomes: Vec<RatingOutcome>,
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
pub fn cap_count(percent: Decimal, n: usize, rounding: Rounding) -> usize {
    let exact = percent * Decimal::from(n) / Decimal::ONE_HUNDRED;
    let whole = match rounding {
        Rounding::Floor => exact.floor(),
        Rounding::Ceil => exact.ceil(),
        Rounding::Round => exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
    };
    usize::try_from(whole.mantissa() / 10i128.pow(whole.scale())).unwrap_or(usize::MAX)
}

/// Resolve the ratings of all communities.
pub fn resolve(
    policy: &Policy,
    communities: &[Community],
    opts: &BudgetOptions,
) -> Result<Resolved> {
    let n = communities.len();
    if !policy.uses_ratings() {
        return Ok(Resolved {
            ratings: vec![None; n],
            outcomes: Vec::new(),
            quota: None,
            warnings: Vec::new(),
        });
    }
    let from_scores = match opts.ratings {
        RatingSource::Given => false,
        RatingSource::Scores => true,
        RatingSource::Auto => {
            n > 0
                && communities
                    .iter()
                    .all(|c| c.rating.is_none() && c.score.is_some())
        }
    };
    if from_scores {
        assign_from_scores(policy, communities)
    } else {
        check_given(policy, communities, opts)
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
    communities: &[Community],
    opts: &BudgetOptions,
) -> Result<Resolved> {
    let mut counts = vec![0usize; policy.file().ratings.len()];
    let mut ratings = Vec::with_capacity(communities.len());
    let mut outcomes = Vec::with_capacity(communities.len());
    for (i, c) in communities.iter().enumerate() {
        let Some(r) = &c.rating else {
            return Err(Error::Input(InputError::new(
                InputErrorCode::MissingRating,
                RecordRef::new(RecordKind::Community, i, c.id.clone()),
                "rating",
                "this policy pays by rating: give the community's rating, or scores for every community to assign ratings",
            )));
        };
        if let Some(k) = policy.rating_rank(r) {
            counts[k] += 1;
        }
        ratings.push(Some(r.clone()));
        outcomes.push(RatingOutcome {
            community: c.id.clone(),
            rating: Some(r.clone()),
            given: Some(r.clone()),
            score: c.score,
            demoted_from: None,
        });
    }
    let mut warnings = Vec::new();
    let quota = match &policy.file().rating_quota {
        None => None,
        Some(q) => {
            let caps = quota_rows(policy, q, communities.len(), &counts);
            for cap in caps.iter().filter(|c| !c.within) {
                if opts.quota == QuotaMode::Error {
                    return Err(Error::QuotaExceeded {
                        rating: cap.rating.clone(),
                        count: cap.count,
                        cap: cap.cap,
                        total: communities.len(),
                        clause: q.clause.clone(),
                    });
                }
                let label = policy.rating(&cap.rating);
                warnings.push(Note {
                    code: "quota_exceeded",
                    community: None,
                    person: None,
                    rule: None,
                    clause: Some(Id::from(q.clause.as_str())),
                    zh: format!(
                        "{}社区{}个,超过限额{}个(社区总数{}的{}%),按给定评级支付",
                        label.map(|l| l.zh.as_str()).unwrap_or(&cap.rating),
                        cap.count,
                        cap.cap,
                        communities.len(),
                        cap.percent
                    ),
                    en: format!(
                        "{} communities rated {}: over the cap of {} ({}% of {}); paid as given",
                        cap.count,
                        label.map(|l| l.en.as_str()).unwrap_or(&cap.rating),
                        cap.cap,
                        cap.percent,
                        communities.len()
                    ),
                });
            }
            Some(QuotaCheck {
                clause: q.clause.clone(),
                communities: communities.len(),
                ratings_from: "given".into(),
                caps,
            })
        }
    };
    Ok(Resolved {
        ratings,
        outcomes,
        quota,
        warnings,
    })
}

fn assign_from_scores(policy: &Policy, communities: &[Community]) -> Result<Resolved> {
    let mut scores = Vec::with_capacity(communities.len());
    for (i, c) in communities.iter().enumerate() {
        let Some(s) = c.score else {
            return Err(Error::Input(InputError::new(
                InputErrorCode::MissingField,
                RecordRef::new(RecordKind::Community, i, c.id.clone()),
                "score",
                "ratings are assigned from scores, and this community has none",
            )));
        };
        scores.push(s);
    }
    let n = communities.len();
    let quota = policy.file().rating_quota.as_ref();
    // Best score first; equal scores keep input order.
    let mut remaining: Vec<usize> = (0..n).collect();
    remaining.sort_by(|a, b| scores[*b].cmp(&scores[*a]));
    let mut assigned: Vec<Option<String>> = vec![None; n];
    let mut demoted: Vec<Option<String>> = vec![None; n];
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
                if cap > 0 && scores[remaining[cap - 1]] == boundary {
                    while take > 0 && scores[remaining[take - 1]] == boundary {
                        take -= 1;
                    }
                    for &i in remaining
                        .iter()
                        .skip(take)
                        .take_while(|&&i| scores[i] == boundary)
                    {
                        if demoted[i].is_none() {
                            demoted[i] = Some(rating.id.clone());
                        }
                        let c = &communities[i];
                        warnings.push(Note {
                            code: "rating_demoted_tie",
                            community: Some(Id::from(c.id.as_str())),
                            person: None,
                            rule: None,
                            clause: quota.map(|q| Id::from(q.clause.as_str())),
                            zh: format!("{} 得分{}与其他社区并列,超过{}限额{}个,按并列规则降一档", name(c), boundary, rating.zh, cap),
                            en: format!("{} scored {}, tied across the cap of {} {} communities; tied communities are all demoted", name(c), boundary, cap, rating.en),
                        });
                    }
                }
                take
            }
        };
        for &i in remaining.iter().take(take) {
            assigned[i] = Some(rating.id.clone());
        }
        counts[k] = take;
        remaining.drain(..take);
    }
    let outcomes = communities
        .iter()
        .enumerate()
        .map(|(i, c)| RatingOutcome {
            community: c.id.clone(),
            rating: assigned[i].clone(),
            given: None,
            score: Some(scores[i]),
            demoted_from: demoted[i].clone(),
        })
        .collect();
    let quota = quota.map(|q| QuotaCheck {
        clause: q.clause.clone(),
        communities: n,
        ratings_from: "assigned".into(),
        caps: quota_rows(policy, q, n, &counts),
    });
    Ok(Resolved {
        ratings: assigned,
        outcomes,
        quota,
        warnings,
    })
}

fn name(c: &Community) -> String {
    if c.name.is_empty() {
        c.id.clone()
    } else {
        format!("{}({})", c.name, c.id)
    }
}
