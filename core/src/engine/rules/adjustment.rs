//! The caller's adjustment lines (the document's "综合考虑…因素进行核定"): an
//! amount and a reason for a community, paid under the split of the rule it
//! names (the first work-funds rule when it names none). shequ never
//! invents one.

use super::shared::{Calc, Out};
use crate::error::{Error, Result};
use crate::frame::{Frame, NONE};
use crate::lang::Lang;
use crate::ledger::{ItemRow, ADJUSTMENT, NO_POST};
use crate::policy::file::{PolicyFile, Rule};
use crate::policy::values::Source;
use crate::provenance::{Provenance, ValueUse, Values};
use std::fmt::Write;

/// Why an adjustment belongs to no rule (see [`adjustment_rule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRule {
    /// The policy has no rule of the id named.
    Unknown,
    /// The rule named only counts posts: it has no payer split.
    PaysNothing,
    /// No rule named, and the policy has no work-funds rule to default to.
    NoWorkFunds,
}

/// The position of the rule an adjustment is paid under: the one it names,
/// else the first work-funds rule. The input check and the budget both ask
/// here.
///
/// # Errors
/// Why there is none.
pub fn adjustment_rule(rules: &[Rule], named: Option<&str>) -> std::result::Result<usize, NoRule> {
    match named {
        Some(id) => {
            let k = rules
                .iter()
                .position(|r| r.id() == id)
                .ok_or(NoRule::Unknown)?;
            // The adjustment is split between payers as its rule is; a rule
            // that only counts posts has no split, and the amount would
            // belong to no payer.
            rules[k].split().map(|_| k).ok_or(NoRule::PaysNothing)
        }
        None => rules
            .iter()
            .position(|r| r.kind() == "work_funds")
            .ok_or(NoRule::NoWorkFunds),
    }
}

/// The item of adjustment `a` (paid under rule position `rule`, split
/// `split`).
pub(crate) fn item(frame: &Frame, a: usize, split: Option<u16>, out: &mut Out) -> Result<()> {
    let Some(line) = frame.adjustments.get(a) else {
        return Ok(());
    };
    let split = split.ok_or_else(|| Error::BadRequest {
        message: format!(
            "adjustment for `{}` names no rule of this policy",
            frame.communities.id.text(line.community as usize)
        ),
    })?;
    let amount = crate::money::to_fen(line.amount).ok_or_else(|| Error::Overflow {
        context: "an adjustment".into(),
    })?;
    out.push(
        ItemRow {
            community: line.community,
            person: NONE,
            rule: ADJUSTMENT,
            post: NO_POST,
            months: 0,
            aux: u32::try_from(a).unwrap_or(NONE),
            amount,
        },
        split,
    )
}

/// How adjustment `a` was computed: its reason.
pub(crate) fn calc(frame: &Frame, a: usize) -> Calc {
    Calc::Adjustment {
        reason: frame
            .adjustments
            .get(a)
            .map(|l| l.reason.clone())
            .unwrap_or_default(),
    }
}

/// The sentence of an adjustment, up to its amount.
pub(crate) fn describe(s: &mut String, who: &str, rule: &str, reason: &str, lang: Lang) {
    let _ = match lang {
        Lang::Zh => write!(s, "{who} {rule}:{reason}"),
        Lang::En => write!(s, "{who} {rule}: {reason}"),
    };
}

/// The provenance of an adjustment line, paid under `rule`'s split.
pub fn provenance(file: &PolicyFile, rule: &Rule, reason: &str) -> Provenance {
    let head = rule.head();
    let mut v = Values {
        clause: head.clause,
        list: Vec::new(),
    };
    if let Some(sp) = rule.split() {
        v.split(sp);
    }
    v.list.push(ValueUse {
        name: "reason".into(),
        value: reason.to_string(),
        source: Source::Input,
        clause: head.clause.to_string(),
        note: None,
    });
    Provenance {
        policy: file.policy.id.clone(),
        version: file.policy.version.clone(),
        document: file.policy.document.clone(),
        rule: head.id.to_string(),
        kind: "adjustment".into(),
        clause: head.clause.to_string(),
        quote: head.quote.to_string(),
        source: Source::Input,
        values: v.list,
    }
}
