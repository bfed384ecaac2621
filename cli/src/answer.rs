//! The parts of the core's answer JSON that the printouts and reports read.
//!
//! These mirror the JSON the boundary (`shequ::ffi`) writes, not the core's
//! Rust types: the command line depends on the JSON only, so the engine's
//! internals can change under it. Fields not listed here are skipped.

use serde::Deserialize;
use std::collections::HashMap;

/// The answer of `ffi::compute_json`.
#[derive(Debug, Deserialize)]
pub struct BudgetAnswer {
    /// The budget.
    pub budget: Budget,
}

/// A budget as JSON.
#[derive(Debug, Deserialize)]
pub struct Budget {
    /// Policy id.
    pub policy: String,
    /// Policy version.
    pub policy_version: String,
    /// Document number.
    pub document: String,
    /// Budget year.
    pub year: i32,
    /// Year-to-date cut-off.
    #[serde(default)]
    pub as_of: Option<String>,
    /// Every amount owed.
    pub items: Vec<Item>,
    /// Sums.
    pub totals: Totals,
    /// The quota check, when the policy has one.
    #[serde(default)]
    pub quota: Option<Quota>,
    /// Warnings.
    #[serde(default)]
    pub warnings: Vec<Note>,
    /// Why something was not paid.
    #[serde(default)]
    pub exclusions: Vec<Note>,
}

/// One amount owed.
#[derive(Debug, Deserialize)]
pub struct Item {
    /// Community id.
    pub community: String,
    /// Person id.
    #[serde(default)]
    pub person: Option<String>,
    /// Rule id.
    pub rule: String,
    /// Post paid.
    #[serde(default)]
    pub post: Option<String>,
    /// Months counted.
    #[serde(default)]
    pub months: Option<u32>,
    /// Amount (decimal text).
    pub amount: String,
    /// Payer shares.
    pub shares: Vec<Share>,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// A payer's share of an item.
#[derive(Debug, Deserialize)]
pub struct Share {
    /// Payer id.
    pub payer: String,
    /// Amount (decimal text).
    pub amount: String,
}

/// The clause and source of an item.
#[derive(Debug, Deserialize)]
pub struct Provenance {
    /// Clause.
    pub clause: String,
    /// `stated`, `assumed`, `override` or `input`.
    pub source: String,
}

/// Sums of a budget: `[id, amount]` pairs.
#[derive(Debug, Deserialize)]
pub struct Totals {
    /// Everything.
    pub overall: String,
    /// By payer, in the policy's order.
    pub by_payer: Vec<(String, String)>,
    /// By rule, in the policy's order.
    pub by_rule: Vec<(String, String)>,
    /// By community, in input order.
    pub by_community: Vec<(String, String)>,
}

/// The quota check.
#[derive(Debug, Deserialize)]
pub struct Quota {
    /// Clause.
    pub clause: String,
    /// Communities in scope.
    pub communities: usize,
    /// `given` or `assigned`.
    pub ratings_from: String,
    /// One row per capped rating.
    pub caps: Vec<Cap>,
}

/// One capped rating.
#[derive(Debug, Deserialize)]
pub struct Cap {
    /// Rating id.
    pub rating: String,
    /// Percentage (decimal text).
    pub percent: String,
    /// Cap.
    pub cap: usize,
    /// Communities with the rating.
    pub count: usize,
    /// Within the cap.
    pub within: bool,
}

/// A warning or a "why not" note.
#[derive(Debug, Deserialize)]
pub struct Note {
    /// Stable code.
    pub code: String,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// The answer of `ffi::compliance_json`.
#[derive(Debug, Deserialize)]
pub struct Compliance {
    /// Policy id.
    pub policy: String,
    /// Document number.
    pub document: String,
    /// Year checked.
    pub year: i32,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
    /// Notes on the input.
    #[serde(default)]
    pub warnings: Vec<Note>,
}

/// One finding.
#[derive(Debug, Deserialize)]
pub struct Finding {
    /// Community id, or none for a city-wide finding.
    #[serde(default)]
    pub community: Option<String>,
    /// Rule or check id.
    pub check: String,
    /// `missing_data`, `advice`, `shortfall`, `over_limit`.
    pub severity: String,
    /// Required.
    pub required: String,
    /// Actual.
    pub actual: String,
    /// Shortfall (decimal text).
    #[serde(default)]
    pub shortfall: Option<String>,
    /// Clause.
    pub clause: String,
    /// Stated or assumed.
    pub source: String,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// Counts of findings.
#[derive(Debug, Deserialize)]
pub struct Summary {
    /// Communities checked.
    pub communities: usize,
    /// Communities with findings.
    pub communities_with_findings: usize,
    /// By severity.
    pub by_severity: Vec<(String, usize)>,
    /// By check.
    pub by_check: Vec<(String, usize)>,
}

/// A policy file as `ffi::policy_json` gives it: the words for its ids.
#[derive(Debug, Deserialize)]
pub struct PolicyFile {
    /// The policy's metadata.
    pub policy: Meta,
    /// Payers.
    #[serde(default)]
    pub payers: Vec<Named>,
    /// Posts.
    #[serde(default)]
    pub posts: Vec<Named>,
    /// Ratings.
    #[serde(default)]
    pub ratings: Vec<Named>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Checks.
    #[serde(default)]
    pub checks: Vec<Rule>,
    /// Parameters the caller supplies.
    #[serde(default)]
    pub parameters: Vec<Rule>,
}

/// A policy's metadata (also one entry of `ffi::policies_json`).
#[derive(Debug, Deserialize)]
pub struct Meta {
    /// Id.
    pub id: String,
    /// Version.
    #[serde(default)]
    pub version: String,
    /// Document number.
    pub document: String,
    /// Title in Chinese.
    pub title_zh: String,
    /// Title in English.
    pub title_en: String,
    /// City in Chinese.
    pub city_zh: String,
    /// City in English.
    pub city_en: String,
}

/// Something with an id and words in both languages.
#[derive(Debug, Deserialize)]
pub struct Named {
    /// Id.
    pub id: String,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// A rule, check or parameter.
#[derive(Debug, Deserialize)]
pub struct Rule {
    /// Id.
    pub id: String,
    /// Kind (rules and checks).
    #[serde(default)]
    pub kind: Option<String>,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
    /// Clause.
    #[serde(default)]
    pub clause: Option<String>,
}

/// The words for a policy's ids, in both languages.
#[derive(Debug, Default)]
pub struct Labels {
    words: HashMap<(&'static str, String), (String, String)>,
    clauses: HashMap<String, String>,
}

impl Labels {
    /// Collect the words of a policy file.
    pub fn of(file: &PolicyFile) -> Self {
        let mut l = Labels::default();
        let mut add = |kind: &'static str, id: &str, zh: &str, en: &str| {
            l.words
                .insert((kind, id.to_string()), (zh.to_string(), en.to_string()));
        };
        for p in &file.payers {
            add("payer", &p.id, &p.zh, &p.en);
        }
        for p in &file.posts {
            add("post", &p.id, &p.zh, &p.en);
        }
        for r in &file.ratings {
            add("rating", &r.id, &r.zh, &r.en);
        }
        for r in file.rules.iter().chain(&file.checks) {
            add("rule", &r.id, &r.zh, &r.en);
        }
        for r in file.rules.iter().chain(&file.checks) {
            if let Some(c) = &r.clause {
                l.clauses.insert(r.id.clone(), c.clone());
            }
        }
        l
    }

    fn word(&self, kind: &'static str, id: &str, lang: crate::text::Lang) -> String {
        match self.words.get(&(kind, id.to_string())) {
            Some((zh, en)) => lang.pick(zh, en).to_string(),
            None => id.to_string(),
        }
    }

    /// A payer's name.
    pub fn payer(&self, id: &str, lang: crate::text::Lang) -> String {
        self.word("payer", id, lang)
    }
    /// A post's name.
    pub fn post(&self, id: &str, lang: crate::text::Lang) -> String {
        self.word("post", id, lang)
    }
    /// A rating's name.
    pub fn rating(&self, id: &str, lang: crate::text::Lang) -> String {
        self.word("rating", id, lang)
    }
    /// A rule's or check's name (`adjustment` is the user's lines).
    pub fn rule(&self, id: &str, lang: crate::text::Lang) -> String {
        if id == "adjustment" && !self.words.contains_key(&("rule", id.to_string())) {
            return lang.pick("调整项", "adjustments").to_string();
        }
        self.word("rule", id, lang)
    }
    /// A rule's clause.
    pub fn clause(&self, id: &str) -> &str {
        self.clauses.get(id).map_or("", String::as_str)
    }
}

/// Names of the communities and people of the input, by id.
#[derive(Debug, Default)]
pub struct Names {
    /// Every community id, in input order.
    pub community_ids: Vec<String>,
    /// Community names.
    pub communities: HashMap<String, String>,
    /// Households of each community, as given.
    pub households: HashMap<String, String>,
    /// Person names.
    pub people: HashMap<String, String>,
    /// Distinct people (rows are one per post held).
    pub people_count: usize,
}

/// A row's id or name as text (ids may be numbers in JSON input).
fn cell_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Names {
    /// Read the names from the request's tables (JSON arrays of rows). Rows
    /// the core would refuse are skipped: the core reports them.
    pub fn of(communities: &str, people: &str) -> Self {
        let mut names = Names::default();
        let rows = |text: &str| -> Vec<serde_json::Map<String, serde_json::Value>> {
            serde_json::from_str::<Vec<serde_json::Value>>(text)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|v| match v {
                    serde_json::Value::Object(m) => Some(m),
                    _ => None,
                })
                .collect()
        };
        for row in rows(communities) {
            if let Some(id) = cell_text(row.get("id")) {
                names.community_ids.push(id.clone());
                if let Some(name) = cell_text(row.get("name")) {
                    names.communities.insert(id.clone(), name);
                }
                if let Some(h) = cell_text(row.get("households")) {
                    names.households.insert(id, h);
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for row in rows(people) {
            if let Some(id) = cell_text(row.get("id")) {
                if let Some(name) = cell_text(row.get("name")) {
                    names.people.entry(id.clone()).or_insert(name);
                }
                seen.insert(id);
            }
        }
        names.people_count = seen.len();
        names
    }

    /// Whether the input has a community of this id.
    pub fn has_community(&self, id: &str) -> bool {
        self.community_ids.iter().any(|c| c == id)
    }

    /// `name(id)` of a community.
    pub fn community(&self, id: &str) -> String {
        crate::text::named(self.communities.get(id).map(String::as_str), id)
    }

    /// `name(id)` of a person.
    pub fn person(&self, id: &str) -> String {
        crate::text::named(self.people.get(id).map(String::as_str), id)
    }

    /// Put people's names beside their ids in a text from the core (its
    /// explanations name a person by id alone): each word that is exactly a
    /// person's id becomes `name(id)`.
    pub fn name_people(&self, text: &str) -> String {
        if self.people.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match self.people.get(word) {
                Some(name) => out.push_str(&crate::text::named(Some(name), word)),
                None => out.push_str(word),
            }
        }
        out
    }
}
