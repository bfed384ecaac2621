//! Building the provenance of each rule once: every value it uses, with its
//! clause and whether it is stated or assumed.

use crate::budget::{Provenance, ValueUse};
use crate::policy::file::{Rule, Split};
use crate::policy::values::{Cited, Dated, Source};
use crate::policy::Policy;
use serde::Serialize;
use std::fmt::Debug;

struct Values<'a> {
    clause: &'a str,
    list: Vec<ValueUse>,
}

impl Values<'_> {
    fn cited<T: Debug>(&mut self, name: &str, c: &Cited<T>, show: impl FnOnce(&T) -> String) {
        self.list.push(ValueUse {
            name: name.to_string(),
            value: show(&c.value),
            source: c.source,
            clause: c.clause.clone().unwrap_or_else(|| self.clause.to_string()),
            note: c.note.clone(),
        });
    }
    fn schedule(&mut self, name: &str, rows: &[Dated]) {
        for row in rows {
            let when = match (row.from, row.until) {
                (None, None) => String::new(),
                (Some(f), None) => format!(" from {}", f.0),
                (None, Some(u)) => format!(" until {}", u.0),
                (Some(f), Some(u)) => format!(" {}–{}", f.0, u.0),
            };
            self.list.push(ValueUse {
                name: name.to_string(),
                value: format!("{}{when}", row.value.0),
                source: row.source,
                clause: row
                    .clause
                    .clone()
                    .unwrap_or_else(|| self.clause.to_string()),
                note: row.note.clone(),
            });
        }
    }
    fn split(&mut self, s: &Cited<Split>) {
        self.cited("split", s, |v| {
            v.iter()
                .map(|(p, n)| format!("{p} {}%", n.0))
                .collect::<Vec<_>>()
                .join(" / ")
        });
    }
}

/// An enum value as the policy file writes it (`per_full_unit`).
fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The overall source of a set of values: override beats assumed beats
/// stated.
fn overall(values: &[ValueUse]) -> Source {
    if values.iter().any(|v| v.source == Source::Override) {
        Source::Override
    } else if values.iter().any(|v| v.source == Source::Assumed) {
        Source::Assumed
    } else {
        Source::Stated
    }
}

/// The provenance of a rule's items.
pub fn of_rule(policy: &Policy, rule: &Rule) -> Provenance {
    let head = rule.head();
    let mut v = Values {
        clause: head.clause,
        list: Vec::new(),
    };
    match rule {
        Rule::WorkFunds(r) => {
            v.cited("basis", &r.basis, snake);
            v.cited("households_per_unit", &r.households_per_unit, |n| {
                n.to_string()
            });
            v.schedule("rate", &r.rate);
            if let Some(m) = &r.minimum {
                v.schedule("minimum", m);
            }
        }
        Rule::MonthlyAllowance(r) => {
            for (post, rows) in &r.amounts {
                v.schedule(&format!("amounts.{post}"), rows);
            }
            if let Some(inc) = &r.increment_per_full_year {
                v.schedule("increment_per_full_year", inc);
            }
            v.cited("eligible", &r.eligible, snake);
            v.cited("combine", &r.combine, snake);
            if let Some(y) = &r.years_counted_from {
                v.cited("years_counted_from", y, snake);
            }
            if let Some(o) = &r.only_ratings {
                v.cited("only_ratings", o, |r| r.join(", "));
            }
        }
        Rule::RatingBonus(r) => {
            for (rating, rows) in &r.amounts {
                v.schedule(&format!("amounts.{rating}"), rows);
            }
        }
        Rule::PostNorm(r) => {
            v.cited("count", &r.count, crate::policy::describe_count);
            if let Some(m) = &r.minimum {
                v.cited("minimum", m, |n| n.to_string());
            }
            if let Some(pay) = &r.pay {
                let clause = pay.clause.clone().unwrap_or_else(|| v.clause.to_string());
                if let Some(m) = &pay.monthly {
                    v.schedule("pay.monthly", m);
                }
                for (name, p) in [
                    ("pay.monthly_parameter", &pay.monthly_parameter),
                    ("pay.subsidy_parameter", &pay.subsidy_parameter),
                ] {
                    if let Some(p) = p {
                        v.list.push(ValueUse {
                            name: name.into(),
                            value: p.clone(),
                            source: Source::Input,
                            clause: clause.clone(),
                            note: pay.note.clone(),
                        });
                    }
                }
            }
        }
        Rule::StarGrant(r) => {
            for (stars, rows) in &r.amounts {
                v.schedule(&format!("amounts.{stars}"), rows);
            }
        }
        Rule::CommunityGrant(r) => v.schedule("amount", &r.amount),
        Rule::IncomeFloor(r) => {
            v.schedule("share", &r.share);
            v.list.push(ValueUse {
                name: "reference_parameter".into(),
                value: r.reference_parameter.clone(),
                source: Source::Input,
                clause: v.clause.to_string(),
                note: None,
            });
        }
    }
    if let Some(sp) = rule.split() {
        v.split(sp);
    }
    let source = overall(&v.list);
    Provenance {
        policy: policy.id().to_string(),
        version: policy.version().to_string(),
        document: policy.document().to_string(),
        rule: head.id.to_string(),
        kind: rule.kind().to_string(),
        clause: head.clause.to_string(),
        quote: head.quote.to_string(),
        source,
        values: v.list,
    }
}

/// The provenance of a caller's adjustment line, paid under `rule`'s split.
pub fn of_adjustment(policy: &Policy, rule: &Rule, reason: &str) -> Provenance {
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
        policy: policy.id().to_string(),
        version: policy.version().to_string(),
        document: policy.document().to_string(),
        rule: head.id.to_string(),
        kind: "adjustment".into(),
        clause: head.clause.to_string(),
        quote: head.quote.to_string(),
        source: Source::Input,
        values: v.list,
    }
}
