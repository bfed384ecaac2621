//! What-if overrides: replace values of a policy's text by key path, then
//! read and validate the result like any file.
//!
//! The edit is made on the parsed TOML document and the policy read from
//! it by the same reader as a file; nothing is written back to text.

use super::file::PolicyFile;
use super::reader;
use crate::error::{Error, PolicyError, PolicyErrorCode, Result};
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

/// Apply `(path, value)` overrides, in order, to a policy's text.
pub fn apply<S: AsRef<str>>(text: &str, overrides: &[(S, S)], origin: &str) -> Result<PolicyFile> {
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
    reader::from_table::<PolicyFile>(doc.as_table()).map_err(|e| {
        bad(
            origin,
            "",
            format!("the overridden policy does not read: {}", e.message),
        )
    })
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

fn set(root: &mut toml_edit::Table, path: &str, text: &str) -> std::result::Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    let first = segs.first().copied().unwrap_or_default();
    // A rule id first, else a top-level table.
    let (mut table, keys): (&mut dyn TableLike, &[&str]) = match rule_position(root, first) {
        Some(i) => (
            rule_at(root, i).ok_or_else(|| format!("rule `{first}` is not a table"))?,
            segs.get(1..).unwrap_or_default(),
        ),
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
        table = step(table, seg)?
            .as_table_like_mut()
            .ok_or_else(|| format!("`{seg}` holds a value, not a table"))?;
    }
    replace(step(table, last)?, text)
}

/// The entry `seg` of `table`; through a cited value into its `value`
/// table, marking it overridden.
fn step<'a>(table: &'a mut dyn TableLike, seg: &str) -> std::result::Result<&'a mut Item, String> {
    if !is_cited(table) || table.contains_key(seg) {
        return table
            .get_mut(seg)
            .ok_or_else(|| format!("no key `{seg}` here"));
    }
    table.insert("source", toml_edit::value("override"));
    table
        .get_mut("value")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("`{seg}` is below a value, not a table"))?
        .get_mut(seg)
        .ok_or_else(|| format!("no key `{seg}` here"))
}

/// Put `text` into the value at `node`, keeping its kind: a dated schedule
/// becomes a single undated row, a cited value keeps its citation.
fn replace(node: &mut Item, text: &str) -> std::result::Result<(), String> {
    // A dated schedule: a list whose every row has a `value`.
    let schedule = match node {
        Item::ArrayOfTables(rows) => rows.iter().all(|row| row.contains_key("value")),
        Item::Value(Value::Array(rows)) => rows.iter().all(|row| {
            row.as_inline_table()
                .is_some_and(|row| row.contains_key("value"))
        }),
        _ => false,
    };
    if schedule {
        let mut row = InlineTable::new();
        row.insert("value", text.into());
        row.insert("source", "override".into());
        row.insert("note", "what-if override, in force at all dates".into());
        let mut rows = Array::new();
        rows.push(row);
        *node = toml_edit::value(rows);
        return Ok(());
    }
    if let Some(t) = node.as_table_like_mut() {
        if !is_cited(t) {
            return Err(NOT_A_VALUE.into());
        }
        let old = t.get("value").and_then(Item::as_value).cloned();
        let new = scalar_like(old.as_ref(), text)?;
        t.insert("value", Item::Value(new));
        t.insert("source", toml_edit::value("override"));
        return Ok(());
    }
    let new = scalar_like(node.as_value(), text)?;
    *node = Item::Value(new);
    Ok(())
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
