//! What-if overrides: replace values of a policy's text by key path, then
//! read and validate the result like any file.
//!
//! The edit is made on the parsed TOML document and the policy read from
//! it by the same reader as a file; nothing is written back to text.
//!
//! An override's value is text, read as:
//!
//! ```text
//! VALUE                              in force at all dates (a schedule becomes one row)
//! VALUE from DATE                    from DATE on: the schedule is split at DATE
//! VALUE from DATE until DATE         for those days only; the rows around them stay
//! from DATE   (path: a rule id)      the rule starts on DATE: its dated rows before go
//! until DATE  (path: a rule id)      the rule ends on DATE
//! TOML        (path: `rules`)        a new rule, the table of a `[[rules]]` entry
//! … (assumed: NOTE)                  any of these, cited `assumed` with the note
//!                                    instead of `override` (a plan's assumptions)
//! ```
//!
//! Only a dated schedule (a list of rows with `value`) takes `from` and
//! `until`. A row the new one overlaps is cut at its edges and keeps its
//! citation for the days it still covers.

use super::file::PolicyFile;
use super::reader;
use crate::error::{Error, PolicyError, PolicyErrorCode, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use toml_edit::{Array, DocumentMut, InlineTable, Item, TableLike, Value};

fn bad(origin: &str, path: &str, message: impl Into<String>) -> Error {
    Error::Policy(PolicyError {
        code: PolicyErrorCode::PolicyBadOverride,
        origin: origin.to_string(),
        line: None,
        key: Some(path.to_string()),
        message: message.into(),
    })
}

/// What an override says when its path names a table or a list.
const NOT_A_VALUE: &str = "this key holds a table or a list; name one value inside it";

/// Whether a table is a cited value (`{ value, source, … }`), which an
/// override steps through and marks overridden.
fn is_cited(t: &dyn TableLike) -> bool {
    t.contains_key("value") && t.contains_key("source")
}

/// An override's value text, read (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spec<'t> {
    /// The value; `None` for `from DATE` alone.
    pub value: Option<&'t str>,
    /// First day in force.
    pub from: Option<NaiveDate>,
    /// Last day in force.
    pub until: Option<NaiveDate>,
    /// `override`, or `assumed` with the `(assumed: …)` mark.
    pub source: &'static str,
    /// The mark's note.
    pub note: Option<&'t str>,
}

impl Spec<'_> {
    fn dated(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }
}

/// Read an override's value text.
pub(crate) fn spec(text: &str) -> std::result::Result<Spec<'_>, String> {
    let mut rest = text.trim();
    let mut source = "override";
    let mut note = None;
    if let Some(open) = rest.rfind("(assumed") {
        if rest.ends_with(')') {
            let inside = rest[open + 1..rest.len() - 1].trim();
            let after = inside["assumed".len()..].trim_start();
            if after.is_empty() || after.starts_with(':') {
                source = "assumed";
                let n = after.trim_start_matches(':').trim();
                note = (!n.is_empty()).then_some(n);
                rest = rest[..open].trim_end();
            }
        }
    }
    let (mut from, mut until) = (None, None);
    for _ in 0..2 {
        let (head, last) = match rest.rsplit_once(char::is_whitespace) {
            Some(pair) => pair,
            None => break,
        };
        let Ok(date) = last.parse::<NaiveDate>() else {
            break;
        };
        let head = head.trim_end();
        let (value, word) = match head.rsplit_once(char::is_whitespace) {
            Some((v, w)) => (v.trim_end(), w),
            None => ("", head),
        };
        let slot = match word {
            "from" if from.is_none() => &mut from,
            "until" if until.is_none() => &mut until,
            _ => break,
        };
        *slot = Some(date);
        rest = value;
    }
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            return Err(format!("`until {u}` is before `from {f}`"));
        }
    }
    Ok(Spec {
        value: (!rest.is_empty()).then_some(rest),
        from,
        until,
        source,
        note,
    })
}

/// The parsed policy text with `(path, value)` overrides applied, in order.
fn edited<S: AsRef<str>>(text: &str, overrides: &[(S, S)], origin: &str) -> Result<DocumentMut> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        bad(
            origin,
            "",
            format!("cannot re-read the policy: {}", e.message()),
        )
    })?;
    for (path, value) in overrides {
        let path = path.as_ref();
        set(doc.as_table_mut(), path, value.as_ref()).map_err(|m| bad(origin, path, m))?;
    }
    Ok(doc)
}

/// Apply `(path, value)` overrides, in order, to a policy's text.
pub fn apply<S: AsRef<str>>(text: &str, overrides: &[(S, S)], origin: &str) -> Result<PolicyFile> {
    let doc = edited(text, overrides, origin)?;
    reader::from_table::<PolicyFile>(doc.as_table()).map_err(|e| {
        bad(
            origin,
            "",
            format!("the overridden policy does not read: {}", e.message),
        )
    })
}

/// One row of a dated schedule as the text has it: first and last day
/// (open when absent) and the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleRow {
    /// First day in force.
    pub from: Option<NaiveDate>,
    /// Last day in force.
    pub until: Option<NaiveDate>,
    /// The value.
    pub value: Decimal,
}

/// The rows of the dated schedule at `path` of a policy's text after
/// `overrides` (what a plan's growth assumption grows from).
///
/// # Errors
/// `policy_bad_override` for a path that names no dated schedule.
pub(crate) fn schedule_at<S: AsRef<str>>(
    text: &str,
    overrides: &[(S, S)],
    origin: &str,
    path: &str,
) -> Result<Vec<ScheduleRow>> {
    let mut doc = edited(text, overrides, origin)?;
    let fail = |m: String| bad(origin, path, m);
    let Target::Value(node, last) = target(doc.as_table_mut(), path, "override").map_err(fail)?
    else {
        return Err(fail(format!("`{path}` names no dated schedule")));
    };
    let rows = schedule_rows(node).ok_or_else(|| {
        fail(format!(
            "`{last}` is one value at all dates, not a dated schedule"
        ))
    })?;
    rows.iter()
        .map(|row| {
            let value = match row.get("value") {
                Some(Value::String(s)) => Decimal::from_str_exact(s.value().trim()).ok(),
                Some(Value::Integer(i)) => Some(Decimal::from(*i.value())),
                _ => None,
            }
            .ok_or_else(|| format!("a row of `{last}` has no exact value"))
            .map_err(fail)?;
            Ok(ScheduleRow {
                from: row_date(row, "from").map_err(fail)?,
                until: row_date(row, "until").map_err(fail)?,
                value,
            })
        })
        .collect()
}

/// The position in `rules` of the rule with this id. (Found first and
/// taken with [`rule_at`] after: a mutable search whose miss falls back to
/// the root table is more than today's borrow checker accepts.)
fn rule_position(root: &toml_edit::Table, id: &str) -> Option<usize> {
    let is_it = |t: &dyn TableLike| t.get("id").and_then(Item::as_str) == Some(id);
    match root.get("rules")? {
        Item::ArrayOfTables(rules) => rules.iter().position(|t| is_it(t)),
        Item::Value(Value::Array(rules)) => rules
            .iter()
            .position(|v| v.as_inline_table().is_some_and(|t| is_it(t))),
        _ => None,
    }
}

/// The rule at `i` of `rules`, as a table.
fn rule_at(root: &mut toml_edit::Table, i: usize) -> Option<&mut dyn TableLike> {
    match root.get_mut("rules")? {
        Item::ArrayOfTables(rules) => rules.get_mut(i).map(|t| t as &mut dyn TableLike),
        Item::Value(Value::Array(rules)) => rules
            .get_mut(i)
            .and_then(Value::as_inline_table_mut)
            .map(|t| t as &mut dyn TableLike),
        _ => None,
    }
}

/// What a path names.
enum Target<'a> {
    /// A rule as a whole (the path is its id).
    Rule(&'a mut dyn TableLike, String),
    /// The list of rules (the path `rules`): a new rule goes in.
    Rules,
    /// A value (or a dated schedule), and its key.
    Value(&'a mut Item, String),
}

/// Find what `path` names; cited values passed through are marked
/// `source`.
fn target<'a>(
    root: &'a mut toml_edit::Table,
    path: &str,
    source: &str,
) -> std::result::Result<Target<'a>, String> {
    let segs: Vec<&str> = path.split('.').collect();
    let first = segs.first().copied().unwrap_or_default();
    // A rule id first, else a top-level table.
    let (mut table, keys): (&mut dyn TableLike, &[&str]) = match rule_position(root, first) {
        Some(i) => {
            let rule = rule_at(root, i).ok_or_else(|| format!("rule `{first}` is not a table"))?;
            if segs.len() == 1 {
                return Ok(Target::Rule(rule, first.to_string()));
            }
            (rule, segs.get(1..).unwrap_or_default())
        }
        None if path == "rules" => return Ok(Target::Rules),
        None if root.contains_key(first) => (root, &segs[..]),
        None => {
            return Err(format!(
                "`{first}` is neither a rule id nor a section of the policy"
            ))
        }
    };
    let Some((last, within)) = keys.split_last() else {
        return Err(NOT_A_VALUE.into());
    };
    for seg in within {
        table = step(table, seg, source)?
            .as_table_like_mut()
            .ok_or_else(|| format!("`{seg}` holds a value, not a table"))?;
    }
    Ok(Target::Value(
        step(table, last, source)?,
        (*last).to_string(),
    ))
}

fn set(root: &mut toml_edit::Table, path: &str, text: &str) -> std::result::Result<(), String> {
    let spec = spec(text)?;
    if path == "rules" && rule_position(root, path).is_none() {
        return add_rule(root, &spec);
    }
    match target(root, path, spec.source)? {
        Target::Rules => Err("`rules` takes a new rule".into()),
        Target::Rule(rule, id) => {
            if spec.value.is_some() || !spec.dated() {
                return Err(format!(
                    "a rule as a whole takes only `from DATE` or `until DATE` (when it starts or ends); name one of rule `{id}`'s values to change it"
                ));
            }
            if !clip_rule(rule, &spec) {
                return Err(format!(
                    "rule `{id}` has no dated values (schedules) to start or end"
                ));
            }
            Ok(())
        }
        Target::Value(node, last) => replace(node, &last, &spec),
    }
}

/// The entry `seg` of `table`; through a cited value into its `value`
/// table, marking it `source`.
fn step<'a>(
    table: &'a mut dyn TableLike,
    seg: &str,
    source: &str,
) -> std::result::Result<&'a mut Item, String> {
    if !is_cited(table) || table.contains_key(seg) {
        return table
            .get_mut(seg)
            .ok_or_else(|| format!("no key `{seg}` here"));
    }
    table.insert("source", toml_edit::value(source));
    table
        .get_mut("value")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("`{seg}` is below a value, not a table"))?
        .get_mut(seg)
        .ok_or_else(|| format!("no key `{seg}` here"))
}

/// The rows of a dated schedule (a list whose every row is a table with a
/// `value`), as inline tables; `None` for anything else.
fn schedule_rows(node: &Item) -> Option<Vec<InlineTable>> {
    let rows: Vec<InlineTable> = match node {
        Item::ArrayOfTables(rows) => rows.iter().map(|t| t.clone().into_inline_table()).collect(),
        Item::Value(Value::Array(rows)) => rows
            .iter()
            .map(|v| v.as_inline_table().cloned())
            .collect::<Option<_>>()?,
        _ => return None,
    };
    rows.iter()
        .all(|row| row.contains_key("value"))
        .then_some(rows)
}

/// A row's `from` or `until` (a TOML date or `YYYY-MM-DD` text).
fn row_date(row: &InlineTable, key: &str) -> std::result::Result<Option<NaiveDate>, String> {
    let bad = || format!("a row's `{key}` is not a date");
    match row.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => s.value().trim().parse().map(Some).map_err(|_| bad()),
        Some(Value::Datetime(d)) => {
            let date = d.value().date.ok_or_else(bad)?;
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .map(Some)
            .ok_or_else(bad)
        }
        Some(_) => Err(bad()),
    }
}

/// A date as a TOML date.
fn toml_date(d: NaiveDate) -> Value {
    let date = toml_edit::Date {
        year: u16::try_from(d.year()).unwrap_or_default(),
        month: u8::try_from(d.month()).unwrap_or_default(),
        day: u8::try_from(d.day()).unwrap_or_default(),
    };
    Value::from(toml_edit::Datetime {
        date: Some(date),
        time: None,
        offset: None,
    })
}

fn set_date(row: &mut InlineTable, key: &str, d: Option<NaiveDate>) {
    match d {
        Some(d) => {
            row.insert(key, toml_date(d));
        }
        None => {
            row.remove(key);
        }
    }
}

/// The rows of a schedule with the span `[from, until]` taken out: rows
/// before and after it stay, a row across an edge is cut there.
fn cut_out(
    rows: Vec<InlineTable>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> std::result::Result<Vec<InlineTable>, String> {
    let mut out = Vec::with_capacity(rows.len() + 1);
    for row in rows {
        let (rf, ru) = (row_date(&row, "from")?, row_date(&row, "until")?);
        // The part before `from`.
        if let Some(f) = from {
            if rf.is_none_or(|x| x < f) {
                let end = match ru {
                    Some(u) if u < f => u,
                    _ => f.pred_opt().ok_or("a date out of range")?,
                };
                let mut before = row.clone();
                set_date(&mut before, "until", Some(end));
                out.push(before);
            }
        }
        // The part after `until`.
        if let Some(u) = until {
            if ru.is_none_or(|x| x > u) {
                let start = match rf {
                    Some(f) if f > u => f,
                    _ => u.succ_opt().ok_or("a date out of range")?,
                };
                let mut after = row.clone();
                set_date(&mut after, "from", Some(start));
                out.push(after);
            }
        }
    }
    Ok(out)
}

/// The first day of a row (open = since ever).
fn row_start(row: &InlineTable) -> NaiveDate {
    row_date(row, "from")
        .ok()
        .flatten()
        .unwrap_or(NaiveDate::MIN)
}

/// Rows in date order into the schedule at `node`.
fn write_rows(node: &mut Item, rows: Vec<InlineTable>) {
    let mut list = Array::new();
    for row in rows {
        list.push(row);
    }
    *node = toml_edit::value(list);
}

/// The note of a new row.
fn row_note(spec: &Spec) -> String {
    let when = match (spec.from, spec.until) {
        (Some(f), Some(u)) => format!("from {f} until {u}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "at all dates".to_string(),
    };
    match (spec.source, spec.note) {
        ("assumed", Some(n)) => format!("{n} ({when})"),
        ("assumed", None) => format!("assumption, in force {when}"),
        _ => format!("what-if override, in force {when}"),
    }
}

/// Put the value of `spec` into the value at `node`, keeping its kind: a
/// dated schedule gets a row for the days `spec` gives (all of them when
/// undated), a cited value keeps its citation.
fn replace(node: &mut Item, key: &str, spec: &Spec) -> std::result::Result<(), String> {
    let text = spec
        .value
        .ok_or_else(|| format!("no value for `{key}`: write `VALUE from DATE`"))?;
    if let Some(rows) = schedule_rows(node) {
        let mut row = InlineTable::new();
        if let Some(f) = spec.from {
            row.insert("from", toml_date(f));
        }
        if let Some(u) = spec.until {
            row.insert("until", toml_date(u));
        }
        row.insert("value", text.into());
        row.insert("source", spec.source.into());
        row.insert("note", row_note(spec).into());
        let mut rows = if spec.dated() {
            cut_out(rows, spec.from, spec.until)?
        } else {
            Vec::new()
        };
        // The rows left are in date order, none in the new row's days.
        let start = spec.from.unwrap_or(NaiveDate::MIN);
        let at = rows
            .iter()
            .position(|r| row_start(r) > start)
            .unwrap_or(rows.len());
        rows.insert(at, row);
        write_rows(node, rows);
        return Ok(());
    }
    if spec.dated() {
        return Err(format!(
            "`{key}` is one value at all dates; only a dated schedule (rows with `from` and `until`) takes `from` or `until`"
        ));
    }
    if let Some(t) = node.as_table_like_mut() {
        if !is_cited(t) {
            return Err(NOT_A_VALUE.into());
        }
        let old = t.get("value").and_then(Item::as_value).cloned();
        let new = scalar_like(old.as_ref(), text)?;
        t.insert("value", Item::Value(new));
        t.insert("source", toml_edit::value(spec.source));
        if let Some(n) = spec.note {
            t.insert("note", toml_edit::value(n));
        }
        return Ok(());
    }
    let new = scalar_like(node.as_value(), text)?;
    *node = Item::Value(new);
    Ok(())
}

/// Keep only the days `[spec.from, spec.until]` of every dated schedule of
/// a rule; a row cut at an edge is cited as `spec` says. Whether the rule
/// had any schedule.
fn clip_rule(rule: &mut dyn TableLike, spec: &Spec) -> bool {
    let mut found = false;
    let keys: Vec<String> = rule.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        let Some(node) = rule.get_mut(&key) else {
            continue;
        };
        if let Some(rows) = schedule_rows(node) {
            found = true;
            let kept = rows
                .into_iter()
                .filter_map(|row| clip_row(row, spec))
                .collect();
            write_rows(node, kept);
        } else if let Some(t) = node.as_table_like_mut() {
            // Amounts by post or rating (`amounts.director = [...]`).
            if !is_cited(t) {
                found |= clip_rule(t, spec);
            }
        }
    }
    found
}

/// A row's part within `[spec.from, spec.until]`, if any.
fn clip_row(mut row: InlineTable, spec: &Spec) -> Option<InlineTable> {
    let (rf, ru) = (row_date(&row, "from").ok()?, row_date(&row, "until").ok()?);
    let start = match (rf, spec.from) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let end = match (ru, spec.until) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            return None;
        }
    }
    if start != rf || end != ru {
        set_date(&mut row, "from", start);
        set_date(&mut row, "until", end);
        row.insert("source", spec.source.into());
        row.insert("note", row_note(spec).into());
    }
    Some(row)
}

/// Add the rule `spec.value` (TOML: an inline table or a table's body) to
/// the policy's rules; every value in it is cited as `spec` says.
fn add_rule(root: &mut toml_edit::Table, spec: &Spec) -> std::result::Result<(), String> {
    let text = spec
        .value
        .ok_or("`rules` takes a new rule: the TOML of a `[[rules]]` table")?;
    let mut table = if text.trim_start().starts_with('{') {
        text.parse::<Value>()
            .ok()
            .and_then(|v| v.as_inline_table().cloned())
            .ok_or("the new rule is not a TOML inline table")?
            .into_table()
    } else {
        let doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| format!("the new rule: {}", e.message().trim()))?;
        doc.as_table().clone()
    };
    let id = table
        .get("id")
        .and_then(Item::as_str)
        .ok_or("the new rule has no `id`")?
        .to_string();
    if rule_position(root, &id).is_some() {
        return Err(format!("the policy already has a rule `{id}`"));
    }
    cite_all(&mut table, spec);
    match root.get_mut("rules") {
        Some(Item::ArrayOfTables(rules)) => rules.push(table),
        Some(Item::Value(Value::Array(rules))) => rules.push(table.into_inline_table()),
        None => {
            let mut rules = toml_edit::ArrayOfTables::new();
            rules.push(table);
            root.insert("rules", Item::ArrayOfTables(rules));
        }
        Some(_) => return Err("the policy's `rules` is not a list".into()),
    }
    Ok(())
}

/// Cite every value of a new rule as `spec` says: each `source` becomes
/// its source, and a value without a note gets the spec's.
fn cite_all(t: &mut dyn TableLike, spec: &Spec) {
    if t.contains_key("source") {
        t.insert("source", toml_edit::value(spec.source));
        if let Some(n) = spec.note {
            if !t.contains_key("note") {
                t.insert("note", toml_edit::value(n));
            }
        }
    }
    let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
    for key in keys {
        match t.get_mut(&key) {
            Some(Item::ArrayOfTables(rows)) => {
                for row in rows.iter_mut() {
                    cite_all(row, spec);
                }
            }
            Some(Item::Value(Value::Array(rows))) => {
                for row in rows.iter_mut() {
                    if let Some(row) = row.as_inline_table_mut() {
                        cite_all(row, spec);
                    }
                }
            }
            Some(node) => {
                if let Some(inner) = node.as_table_like_mut() {
                    cite_all(inner, spec);
                }
            }
            None => {}
        }
    }
}

/// `text` as a value of the same kind as `old`.
fn scalar_like(old: Option<&Value>, text: &str) -> std::result::Result<Value, String> {
    match old {
        Some(Value::Integer(_)) => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not a whole number")),
        Some(Value::Boolean(_)) => text
            .trim()
            .parse::<bool>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not true or false")),
        Some(Value::String(_)) => Ok(Value::from(text)),
        _ => Err(NOT_A_VALUE.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::file::Rule;
    use crate::policy::values::Source;
    use crate::Policy;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn a_value_text_reads_its_dates_and_mark() {
        let s = spec("2000 from 2027-07-01");
        assert_eq!(
            s,
            Ok(Spec {
                value: Some("2000"),
                from: d(2027, 7, 1),
                until: None,
                source: "override",
                note: None
            })
        );
        let s = spec(" 1260.00 from 2027-01-01 until 2027-12-31 (assumed: +5% a year) ");
        assert_eq!(
            s,
            Ok(Spec {
                value: Some("1260.00"),
                from: d(2027, 1, 1),
                until: d(2027, 12, 31),
                source: "assumed",
                note: Some("+5% a year")
            })
        );
        let s = spec("from 2028-01-01 (assumed)").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (s.value, s.from, s.source),
            (None, d(2028, 1, 1), "assumed")
        );
        // Text that only looks like it keeps its words.
        let s = spec("per_full_unit").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((s.value, s.from), (Some("per_full_unit"), None));
        assert!(spec("2000 from 2028-01-01 until 2027-01-01").is_err());
    }

    fn rate(p: &Policy) -> Vec<(Option<NaiveDate>, Option<NaiveDate>, String, Source)> {
        let Some(Rule::WorkFunds(w)) = p.rule("work_funds") else {
            unreachable!("no work funds")
        };
        w.rate
            .iter()
            .map(|r| {
                (
                    r.from.map(|x| x.0),
                    r.until.map(|x| x.0),
                    r.value.0.to_string(),
                    r.source,
                )
            })
            .collect()
    }

    #[test]
    fn a_dated_override_splits_the_schedule_at_its_date() -> Result<()> {
        let p = Policy::builtin("jilin-2011-13")?;
        let q = p.with_overrides(&[("work_funds.rate", "2000 from 2027-07-01")])?;
        assert_eq!(
            rate(&q),
            [
                (d(2011, 1, 1), d(2027, 6, 30), "1500".into(), Source::Stated),
                (d(2027, 7, 1), None, "2000".into(), Source::Override),
            ]
        );
        // A span in the middle leaves the rows on both sides.
        let r =
            p.with_overrides(&[("work_funds.rate", "1800 from 2027-01-01 until 2027-12-31")])?;
        assert_eq!(
            rate(&r),
            [
                (
                    d(2011, 1, 1),
                    d(2026, 12, 31),
                    "1500".into(),
                    Source::Stated
                ),
                (
                    d(2027, 1, 1),
                    d(2027, 12, 31),
                    "1800".into(),
                    Source::Override
                ),
                (d(2028, 1, 1), None, "1500".into(), Source::Stated),
            ]
        );
        // A later override over an earlier one.
        let s =
            r.with_overrides(&[("work_funds.rate", "1900 from 2027-07-01 (assumed: reform)")])?;
        assert_eq!(
            rate(&s),
            [
                (
                    d(2011, 1, 1),
                    d(2026, 12, 31),
                    "1500".into(),
                    Source::Stated
                ),
                (
                    d(2027, 1, 1),
                    d(2027, 6, 30),
                    "1800".into(),
                    Source::Override
                ),
                (d(2027, 7, 1), None, "1900".into(), Source::Assumed),
            ]
        );
        let rows = schedule_at(s.text(), s.overrides(), "x", "work_funds.rate")?;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].value, Decimal::from(1800));
        Ok(())
    }

    #[test]
    fn only_a_schedule_takes_a_date() -> Result<()> {
        let p = Policy::builtin("jilin-2011-13")?;
        let err = p
            .with_overrides(&[("work_funds.basis", "per_full_unit from 2027-01-01")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("one value at all dates"), "{err}");
        assert!(schedule_at(p.text(), p.overrides(), "x", "work_funds.basis").is_err());
        Ok(())
    }

    #[test]
    fn a_rule_starts_on_a_date_and_a_new_rule_comes_in() -> Result<()> {
        let p = Policy::builtin("jilin-2011-13")?;
        let q = p.with_overrides(&[("work_funds", "from 2028-03-01 (assumed: starts later)")])?;
        assert_eq!(
            rate(&q),
            [(d(2028, 3, 1), None, "1500".into(), Source::Assumed)]
        );
        assert!(p.with_overrides(&[("work_funds", "2000")]).is_err());
        let grant = r#"{ kind = "community_grant", id = "ipad", zh = "平板", en = "tablets", clause = "x", quote = "y", amount = [{ value = "1200", source = "stated" }], split = { value = { city = "100" }, source = "stated" } }"#;
        let marked = format!("{grant} (assumed: a new grant)");
        let r = p.with_overrides(&[("rules", marked.as_str()), ("ipad", "from 2028-01-01")])?;
        let Some(Rule::CommunityGrant(g)) = r.rule("ipad") else {
            unreachable!("no new rule")
        };
        assert_eq!(g.amount[0].from.map(|x| x.0), d(2028, 1, 1));
        assert_eq!(g.split.source, Source::Assumed);
        assert_eq!(g.split.note.as_deref(), Some("a new grant"));
        // The same rule twice is refused.
        assert!(r.with_overrides(&[("rules", grant)]).is_err());
        Ok(())
    }
}
