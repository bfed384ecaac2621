//! Where an amount comes from: the policy, the rule, the clause, the
//! document's words and whether each value used is stated or assumed. Each
//! rule kind lists its own values (`engine/rules/<kind>.rs`); this module
//! holds the types and the way a value is written down.

use crate::policy::file::Split;
use crate::policy::values::{Cited, Dated, Source};
use serde::Serialize;
use std::fmt::Debug;

/// Where an amount comes from: the policy, the rule, the clause, the
/// document's words and whether the values used are stated or assumed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// Policy id.
    pub policy: String,
    /// Policy version.
    pub version: String,
    /// Document number.
    pub document: String,
    /// Rule id (or `adjustment`).
    pub rule: String,
    /// Rule kind.
    pub kind: String,
    /// Clause.
    pub clause: String,
    /// The document's words.
    pub quote: String,
    /// `stated` when every value used is stated by the document, `assumed`
    /// when any is a Decision, `override` when any was overridden.
    pub source: Source,
    /// Each value the rule uses, with its own source.
    pub values: Vec<ValueUse>,
}

/// One value a rule uses, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueUse {
    /// Key path in the policy file (`split`, `amounts.director`).
    pub name: String,
    /// The value as text.
    pub value: String,
    /// Stated, assumed or override.
    pub source: Source,
    /// Clause (the rule's unless the value names another).
    pub clause: String,
    /// Decision note for assumed values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(crate) struct Values<'a> {
    pub(crate) clause: &'a str,
    pub(crate) list: Vec<ValueUse>,
}

impl Values<'_> {
    pub(crate) fn cited<T: Debug>(
        &mut self,
        name: &str,
        c: &Cited<T>,
        show: impl FnOnce(&T) -> String,
    ) {
        self.list.push(ValueUse {
            name: name.to_string(),
            value: show(&c.value),
            source: c.source,
            clause: c.clause.clone().unwrap_or_else(|| self.clause.to_string()),
            note: c.note.clone(),
        });
    }
    pub(crate) fn schedule(&mut self, name: &str, rows: &[Dated]) {
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
    pub(crate) fn split(&mut self, s: &Cited<Split>) {
        self.cited("split", s, |v| {
            v.iter()
                .map(|(p, n)| format!("{p} {}%", n.0))
                .collect::<Vec<_>>()
                .join(" / ")
        });
    }
}

/// An enum value as the policy file writes it (`per_full_unit`).
pub(crate) fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The overall source of a set of values: override beats assumed beats
/// stated.
pub(crate) fn overall(values: &[ValueUse]) -> Source {
    if values.iter().any(|v| v.source == Source::Override) {
        Source::Override
    } else if values.iter().any(|v| v.source == Source::Assumed) {
        Source::Assumed
    } else {
        Source::Stated
    }
}
