//! Notes a budget gives beside its amounts: warnings (data or policy facts
//! to look at) and the "why not" notes on what was not paid, each with a
//! stable code and its text in Chinese and English.

use crate::ids::Id;
use serde::Serialize;

/// A note on something not paid, or paid differently (the "why not"), or a
/// warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable code (`serving_not_eligible`, `lower_post_not_paid`, …).
    pub code: &'static str,
    /// Community id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<Id>,
    /// Person id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Id>,
    /// Rule id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Clause behind it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

impl Note {
    /// A note about the whole input (no community, person or rule).
    pub fn general(code: &'static str, zh: String, en: String) -> Self {
        Note {
            code,
            community: None,
            person: None,
            rule: None,
            clause: None,
            zh,
            en,
        }
    }
}
