//! Policies as data: a [`Policy`] is a validated policy file (`policies/*.toml`)
//! with every amount, ratio, split and date cited. The built-in files are
//! embedded in the crate; any other file is loaded at run time with
//! [`Policy::from_toml`], no recompiling.

pub mod file;
pub mod locate;
pub(crate) mod overrides;
mod reader;
pub mod validate;
pub mod validity;
pub mod values;

use crate::error::{Error, PolicyError, PolicyErrorCode, Result};
use file::{Label, PolicyFile, PostDef, Rule};
use locate::{line_at, line_of};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The policy files shipped with shequ: `(id, TOML text)`.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "jilin-2011-13",
        include_str!("../../../policies/jilin-2011-13.toml"),
    ),
    (
        "jiayuguan-2020-97",
        include_str!("../../../policies/jiayuguan-2020-97.toml"),
    ),
    (
        "harbin-2011-14",
        include_str!("../../../policies/harbin-2011-14.toml"),
    ),
    (
        "chifeng-2008",
        include_str!("../../../policies/chifeng-2008.toml"),
    ),
    (
        "nanping-2020-30",
        include_str!("../../../policies/nanping-2020-30.toml"),
    ),
];

/// A validated policy, cheap to clone (shared).
///
/// ```
/// let policy = shequ::Policy::builtin("jilin-2011-13")?;
/// assert_eq!(policy.document(), "吉市发[2011]13号");
/// assert!(policy.rule("work_funds").is_some());
/// # Ok::<(), shequ::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    file: PolicyFile,
    origin: String,
    text: String,
    overrides: Vec<(String, String)>,
    posts: HashMap<String, usize>,
    ratings: HashMap<String, usize>,
    payers: HashMap<String, usize>,
}

impl Policy {
    /// Parse and validate a policy from TOML text. `origin` names the text in
    /// error messages (a file name, say).
    ///
    /// # Errors
    /// A [`PolicyError`] naming the origin, line and key: TOML syntax, an
    /// unknown key or a wrong type (`policy_syntax`), a split not adding up to
    /// 100% (`policy_split_sum`), overlapping dated rows
    /// (`policy_overlapping_dates`), an undeclared post, payer or rating
    /// (`policy_unknown_reference`), a negative amount (`policy_invalid_value`).
    ///
    /// ```
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/jilin-2011-13.toml"))?;
    /// let bad = text.replace("city = \"50\", district = \"50\"", "city = \"60\", district = \"50\"");
    /// let err = shequ::Policy::from_toml(&bad, "jilin.toml").unwrap_err();
    /// assert_eq!(err.code(), "policy_split_sum");
    /// assert!(err.to_string().contains("jilin.toml, line "));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml(text: &str, origin: &str) -> Result<Policy> {
        let file: PolicyFile =
            reader::from_str(text).map_err(|e| syntax_error(text, origin, &e))?;
        Self::from_file(file, text.to_string(), origin.to_string(), Vec::new())
    }

    fn from_file(
        mut file: PolicyFile,
        text: String,
        origin: String,
        overrides: Vec<(String, String)>,
    ) -> Result<Policy> {
        if let Err(invalid) = validate::validate(&file) {
            let line = if overrides.is_empty() {
                line_of(&text, &invalid.path)
            } else {
                None
            };
            return Err(Error::Policy(PolicyError {
                code: invalid.code,
                origin,
                line,
                key: Some(invalid.path.to_string()),
                message: invalid.message,
            }));
        }
        if file.policy.script.is_none() {
            file.policy.script = Some(detect_script(&file));
        }
        let mut posts = HashMap::default();
        for (i, p) in file.posts.iter().enumerate() {
            posts.insert(p.id.clone(), i);
            for a in &p.aliases {
                posts.insert(a.clone(), i);
            }
        }
        let ratings = file
            .ratings
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let payers = file
            .payers
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ok(Policy(Arc::new(Inner {
            file,
            origin,
            text,
            overrides,
            posts,
            ratings,
            payers,
        })))
    }

    /// One of the built-in policies by id (see [`Policy::builtin_ids`]).
    ///
    /// # Errors
    /// `policy_not_found` for an unknown id.
    pub fn builtin(id: &str) -> Result<Policy> {
        let (_, text) = BUILTIN.iter().find(|(k, _)| *k == id).ok_or_else(|| {
            Error::Policy(PolicyError {
                code: PolicyErrorCode::PolicyNotFound,
                origin: id.to_string(),
                line: None,
                key: None,
                message: format!(
                    "no built-in policy `{id}`; built-in: {}",
                    Self::builtin_ids().join(", ")
                ),
            })
        })?;
        Self::from_toml(text, &format!("policies/{id}.toml"))
    }

    /// The headers this policy reads for each input column: the built-in
    /// Chinese and English labels and the policy's own (`[headers]` in its
    /// file, [`file::HeaderLabels`]).
    ///
    /// ```
    /// use shequ::read::TableKind;
    /// let policy = shequ::Policy::builtin("jilin-2011-13")?;
    /// assert_eq!(policy.headers().column(TableKind::People, "任职日期"), Some("start"));
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn headers(&self) -> crate::read::Headers {
        let mut h = crate::read::Headers::builtin();
        for (table, _, columns) in self.0.file.headers.tables() {
            for (column, labels) in columns {
                h = h.with_labels(table, column, labels);
            }
        }
        h
    }

    /// Ids of the built-in policies.
    pub fn builtin_ids() -> Vec<&'static str> {
        BUILTIN.iter().map(|(k, _)| *k).collect()
    }

    /// A copy of this policy with some values replaced (a what-if). Each
    /// override is `(path, value)`: `path` starts with a rule id or a
    /// top-level table (`rating_quota`), then keys:
    ///
    /// - `work_funds.rate` = `"2000"` replaces a dated schedule by one row in
    ///   force at all dates;
    /// - `work_funds.basis` = `"per_full_unit"` sets a cited value;
    /// - `work_funds.split.city` = `"70"` sets one payer's share (give the
    ///   others too, so the split still adds up to 100);
    /// - `stipend.amounts.director` = `"1300"` sets a post's amount;
    /// - `work_funds.rate` = `"2000 from 2027-07-01"` (or `"… from D until
    ///   D"`) changes a dated schedule from a date on: the rows before stay,
    ///   the row across the date is cut there (a mid-year reform: annual
    ///   amounts are then prorated by the months each rate is in force);
    /// - `work_funds` = `"from 2028-01-01"` starts a rule on a date (`until`
    ///   ends it); `rules` = a rule's TOML adds a rule.
    ///
    /// Overridden values are marked `source = "override"` in provenance; a
    /// value ending in `(assumed: note)` is cited `assumed` with that note
    /// instead (what a plan's assumptions use). The whole grammar is in
    /// `policy/overrides.rs`.
    ///
    /// # Errors
    /// `policy_bad_override` for a path that names nothing, and any
    /// validation error of the result.
    ///
    /// ```
    /// let p = shequ::Policy::builtin("jilin-2011-13")?;
    /// let q = p.with_overrides(&[("work_funds.rate", "2000")])?;
    /// assert_eq!(q.id(), p.id());
    /// let err = p.with_overrides(&[("work_funds.nope", "1")]).unwrap_err();
    /// assert_eq!(err.code(), "policy_bad_override");
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn with_overrides(&self, overrides: &[(&str, &str)]) -> Result<Policy> {
        // Applied to the text after this policy's own overrides, so
        // overriding an overridden policy adds to (or replaces) them.
        let all: Vec<(String, String)> = self
            .0
            .overrides
            .iter()
            .cloned()
            .chain(
                overrides
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            )
            .collect();
        let origin = if self.0.overrides.is_empty() {
            format!("{} (with overrides)", self.0.origin)
        } else {
            self.0.origin.clone()
        };
        let file = overrides::apply(&self.0.text, &all, &origin)?;
        // Errors of an overridden policy name the key, not a line: the value
        // at fault is not on any line the caller wrote.
        Self::from_file(file, self.0.text.clone(), origin, all)
    }

    /// The parsed file.
    pub fn file(&self) -> &PolicyFile {
        &self.0.file
    }
    /// The policy id (`jilin-2011-13`).
    pub fn id(&self) -> &str {
        &self.0.file.policy.id
    }
    /// The policy version.
    pub fn version(&self) -> &str {
        &self.0.file.policy.version
    }
    /// The document number (`吉市发[2011]13号`).
    pub fn document(&self) -> &str {
        &self.0.file.policy.document
    }
    /// Where the policy text came from.
    pub fn origin(&self) -> &str {
        &self.0.origin
    }
    /// The TOML text the policy was read from. For a policy with what-if
    /// overrides, the text before them: the text and [`Policy::overrides`]
    /// give the policy again.
    pub fn text(&self) -> &str {
        &self.0.text
    }
    /// The what-if overrides applied to [`Policy::text`], in order (empty
    /// for a policy read as written).
    pub fn overrides(&self) -> &[(String, String)] {
        &self.0.overrides
    }
    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.0.file.rules
    }
    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.0.file.rules.iter().find(|r| r.id() == id)
    }
    /// A post by id or alias.
    pub fn post(&self, id_or_alias: &str) -> Option<&PostDef> {
        self.0
            .posts
            .get(id_or_alias)
            .and_then(|i| self.0.file.posts.get(*i))
    }
    /// The position of the post `text` names (an id, an alias, the Chinese
    /// label or the English one in any case; see
    /// [`PolicyFile::post_position`]).
    pub fn post_position(&self, text: &str) -> Option<usize> {
        self.0
            .posts
            .get(text)
            .copied()
            .or_else(|| self.0.file.post_position(text))
    }
    /// The position of the rating `text` names (id, Chinese or English
    /// label).
    pub fn rating_position(&self, text: &str) -> Option<usize> {
        self.0
            .ratings
            .get(text)
            .copied()
            .or_else(|| self.0.file.rating_position(text))
    }
    /// Position of a post in the file (0 = highest).
    pub fn post_rank(&self, id: &str) -> usize {
        self.0.posts.get(id).copied().unwrap_or(usize::MAX)
    }
    /// A rating by id.
    pub fn rating(&self, id: &str) -> Option<&Label> {
        self.0
            .ratings
            .get(id)
            .and_then(|i| self.0.file.ratings.get(*i))
    }
    /// Position of a rating (0 = best).
    pub fn rating_rank(&self, id: &str) -> Option<usize> {
        self.0.ratings.get(id).copied()
    }
    /// A payer by id.
    pub fn payer(&self, id: &str) -> Option<&Label> {
        self.0
            .payers
            .get(id)
            .and_then(|i| self.0.file.payers.get(*i))
    }
    /// Position of a payer in the file's order.
    pub fn payer_rank(&self, id: &str) -> usize {
        self.0.payers.get(id).copied().unwrap_or(usize::MAX)
    }
    /// The checks of the compliance report.
    pub fn checks(&self) -> &[file::Check] {
        &self.0.file.checks
    }
    /// A declared parameter by id.
    pub fn parameter(&self, id: &str) -> Option<&file::ParameterDef> {
        self.0.file.parameters.iter().find(|p| p.id == id)
    }
    /// Whether any rule or the quota depends on community ratings.
    pub fn uses_ratings(&self) -> bool {
        self.0.file.rating_quota.is_some()
            || self.0.file.rules.iter().any(|r| match r {
                Rule::RatingBonus(_) => true,
                Rule::MonthlyAllowance(m) => m.only_ratings.is_some(),
                _ => false,
            })
    }
}

fn syntax_error(text: &str, origin: &str, e: &reader::ReadError) -> Error {
    // The key is the first backticked word of messages like "unknown field `x`".
    let key = e.message.split('`').nth(1).map(str::to_string);
    Error::Policy(PolicyError {
        code: PolicyErrorCode::PolicySyntax,
        origin: origin.to_string(),
        line: e.at.map(|at| line_at(text, at)),
        key,
        message: e.message.clone(),
    })
}

/// The script a file's Chinese is written in: its titles and the labels of
/// its payers, posts, ratings and rules.
fn detect_script(file: &PolicyFile) -> crate::lang::Script {
    let m = &file.policy;
    let labels = file
        .payers
        .iter()
        .chain(&file.ratings)
        .map(|l| l.zh.as_str())
        .chain(file.posts.iter().map(|p| p.zh.as_str()))
        .chain(file.rules.iter().map(|r| r.head().zh));
    crate::lang::Script::detect(
        [m.title_zh.as_str(), m.city_zh.as_str(), m.document.as_str()]
            .into_iter()
            .chain(labels),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_policy_loads() {
        for id in Policy::builtin_ids() {
            let p = Policy::builtin(id);
            assert!(p.is_ok(), "{id}: {:?}", p.err());
        }
    }

    #[test]
    fn every_file_in_policies_dir_is_builtin_and_valid() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            n += 1;
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let p = Policy::from_toml(&text, &path.display().to_string());
            assert!(p.is_ok(), "{}: {:?}", path.display(), p.err());
            let id = p.map(|p| p.id().to_string()).unwrap_or_default();
            assert!(
                Policy::builtin_ids().contains(&id.as_str()),
                "{id} is not embedded"
            );
        }
        assert_eq!(n, BUILTIN.len());
    }

    fn jilin_text() -> &'static str {
        BUILTIN[0].1
    }

    /// The 1-based line of the first line of `text` containing `needle`.
    fn line_with(text: &str, needle: &str) -> Option<usize> {
        text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let bad = jilin_text().replacen("households_per_unit =", "households_per_unti =", 1);
        let err = Policy::from_toml(&bad, "x.toml").err();
        let Some(Error::Policy(e)) = err else {
            unreachable!("expected a policy error, got {err:?}")
        };
        assert_eq!(e.code, PolicyErrorCode::PolicySyntax);
        assert_eq!(e.origin, "x.toml");
        assert!(e.line.is_some());
        assert_eq!(e.key.as_deref(), Some("households_per_unti"), "{e}");
        assert_eq!(e.line, line_with(&bad, "households_per_unti"));
    }

    #[test]
    fn overrides_add_up_and_keep_the_text_they_apply_to() {
        let p = Policy::builtin("jilin-2011-13").unwrap_or_else(|e| unreachable!("{e}"));
        let q = p
            .with_overrides(&[("work_funds.rate", "2000")])
            .and_then(|q| q.with_overrides(&[("work_funds.basis", "per_full_unit")]))
            .unwrap_or_else(|e| unreachable!("{e}"));
        let Some(Rule::WorkFunds(w)) = q.rule("work_funds") else {
            unreachable!("no work funds")
        };
        assert_eq!(w.rate.len(), 1);
        assert_eq!(w.rate[0].value.0, rust_decimal::Decimal::from(2000));
        assert_eq!(w.basis.value, file::UnitBasis::PerFullUnit);
        assert_eq!(w.basis.source, values::Source::Override);
        // the text is the one before the overrides, and with them it gives
        // the policy again
        assert_eq!(q.text(), p.text());
        let pairs: Vec<(&str, &str)> = q
            .overrides()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("work_funds.rate", "2000"),
                ("work_funds.basis", "per_full_unit")
            ]
        );
        let again = p
            .with_overrides(&pairs)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(again.file(), q.file());
        assert_eq!(q.origin(), "policies/jilin-2011-13.toml (with overrides)");
    }

    #[test]
    fn a_rule_without_kind_is_named_at_its_table() {
        let bad = jilin_text().replacen("kind = \"work_funds\"\n", "", 1);
        assert_ne!(bad, jilin_text(), "fixture text changed: update this test");
        let err = Policy::from_toml(&bad, "x.toml").err();
        let Some(Error::Policy(e)) = err else {
            unreachable!("{err:?}")
        };
        assert_eq!(e.code, PolicyErrorCode::PolicySyntax);
        assert_eq!(e.key.as_deref(), Some("kind"), "{e}");
        assert!(e.message.contains("missing field `kind`"), "{e}");
        assert_eq!(e.line, line_with(&bad, "[[rules]]"));
    }

    #[test]
    fn a_policy_file_reads_back_from_json_where_kind_comes_first() {
        let p = Policy::builtin("jiayuguan-2020-97").unwrap_or_else(|e| unreachable!("{e}"));
        let json = serde_json::to_string(p.file()).unwrap_or_default();
        let back: std::result::Result<PolicyFile, _> = serde_json::from_str(&json);
        assert_eq!(back.ok().as_ref(), Some(p.file()));
        let late = r#"{"id": "x", "kind": "community_grant"}"#;
        let err = serde_json::from_str::<Rule>(late)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(
                |e| e.contains("missing field `kind` (the first key of a rule; found `id`)")
            ),
            "{err:?}"
        );
    }

    #[test]
    fn wrong_type_is_a_syntax_error_with_line() {
        let bad = jilin_text().replacen("value = \"1500\"", "value = 1500.5", 1);
        let err = Policy::from_toml(&bad, "x.toml").err();
        let Some(Error::Policy(e)) = err else {
            unreachable!("{err:?}")
        };
        assert_eq!(e.code, PolicyErrorCode::PolicySyntax);
        assert!(e.message.contains("float"), "{e}");
        assert!(e.line.is_some());
    }

    #[test]
    fn overlapping_rows_are_rejected_with_their_line() {
        let text = jilin_text();
        let bad = text.replacen(
            "rate = [\n  { from = 2011-01-01, value = \"1500\"",
            "rate = [\n  { from = 2011-01-01, value = \"1400\", source = \"stated\" },\n  { from = 2011-01-01, value = \"1500\"",
            1,
        );
        assert_ne!(bad, text, "fixture text changed: update this test");
        let err = Policy::from_toml(&bad, "x.toml").err();
        let Some(Error::Policy(e)) = err else {
            unreachable!("{err:?}")
        };
        assert_eq!(e.code, PolicyErrorCode::PolicyOverlappingDates);
        assert_eq!(e.key.as_deref(), Some("rules[0].rate[1].from"));
        assert_eq!(e.line, line_with(&bad, "value = \"1500\""));
    }

    #[test]
    fn unknown_post_reference_is_rejected() {
        let bad = jilin_text().replacen("amounts.director", "amounts.mayor", 1);
        assert_ne!(bad, jilin_text(), "fixture text changed: update this test");
        let err = Policy::from_toml(&bad, "x.toml").err();
        assert_eq!(err.map(|e| e.code()), Some("policy_unknown_reference"));
    }
}
