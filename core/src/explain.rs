//! A budget in words, written when asked for: each item's sentence (who,
//! the rule, how it was computed, the amount, each payer's share and the
//! clause), its provenance, the "why not" notes, a community's story, and
//! the whole budget as JSON.
//!
//! Everything here is a function of the budget's items, the policy and the
//! input: an item's computation is worked out again by its rule kind
//! ([`crate::engine::rules`]), with the same code that computed its amount.

#![deny(clippy::arithmetic_side_effects)] // money: checked (see core/tests/checked_arithmetic.rs)

use crate::budget::{Budget, Exclusion, RatingOutcome, Share, ADJUSTMENT, NO_POST};
use crate::engine::ctx::{City, Ctx};
use crate::engine::rules::{self, adjustment, Calc, Ready};
use crate::frame::NONE;
use crate::ids::Id;
use crate::lang::{num, payer_name, rating_name, rule_name, yuan, Script};
use crate::money::from_fen;
use crate::notes::Note;
use crate::policy::values::Source;
use crate::provenance::Provenance;
use rust_decimal::Decimal;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::fmt::Write;
use std::sync::Arc;

pub use crate::lang::Lang;

/// One item written out: ids, labels, amount, shares, how it was computed
/// and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Community id.
    pub community: Id,
    /// Person id, for person items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Id>,
    /// Rule id (`adjustment` for adjustments).
    pub rule: String,
    /// Post paid, for single-post items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    /// Months counted, for monthly items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    /// Amount in yuan, rounded to the fen.
    pub amount: Decimal,
    /// Payer shares, adding up to `amount`.
    pub shares: Vec<Share>,
    /// How it was computed.
    pub calc: Calc,
    /// Where it comes from.
    pub provenance: Arc<Provenance>,
}

fn source_word(s: Source, lang: Lang) -> &'static str {
    match (s, lang) {
        (Source::Stated, Lang::Zh) => "文件明定",
        (Source::Assumed, Lang::Zh) => "含推定取值",
        (Source::Override, Lang::Zh) => "含假设调整",
        (Source::Input, Lang::Zh) => "调用方提供",
        (Source::Stated, Lang::En) => "stated by the document",
        (Source::Assumed, Lang::En) => "uses assumed values",
        (Source::Override, Lang::En) => "uses overridden values",
        (Source::Input, Lang::En) => "supplied by the caller",
    }
}

/// What writes a budget's items: its policy's rules made ready again, and
/// its city. Make one for many items (see [`Budget::explainer`]).
pub struct Explainer<'b> {
    budget: &'b Budget,
    ctx: Ctx<'b>,
    ready: Vec<Ready<'b>>,
    city: City<'b>,
    /// Per rule, the provenance of its items.
    provenance: Vec<Arc<Provenance>>,
    /// The script of the policy's Chinese.
    script: Script,
}

impl<'b> Explainer<'b> {
    fn new(budget: &'b Budget) -> Option<Self> {
        let file = budget.source.file();
        let mut ctx = Ctx::new(file, &budget.options).ok()?;
        let ready = (0..file.rules.len())
            .filter_map(|k| Ready::new(&mut ctx, k))
            .collect();
        let provenance = file
            .rules
            .iter()
            .map(|r| Arc::new(rules::provenance(file, r)))
            .collect();
        Some(Explainer {
            budget,
            ctx,
            ready,
            city: City {
                frame: &budget.input,
                checked: &budget.checked,
                ratings: &budget.ratings.rating,
            },
            provenance,
            script: Script::of(file),
        })
    }

    /// How item `i` was computed.
    pub fn calc(&self, i: usize) -> Option<Calc> {
        let items = &self.budget.items;
        let rule = *items.rule.get(i)?;
        if rule == ADJUSTMENT {
            return Some(adjustment::calc(&self.budget.input, items.aux[i] as usize));
        }
        self.ready
            .get(rule as usize)?
            .calc(&self.ctx, &self.city, items, i)
            .ok()
    }

    /// Where item `i` comes from.
    pub fn provenance(&self, i: usize) -> Option<Arc<Provenance>> {
        let items = &self.budget.items;
        let rule = *items.rule.get(i)?;
        if rule != ADJUSTMENT {
            return self.provenance.get(rule as usize).cloned();
        }
        let a = items.aux[i] as usize;
        let k = *self.budget.checked.adjustment_rule.get(a)?;
        let file = self.ctx.file;
        let line = self.budget.input.adjustments.get(a)?;
        Some(Arc::new(adjustment::provenance(
            file,
            file.rules.get(k as usize)?,
            &line.reason,
        )))
    }

    fn rule_id(&self, i: usize) -> &'b str {
        match self.budget.items.rule.get(i) {
            Some(&ADJUSTMENT) | None => "adjustment",
            Some(&r) => self.ctx.file.rules.get(r as usize).map_or("", |r| r.id()),
        }
    }

    fn post_id(&self, i: usize) -> Option<&'b str> {
        match self.budget.items.post.get(i) {
            Some(&NO_POST) | None => None,
            Some(&p) => self.ctx.file.posts.get(p as usize).map(|p| p.id.as_str()),
        }
    }

    /// Item `i` written out.
    pub fn item(&self, i: usize) -> Option<Item> {
        let items = &self.budget.items;
        let frame = &self.budget.input;
        let person = *items.person.get(i)?;
        Some(Item {
            community: frame.community_id(items.community[i] as usize),
            person: (person != NONE).then(|| frame.person_id(person as usize)),
            rule: self.rule_id(i).to_string(),
            post: self.post_id(i).map(str::to_string),
            months: items.month_count(i),
            amount: from_fen(items.amount[i]),
            shares: self.budget.shares_of(i),
            calc: self.calc(i)?,
            provenance: self.provenance(i)?,
        })
    }

    /// Item `i` in one sentence.
    pub fn sentence(&self, i: usize, lang: Lang) -> Option<String> {
        let items = &self.budget.items;
        let frame = &self.budget.input;
        let file = self.ctx.file;
        let c = *items.community.get(i)? as usize;
        let community = frame.communities.display(c);
        let who = match items.person[i] {
            NONE => community,
            p => format!("{community} {}", frame.people.display(p as usize)),
        };
        let zh = lang == Lang::Zh;
        let script = if zh { self.script } else { Script::Simplified };
        let who = script.keep(&who);
        let rule = rule_name(file, self.rule_id(i), lang);
        let calc = self.calc(i)?;
        let rule_def = match items.rule[i] {
            ADJUSTMENT => None,
            r => file.rules.get(r as usize),
        };
        let mut s = rules::describe(file, rule_def, &calc, self.post_id(i), &who, rule, lang);
        let amount = from_fen(items.amount[i]);
        let _ = if zh {
            write!(s, " = {}元,", yuan(amount))
        } else {
            write!(s, " = {} yuan; ", yuan(amount))
        };
        let shares: Vec<String> = self
            .budget
            .shares_of(i)
            .iter()
            .map(|sh| {
                let name = payer_name(file, &sh.payer, lang);
                if zh {
                    format!("{name}{}% {}元", num(sh.percent), yuan(sh.amount))
                } else {
                    format!("{name} {}% {}", num(sh.percent), yuan(sh.amount))
                }
            })
            .collect();
        s.push_str(&shares.join(" / "));
        let p = self.provenance(i)?;
        let _ = if zh {
            write!(
                s,
                ",依据 {} {}({})",
                p.document,
                p.clause,
                source_word(p.source, lang)
            )
        } else {
            write!(
                s,
                "; under {} clause {} ({})",
                p.document,
                p.clause,
                source_word(p.source, lang)
            )
        };
        Some(script.finish(s))
    }

    /// A "why not" note written out.
    pub fn note(&self, e: &Exclusion) -> Note {
        let frame = &self.budget.input;
        let file = self.ctx.file;
        let rule = file.rules.get(e.rule as usize);
        let name = if e.person == NONE {
            frame.communities.display(e.community as usize)
        } else {
            frame.people.display(e.person as usize)
        };
        let kept = self.script.keep(&name);
        let (zh, en) = match rule {
            Some(r) => self
                .ready
                .get(e.rule as usize)
                .and_then(|ready| ready.note_text(&self.ctx, &self.city, e, r, &kept, &name)),
            None => rules::person_note(e, file, &self.city, &kept, &name),
        }
        .unwrap_or_default();
        Note {
            code: e.code,
            community: Some(frame.community_id(e.community as usize)),
            person: (e.person != NONE).then(|| frame.person_id(e.person as usize)),
            rule: rule.map(|r| r.id().to_string()),
            clause: rule.map(|r| r.head().clause.to_string()),
            zh: self.script.finish(zh),
            en,
        }
    }

    /// Community `c`'s rating, and how it got it (`None` when the policy
    /// does not pay by rating).
    pub fn rating(&self, c: usize) -> Option<RatingOutcome> {
        let used = &self.budget.ratings;
        let k = *used.rating.get(c)?;
        let communities = &self.budget.input.communities;
        let file = self.ctx.file;
        let id = |k: u32| file.ratings.get(k as usize).map(|r| r.id.clone());
        Some(RatingOutcome {
            community: communities.id.get(c),
            rating: id(k),
            given: if used.from_scores {
                None
            } else {
                communities.rating.get(c).map(str::to_string)
            },
            score: communities.score_of(c),
            demoted_from: used.demoted_from.get(c).and_then(|&d| id(d)),
        })
    }

    /// The story of community `c`: its rating, each item, what was not
    /// paid and why, and its total.
    pub fn community(&self, c: usize, lang: Lang) -> Option<String> {
        let budget = self.budget;
        let total = *budget.totals.by_community.get(c)?;
        let zh = lang == Lang::Zh;
        let script = if zh { self.script } else { Script::Simplified };
        let file = self.ctx.file;
        let frame = &budget.input;
        let mut out = String::new();
        let name = frame.communities.display(c);
        let _ = if zh {
            writeln!(out, "{}({})", script.keep(&name), budget.document)
        } else {
            writeln!(out, "{name} ({})", budget.document)
        };
        if let Some(r) = self.rating(c) {
            let label = |x: &str| rating_name(file, x, lang).to_string();
            let rating = r
                .rating
                .as_deref()
                .map(label)
                .unwrap_or_else(|| lang.pick("未评级", "unrated").to_string());
            let _ = match (&r.given, r.score) {
                (Some(_), _) => {
                    if zh {
                        writeln!(out, "- 评级:{rating}(给定)")
                    } else {
                        writeln!(out, "- rating: {rating} (given)")
                    }
                }
                (None, Some(score)) => {
                    if zh {
                        writeln!(out, "- 评级:{rating}(按评分{score}评定)")
                    } else {
                        writeln!(out, "- rating: {rating} (assigned from score {score})")
                    }
                }
                _ => Ok(()),
            };
            if let Some(d) = &r.demoted_from {
                let _ = if zh {
                    writeln!(out, "- 评分可达{},因并列超出限额降档", label(d))
                } else {
                    writeln!(
                        out,
                        "- the score reached {}, but a tie across its cap demoted it",
                        label(d)
                    )
                };
            }
        }
        // The lines above are shequ's words and the data kept: in the
        // policy's script. The sentences and notes below are already.
        let mut out = script.finish(out);
        for i in budget.items_of_position(c) {
            let _ = writeln!(out, "- {}", self.sentence(i, lang)?);
        }
        let c32 = u32::try_from(c).unwrap_or(NONE);
        let id = frame.community_id(c);
        let notes = budget
            .exclusions
            .iter()
            .filter(|e| e.community == c32)
            .map(|e| self.note(e))
            .chain(
                budget
                    .warnings
                    .iter()
                    .filter(|n| n.community.as_ref() == Some(&id))
                    .cloned(),
            );
        for n in notes {
            let _ = writeln!(out, "- {}", if zh { &n.zh } else { &n.en });
        }
        let _ = if zh {
            write!(out, "{}", script.words(&format!("合计 {}元", yuan(total))))
        } else {
            write!(out, "total {} yuan", yuan(total))
        };
        Some(out)
    }

    /// The story of person `p`: their community and posts, each item they
    /// are paid, each note on what they are not paid and why, and their
    /// total. Everyone in the input has one (a person paid nothing has a
    /// note saying why).
    pub fn person(&self, p: usize, lang: Lang) -> Option<String> {
        let budget = self.budget;
        let frame = &budget.input;
        let c = *frame.people.community.get(p)? as usize;
        let file = self.ctx.file;
        let zh = lang == Lang::Zh;
        let script = if zh { self.script } else { Script::Simplified };
        let p32 = u32::try_from(p).unwrap_or(NONE);
        let mut out = String::new();
        let who = frame.people.display(p);
        let community = frame.communities.display(c);
        let _ = if zh {
            writeln!(
                out,
                "{},{}({})",
                script.keep(&who),
                script.keep(&community),
                budget.document
            )
        } else {
            writeln!(out, "{who}, {community} ({})", budget.document)
        };
        let h = &frame.holdings;
        for k in frame.people.holdings_of(p) {
            let post = self.city.post_of(k);
            let label = file
                .posts
                .get(post as usize)
                .map(|d| lang.pick(&d.zh, &d.en).to_string())
                .unwrap_or_else(|| h.post.get(k).unwrap_or_default().to_string());
            let end = (h.end[k] != crate::frame::OPEN).then(|| h.end[k]);
            let _ = match (zh, end) {
                (true, None) => writeln!(out, "- 职务:{label},{} 起", h.start[k]),
                (true, Some(e)) => writeln!(out, "- 职务:{label},{} 至 {e}", h.start[k]),
                (false, None) => writeln!(out, "- post: {label}, from {}", h.start[k]),
                (false, Some(e)) => {
                    writeln!(out, "- post: {label}, {} to {e}", h.start[k])
                }
            };
        }
        if frame.people.serving.get(p).copied().unwrap_or(false) {
            let _ = writeln!(
                out,
                "{}",
                lang.pick("- 在职人员", "- in serving employment")
            );
        }
        // Paid norms that count a post they hold: they are paid through
        // their community's item.
        let held: Vec<u16> = frame
            .people
            .holdings_of(p)
            .map(|k| self.city.post_of(k))
            .collect();
        for rule in &file.rules {
            let crate::policy::file::Rule::PostNorm(r) = rule else {
                continue;
            };
            if r.pay.is_none() {
                continue;
            }
            let mut counted = vec![r.post.as_str()];
            if let Some(crate::policy::file::NormActual::Roster { posts }) = &r.actual {
                counted.extend(posts.iter().map(String::as_str));
            }
            let counts = counted.iter().any(|c| {
                file.post_position(c)
                    .is_some_and(|k| held.contains(&u16::try_from(k).unwrap_or(u16::MAX)))
            });
            if counts {
                let _ = if zh {
                    writeln!(
                        out,
                        "- 所任职务计入所在社区的{}({}),不单独计发",
                        r.zh, r.clause
                    )
                } else {
                    writeln!(
                        out,
                        "- the post counts in the community's {} (clause {}), not paid in person",
                        r.en, r.clause
                    )
                };
            }
        }
        let mut out = script.finish(out);
        let mut total = 0i64;
        for i in (0..budget.items.len()).filter(|&i| budget.items.person[i] == p32) {
            total = total.saturating_add(budget.items.amount[i]);
            let _ = writeln!(out, "- {}", self.sentence(i, lang)?);
        }
        for e in budget.exclusions.iter().filter(|e| e.person == p32) {
            let n = self.note(e);
            let _ = writeln!(out, "- {}", if zh { &n.zh } else { &n.en });
        }
        let total = from_fen(total);
        let _ = if zh {
            write!(out, "{}", script.words(&format!("合计 {}元", yuan(total))))
        } else {
            write!(out, "total {} yuan", yuan(total))
        };
        Some(out)
    }
}

impl Budget {
    /// What writes this budget's items (one for many items: it makes the
    /// policy's rules ready once).
    pub fn explainer(&self) -> Explainer<'_> {
        // The budget was computed with this policy and these options, so
        // they make a context again; an empty explainer never is.
        Explainer::new(self).unwrap_or_else(|| Explainer {
            budget: self,
            ctx: Ctx::empty(self.source.file(), &self.options),
            ready: Vec::new(),
            city: City {
                frame: &self.input,
                checked: &self.checked,
                ratings: &self.ratings.rating,
            },
            provenance: Vec::new(),
            script: Script::of(self.source.file()),
        })
    }

    /// Item `i` written out (`None` past the end).
    pub fn item(&self, i: usize) -> Option<Item> {
        self.explainer().item(i)
    }

    /// Every item written out, in order.
    pub fn items_written(&self) -> Vec<Item> {
        let e = self.explainer();
        (0..self.items.len()).filter_map(|i| e.item(i)).collect()
    }

    /// The items of one community (its own and its people's), written out.
    pub fn items_of(&self, community: &str) -> impl Iterator<Item = Item> + '_ {
        let e = self.explainer();
        let range = match self.input.community_position(community) {
            Some(c) => self.items_of_position(c).collect::<Vec<_>>(),
            None => Vec::new(),
        };
        range.into_iter().filter_map(move |i| e.item(i))
    }

    /// The items of one person, written out.
    pub fn items_of_person(&self, person: &str) -> impl Iterator<Item = Item> + '_ {
        let e = self.explainer();
        let p = self
            .input
            .person_position(person)
            .map_or(NONE, |p| u32::try_from(p).unwrap_or(NONE));
        (0..self.items.len())
            .filter(move |&i| p != NONE && self.items.person[i] == p)
            .filter_map(move |i| e.item(i))
    }

    /// Explain one item (by position) in one sentence.
    pub fn explain_item(&self, index: usize, lang: Lang) -> Option<String> {
        self.explainer().sentence(index, lang)
    }

    /// The clause-by-clause story of one community, including what was not
    /// paid and why; `None` for an unknown community.
    ///
    /// ```
    /// use shequ::{Policy, Input, Community, BudgetOptions, Lang};
    /// let policy = Policy::builtin("jilin-2011-13")?;
    /// let input = Input { communities: vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")], ..Default::default() };
    /// let budget = policy.budget(&input, &BudgetOptions::year(2026))?;
    /// let story = budget.explain("C1", Lang::Zh).unwrap_or_default();
    /// assert!(story.contains("2750户 × 1500元/百户 = 41,250.00元"), "{story}");
    /// assert!(story.contains("五(三)"));
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn explain(&self, community: &str, lang: Lang) -> Option<String> {
        let c = self.input.community_position(community)?;
        self.explainer().community(c, lang)
    }

    /// The story of one person (by the id's text): their posts, what they
    /// are paid and why, what they are not paid and why; `None` for a
    /// person not in the input.
    ///
    /// ```
    /// use shequ::{samples, Lang, Policy, QuotaMode};
    /// let sample = samples::by_id("jiayuguan").unwrap();
    /// let budget = Policy::builtin(sample.policy)?
    ///     .budget(&sample.input, &sample.options().quota(QuotaMode::Warn))?;
    /// let story = budget.explain_person("J0013", Lang::Zh).unwrap_or_default();
    /// assert!(story.contains("马强(J0013)"), "{story}");
    /// assert!(story.contains("為在職人員"), "{story}");
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn explain_person(&self, person: &str, lang: Lang) -> Option<String> {
        let p = self.input.person_position(person)?;
        self.explainer().person(p, lang)
    }

    /// The "why not" notes, written out.
    pub fn exclusion_notes(&self) -> Vec<Note> {
        let e = self.explainer();
        self.exclusions.iter().map(|x| e.note(x)).collect()
    }

    /// The rating each community was paid at (empty when the policy does
    /// not pay by rating).
    pub fn rating_outcomes(&self) -> Vec<RatingOutcome> {
        let e = self.explainer();
        (0..self.ratings.rating.len())
            .filter_map(|c| e.rating(c))
            .collect()
    }
}

/// The JSON of a budget, as the front-ends read it: its items written out,
/// totals with each community's id, ratings, quota, warnings and notes.
impl Serialize for Budget {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.explainer();
        let mut st = s.serialize_struct("Budget", 11)?;
        st.serialize_field("policy", &self.policy)?;
        st.serialize_field("policy_version", &self.policy_version)?;
        st.serialize_field("document", &self.document)?;
        st.serialize_field("year", &self.year)?;
        st.serialize_field("as_of", &self.as_of)?;
        st.serialize_field("items", &ItemsJson(&e, 0..self.items.len()))?;
        st.serialize_field("totals", &TotalsJson(self))?;
        st.serialize_field("ratings", &RatingsJson(&e))?;
        st.serialize_field("quota", &self.quota)?;
        st.serialize_field("warnings", &self.warnings)?;
        st.serialize_field("exclusions", &NotesJson(&e, 0..self.exclusions.len()))?;
        st.end()
    }
}

/// A budget without its items and notes, with their counts (for a
/// front-end that pages through those separately): see [`Budget::summary`].
pub struct Summary<'b>(&'b Budget);

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let b = self.0;
        let e = b.explainer();
        let mut st = s.serialize_struct("BudgetSummary", 11)?;
        st.serialize_field("policy", &b.policy)?;
        st.serialize_field("policy_version", &b.policy_version)?;
        st.serialize_field("document", &b.document)?;
        st.serialize_field("year", &b.year)?;
        st.serialize_field("as_of", &b.as_of)?;
        st.serialize_field("totals", &TotalsJson(b))?;
        st.serialize_field("ratings", &RatingsJson(&e))?;
        st.serialize_field("quota", &b.quota)?;
        st.serialize_field("warnings", &b.warnings)?;
        st.serialize_field("item_count", &b.items.len())?;
        st.serialize_field("exclusion_count", &b.exclusions.len())?;
        st.end()
    }
}

impl Budget {
    /// Everything but the items and exclusions, with their counts.
    pub fn summary(&self) -> Summary<'_> {
        Summary(self)
    }
}

/// Items `range` of a budget as a JSON list (written one at a time).
pub struct ItemsJson<'e, 'b>(pub &'e Explainer<'b>, pub std::ops::Range<usize>);

impl Serialize for ItemsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        for i in self.1.clone() {
            if let Some(item) = self.0.item(i) {
                seq.serialize_element(&item)?;
            }
        }
        seq.end()
    }
}

/// "Why not" notes `range` of a budget as a JSON list.
pub struct NotesJson<'e, 'b>(pub &'e Explainer<'b>, pub std::ops::Range<usize>);

impl Serialize for NotesJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let list = &self.0.budget.exclusions;
        let range = self.1.start.min(list.len())..self.1.end.min(list.len());
        let mut seq = s.serialize_seq(Some(range.len()))?;
        for e in &list[range] {
            seq.serialize_element(&self.0.note(e))?;
        }
        seq.end()
    }
}

struct RatingsJson<'e, 'b>(&'e Explainer<'b>);

impl Serialize for RatingsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0.budget.ratings.rating.len();
        let mut seq = s.serialize_seq(Some(n))?;
        for c in 0..n {
            if let Some(r) = self.0.rating(c) {
                seq.serialize_element(&r)?;
            }
        }
        seq.end()
    }
}

/// A budget's totals with each community's id.
pub struct TotalsJson<'b>(pub &'b Budget);

impl Serialize for TotalsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = &self.0.totals;
        let mut st = s.serialize_struct("Totals", 4)?;
        st.serialize_field("overall", &t.overall)?;
        st.serialize_field("by_payer", &t.by_payer)?;
        st.serialize_field("by_rule", &t.by_rule)?;
        st.serialize_field("by_community", &CommunityTotals(self.0))?;
        st.end()
    }
}

struct CommunityTotals<'b>(&'b Budget);

impl Serialize for CommunityTotals<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let by = &self.0.totals.by_community;
        let mut seq = s.serialize_seq(Some(by.len()))?;
        for pair in self.0.community_totals() {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}
