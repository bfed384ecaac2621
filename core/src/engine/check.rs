//! Input checks before any money is computed: every record and field the
//! policy will read is present, known and plausible.

use super::community_rules::NoRule;
use crate::budget::BudgetOptions;
use crate::error::{Error, InputError, InputErrorCode as Code, RecordKind, RecordRef, Result};
use crate::input::Input;
use crate::policy::Policy;
use rustc_hash::FxHashMap as HashMap;

/// Index of a checked input: community id → position, people per community.
pub struct Checked<'a> {
    /// Community id → position.
    pub community_index: HashMap<&'a str, usize>,
    /// For each community position, the positions of its people.
    pub people_of: Vec<Vec<usize>>,
    /// For each community position, the positions of its adjustments.
    pub adjustments_of: Vec<Vec<usize>>,
    /// For each person, each holding's canonical post id.
    pub canonical_posts: CanonicalPosts<'a>,
}

/// The canonical post id of every holding of every person, in one list.
pub struct CanonicalPosts<'a> {
    flat: Vec<&'a str>,
    /// Where each person's ids start in `flat`.
    start: Vec<usize>,
}

impl<'a> CanonicalPosts<'a> {
    /// The canonical post ids of person `index`'s holdings, in order.
    pub fn of(&self, index: usize) -> &[&'a str] {
        let Some(&a) = self.start.get(index) else {
            return &[];
        };
        let b = self
            .start
            .get(index + 1)
            .copied()
            .unwrap_or(self.flat.len());
        self.flat.get(a..b).unwrap_or(&[])
    }
}

fn err(
    code: Code,
    kind: RecordKind,
    index: usize,
    id: &str,
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
pub fn check<'a>(
    policy: &'a Policy,
    input: &'a Input,
    opts: &BudgetOptions,
) -> Result<Checked<'a>> {
    check_options(opts)?;
    let mut community_index =
        HashMap::with_capacity_and_hasher(input.communities.len(), Default::default());
    for (i, c) in input.communities.iter().enumerate() {
        let kind = RecordKind::Community;
        if c.id.trim().is_empty() {
            return Err(err(
                Code::EmptyId,
                kind,
                i,
                &c.id,
                "id",
                "the community id is empty",
            ));
        }
        if community_index.insert(c.id.as_str(), i).is_some() {
            return Err(err(
                Code::DuplicateId,
                kind,
                i,
                &c.id,
                "id",
                format!("community id `{}` appears twice", c.id),
            ));
        }
        if c.households < 0 {
            return Err(err(
                Code::NegativeHouseholds,
                kind,
                i,
                &c.id,
                "households",
                format!("`{}` households is negative", c.households),
            ));
        }
        if c.households > opts.max_households {
            return Err(err(
                Code::AbsurdHouseholds,
                kind,
                i,
                &c.id,
                "households",
                format!("`{}` households is more than any community has (the limit is {}, see max_households)", c.households, opts.max_households),
            ));
        }
        if let Some(r) = &c.rating {
            if policy.uses_ratings() && policy.rating(r).is_none() {
                let known: Vec<&str> = policy
                    .file()
                    .ratings
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect();
                return Err(err(
                    Code::UnknownRating,
                    kind,
                    i,
                    &c.id,
                    "rating",
                    format!(
                        "unknown rating `{r}`; this policy knows {}",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    let mut people_of = vec![Vec::new(); input.communities.len()];
    let mut canonical_posts = CanonicalPosts {
        flat: Vec::with_capacity(input.people.len() * 2),
        start: Vec::with_capacity(input.people.len() + 1),
    };
    let mut person_ids = crate::input::IdIndex::with_capacity(input.people.len());
    let mut last_community: Option<(&str, usize)> = None;
    for (i, p) in input.people.iter().enumerate() {
        let kind = RecordKind::Person;
        if p.id.trim().is_empty() {
            return Err(err(
                Code::EmptyId,
                kind,
                i,
                &p.id,
                "id",
                "the person id is empty",
            ));
        }
        let seen = person_ids.find_or_file(&p.id, i, &|j| input.people[j].id.as_str());
        if seen.is_some() {
            return Err(err(
                Code::DuplicateId,
                kind,
                i,
                &p.id,
                "id",
                format!("person id `{}` appears twice", p.id),
            ));
        }
        // People come grouped by community: the one before's is likely theirs.
        let same_as_before = last_community.filter(|(id, _)| *id == p.community.as_str());
        let Some(ci) = same_as_before
            .map(|(_, ci)| ci)
            .or_else(|| community_index.get(p.community.as_str()).copied())
        else {
            return Err(err(
                Code::UnknownCommunity,
                kind,
                i,
                &p.id,
                "community",
                format!(
                    "community `{}` is not in the communities given",
                    p.community
                ),
            ));
        };
        last_community = Some((p.community.as_str(), ci));
        people_of[ci].push(i);
        if p.posts.is_empty() {
            return Err(err(
                Code::NoPosts,
                kind,
                i,
                &p.id,
                "posts",
                "the person holds no post",
            ));
        }
        canonical_posts.start.push(canonical_posts.flat.len());
        for h in &p.posts {
            let Some(def) = policy.post(&h.post) else {
                let known: Vec<&str> = policy.file().posts.iter().map(|p| p.id.as_str()).collect();
                return Err(err(
                    Code::UnknownPost,
                    kind,
                    i,
                    &p.id,
                    "post",
                    format!(
                        "unknown post `{}`; this policy knows {}",
                        h.post,
                        known.join(", ")
                    ),
                ));
            };
            if let Some(end) = h.end {
                if end < h.start {
                    return Err(err(
                        Code::StartAfterEnd,
                        kind,
                        i,
                        &p.id,
                        "start",
                        format!("post `{}` starts {} after it ends {}", h.post, h.start, end),
                    ));
                }
            }
            canonical_posts.flat.push(def.id.as_str());
        }
    }
    let mut adjustments_of = vec![Vec::new(); input.communities.len()];
    for (i, a) in input.adjustments.iter().enumerate() {
        let kind = RecordKind::Adjustment;
        let Some(&ci) = community_index.get(a.community.as_str()) else {
            return Err(err(
                Code::UnknownCommunity,
                kind,
                i,
                &a.community,
                "community",
                format!(
                    "community `{}` is not in the communities given",
                    a.community
                ),
            ));
        };
        let named = a.rule.as_deref().unwrap_or_default();
        let no_rule = |code, message: String| err(code, kind, i, &a.community, "rule", message);
        match super::community_rules::adjustment_rule(policy, a.rule.as_deref()) {
            Ok(_) => {}
            Err(NoRule::Unknown) => {
                return Err(no_rule(
                    Code::UnknownRule,
                    format!("this policy has no rule `{named}`"),
                ))
            }
            Err(NoRule::PaysNothing) => return Err(no_rule(
                Code::UnknownRule,
                format!("rule `{named}` only counts posts and pays nothing, so it has no payer split to adjust; name a rule that pays, or none for the work funds"),
            )),
            Err(NoRule::NoWorkFunds) => {
                return Err(no_rule(
                    Code::MissingField,
                    "this policy has no work-funds rule; name the rule the adjustment belongs to"
                        .into(),
                ))
            }
        }
        if a.reason.trim().is_empty() {
            return Err(err(
                Code::MissingField,
                kind,
                i,
                &a.community,
                "reason",
                "an adjustment needs a reason",
            ));
        }
        adjustments_of[ci].push(i);
    }
    Ok(Checked {
        community_index,
        people_of,
        adjustments_of,
        canonical_posts,
    })
}

fn check_options(opts: &BudgetOptions) -> Result<()> {
    use chrono::Datelike;
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
    Ok(())
}
