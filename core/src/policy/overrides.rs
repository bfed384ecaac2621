//! What-if overrides: replace values of a parsed policy by key path, then
//! read and validate the result like any file.

use super::file::PolicyFile;
use crate::error::{Error, PolicyError, PolicyErrorCode, Result};
use toml::Value;

fn bad(origin: &str, path: &str, message: impl Into<String>) -> Error {
    Error::Policy(PolicyError {
        code: PolicyErrorCode::PolicyBadOverride,
        origin: origin.to_string(),
        line: None,
        key: Some(path.to_string()),
        message: message.into(),
    })
}

/// Apply `(path, value)` overrides to a policy file.
pub fn apply(file: &PolicyFile, overrides: &[(&str, &str)], origin: &str) -> Result<PolicyFile> {
    let mut doc = Value::try_from(file)
        .map_err(|e| bad(origin, "", format!("cannot re-read the policy: {e}")))?;
    for (path, text) in overrides {
        set(&mut doc, path, text).map_err(|m| bad(origin, path, m))?;
    }
    // Read back through the same text parser as a file (not from the value
    // directly): one reader of policy files, and a smaller .wasm.
    let text = toml::to_string(&doc)
        .map_err(|e| bad(origin, "", format!("cannot write the policy: {e}")))?;
    toml::from_str::<PolicyFile>(&text).map_err(|e| {
        bad(
            origin,
            "",
            format!("the overridden policy does not read: {}", e.message()),
        )
    })
}

fn set(doc: &mut Value, path: &str, text: &str) -> std::result::Result<(), String> {
    let mut segs = path.split('.');
    let first = segs.next().unwrap_or_default();
    let rest: Vec<&str> = segs.collect();
    // A rule id first, else a top-level table.
    let target = {
        let rules = doc.get_mut("rules").and_then(Value::as_array_mut);
        let pos = rules.as_ref().and_then(|r| {
            r.iter()
                .position(|x| x.get("id").and_then(Value::as_str) == Some(first))
        });
        match (rules, pos) {
            (Some(rules), Some(i)) => rules.get_mut(i),
            _ => doc.get_mut(first),
        }
    };
    let mut node = target
        .ok_or_else(|| format!("`{first}` is neither a rule id nor a section of the policy"))?;
    for seg in &rest {
        let table = node
            .as_table_mut()
            .ok_or_else(|| format!("`{seg}` is below a value, not a table"))?;
        if table.contains_key("value") && table.contains_key("source") && !table.contains_key(*seg)
        {
            // Step through a cited value into its `value` table, marking it overridden.
            table.insert("source".into(), Value::String("override".into()));
            node = table
                .get_mut("value")
                .ok_or_else(|| "missing value".to_string())?;
            let inner = node
                .as_table_mut()
                .ok_or_else(|| format!("`{seg}` is below a value, not a table"))?;
            node = inner
                .get_mut(*seg)
                .ok_or_else(|| format!("no key `{seg}` here"))?;
        } else {
            node = table
                .get_mut(*seg)
                .ok_or_else(|| format!("no key `{seg}` here"))?;
        }
    }
    replace(node, text)
}

/// Put `text` into the value at `node`, keeping its kind: a dated schedule
/// becomes a single undated row, a cited value keeps its citation.
fn replace(node: &mut Value, text: &str) -> std::result::Result<(), String> {
    match node {
        Value::Array(rows) if rows.iter().all(|r| r.get("value").is_some()) => {
            let mut row = toml::Table::new();
            row.insert("value".into(), Value::String(text.to_string()));
            row.insert("source".into(), Value::String("override".into()));
            row.insert(
                "note".into(),
                Value::String("what-if override, in force at all dates".into()),
            );
            *rows = vec![Value::Table(row)];
            Ok(())
        }
        Value::Table(t) if t.contains_key("value") && t.contains_key("source") => {
            let old = t
                .get("value")
                .cloned()
                .unwrap_or(Value::String(String::new()));
            t.insert("value".into(), scalar_like(&old, text)?);
            t.insert("source".into(), Value::String("override".into()));
            Ok(())
        }
        Value::Table(_) | Value::Array(_) => {
            Err("this key holds a table or a list; name one value inside it".into())
        }
        other => {
            *other = scalar_like(other, text)?;
            Ok(())
        }
    }
}

fn scalar_like(old: &Value, text: &str) -> std::result::Result<Value, String> {
    match old {
        Value::Integer(_) => text
            .trim()
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| format!("`{text}` is not a whole number")),
        Value::Boolean(_) => text
            .trim()
            .parse::<bool>()
            .map(Value::Boolean)
            .map_err(|_| format!("`{text}` is not true or false")),
        Value::String(_) => Ok(Value::String(text.to_string())),
        _ => Err("this key holds a table or a list; name one value inside it".into()),
    }
}
