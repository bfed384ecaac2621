//! What every rule's computation reads: the policy, the options, the months
//! counted, and each rule's payer split made ready to cut amounts in fen.

use super::checked::Checked;
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::ledger::Split;
use crate::options::BudgetOptions;
use crate::policy::file::{PolicyFile, Rule};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The policy and options of one budget, made ready.
pub(crate) struct Ctx<'a> {
    pub file: &'a PolicyFile,
    pub opts: &'a BudgetOptions,
    pub year_start: NaiveDate,
    /// First days of the months counted.
    pub months: Vec<NaiveDate>,
    /// The payers of the budget, in order (the policy's, then others).
    pub payers: Vec<String>,
    /// The splits items use.
    pub splits: Vec<Split>,
    /// Per rule, the position of its split (none for a norm that only
    /// counts).
    pub rule_split: Vec<Option<u16>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(file: &'a PolicyFile, opts: &'a BudgetOptions) -> Result<Self> {
        let year_start =
            NaiveDate::from_ymd_opt(opts.year, 1, 1).ok_or_else(|| Error::Overflow {
                context: format!("the year {}", opts.year),
            })?;
        Ok(Self::at(file, opts, year_start))
    }

    /// A context for a year already known to be valid (a budget's: it was
    /// computed); the start of the calendar otherwise.
    pub(crate) fn empty(file: &'a PolicyFile, opts: &'a BudgetOptions) -> Self {
        let start = NaiveDate::from_ymd_opt(opts.year, 1, 1).unwrap_or(NaiveDate::MIN);
        Self::at(file, opts, start)
    }

    fn at(file: &'a PolicyFile, opts: &'a BudgetOptions, year_start: NaiveDate) -> Self {
        let months = super::service::months_counted(opts.year, opts.as_of);
        let mut ctx = Ctx {
            file,
            opts,
            year_start,
            months,
            payers: file.payers.iter().map(|p| p.id.clone()).collect(),
            splits: Vec::new(),
            rule_split: Vec::with_capacity(file.rules.len()),
        };
        for rule in &file.rules {
            let split = match rule.split() {
                None => None,
                Some(s) => {
                    let mut pairs: Vec<(&str, Decimal)> =
                        s.value.iter().map(|(p, n)| (p.as_str(), n.0)).collect();
                    pairs.sort_by_key(|(p, _)| file.payer_rank(p));
                    Some(ctx.split_of(&pairs))
                }
            };
            ctx.rule_split.push(split);
        }
        ctx
    }

    /// The position of the split of these (payer, percent) pairs, added if
    /// new.
    pub(crate) fn split_of(&mut self, pairs: &[(&str, Decimal)]) -> u16 {
        let payers: Vec<u16> = pairs
            .iter()
            .map(|(p, _)| {
                let k = match self.payers.iter().position(|x| x == p) {
                    Some(k) => k,
                    None => {
                        self.payers.push((*p).to_string());
                        self.payers.len().saturating_sub(1)
                    }
                };
                u16::try_from(k).unwrap_or(u16::MAX)
            })
            .collect();
        let percents: Vec<Decimal> = pairs.iter().map(|(_, n)| *n).collect();
        if let Some(k) = self
            .splits
            .iter()
            .position(|s| s.payers == payers && s.percents == percents)
        {
            return u16::try_from(k).unwrap_or(u16::MAX);
        }
        self.splits.push(Split::new(payers, percents));
        u16::try_from(self.splits.len().saturating_sub(1)).unwrap_or(u16::MAX)
    }

    /// The position of the post `text` names.
    pub(crate) fn post_position(&self, text: &str) -> Option<u16> {
        self.file
            .post_position(text)
            .and_then(|k| u16::try_from(k).ok())
    }

    /// The position of the rating `text` names.
    pub(crate) fn rating_position(&self, text: &str) -> Option<u32> {
        self.file
            .rating_position(text)
            .and_then(|k| u32::try_from(k).ok())
    }

    /// The rule at position `r`.
    pub(crate) fn rule(&self, r: usize) -> Option<&'a Rule> {
        self.file.rules.get(r)
    }
}

/// The city a budget is computed for: the input, and what the checks found
/// of it against the policy.
pub(crate) struct City<'c> {
    pub frame: &'c Frame,
    pub checked: &'c Checked,
    /// Per community, the position of the rating paid at.
    pub ratings: &'c [u32],
}

impl City<'_> {
    /// The policy position of post `h`'s post.
    #[inline]
    pub fn post_of(&self, h: usize) -> u16 {
        let code = self.frame.holdings.post.codes[h];
        self.checked
            .post_of_code
            .get(code as usize)
            .copied()
            .unwrap_or(u16::MAX)
    }

    /// The rating position of community `c`.
    #[inline]
    pub fn rating_of(&self, c: usize) -> u32 {
        self.ratings.get(c).copied().unwrap_or(crate::frame::NONE)
    }
}

/// Month `first` is counted: its bit in an item's months.
#[inline]
pub(crate) fn month_bit(first: NaiveDate) -> u16 {
    use chrono::Datelike;
    1 << (first.month0() as u16)
}
