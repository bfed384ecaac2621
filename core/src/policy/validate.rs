//! Checks a parsed policy file is consistent: ids unique, references known,
//! splits adding up to 100%, dated rows in order and not overlapping, amounts
//! not negative. Each rule and check kind validates its own fields (in its
//! own file); this runs them all. Each failure names the key path; the
//! caller adds the line.

use super::file::PolicyFile;
use super::locate::KeyPath;
pub use super::validity::Invalid;
use super::validity::{fail, known, percent, split, unique_ids, Checked, Known};
use crate::error::PolicyErrorCode;
use std::collections::HashSet;

/// Validate a whole file.
pub fn validate(file: &PolicyFile) -> Checked {
    let root = KeyPath::root();
    if file.policy.id.trim().is_empty() {
        return fail(
            PolicyErrorCode::PolicyInvalidValue,
            root.key("policy").key("id"),
            "the policy id is empty",
        );
    }
    let payers = unique_ids(
        file.payers.iter().map(|p| p.id.as_str()),
        &root.key("payers"),
    )?;
    let mut posts = unique_ids(file.posts.iter().map(|p| p.id.as_str()), &root.key("posts"))?;
    for (i, post) in file.posts.iter().enumerate() {
        for alias in &post.aliases {
            if !posts.insert(alias.as_str()) {
                return fail(
                    PolicyErrorCode::PolicyInvalidValue,
                    root.key("posts").index(i).key("aliases"),
                    format!("alias `{alias}` is used twice"),
                );
            }
        }
    }
    let posts: HashSet<&str> = file.posts.iter().map(|p| p.id.as_str()).collect();
    let ratings = unique_ids(
        file.ratings.iter().map(|r| r.id.as_str()),
        &root.key("ratings"),
    )?;
    let params = unique_ids(
        file.parameters.iter().map(|p| p.id.as_str()),
        &root.key("parameters"),
    )?;
    if let Some(q) = &file.rating_quota {
        let path = root.key("rating_quota").key("caps");
        for (rating, cap) in &q.caps {
            known(&ratings, rating, "rating", &path.key(rating))?;
            percent(cap.value.0, &path.key(rating).key("value"))?;
        }
    }
    let known_ids = Known {
        payers,
        posts,
        ratings,
        params,
    };
    let mut rule_ids = HashSet::new();
    for (i, rule) in file.rules.iter().enumerate() {
        let path = root.key("rules").index(i);
        if !rule_ids.insert(rule.id()) {
            return fail(
                PolicyErrorCode::PolicyInvalidValue,
                path.key("id"),
                format!("rule id `{}` is used twice", rule.id()),
            );
        }
        if let Some(sp) = rule.split() {
            split(&known_ids.payers, sp, &path.key("split"))?;
        }
        crate::engine::rules::validate(rule, &known_ids, &path)?;
    }
    let mut check_ids = HashSet::new();
    for (i, check) in file.checks.iter().enumerate() {
        let path = root.key("checks").index(i);
        if !check_ids.insert(check.id()) {
            fail(
                PolicyErrorCode::PolicyInvalidValue,
                path.key("id"),
                format!("check id `{}` is used twice", check.id()),
            )?;
        }
        crate::compliance::kinds::validate(check, &known_ids, &path)?;
    }
    headers(file, &root.key("headers"))
}

/// A policy's own headers: each for a column of its table, not empty, and
/// not standing for another column already.
fn headers(file: &PolicyFile, root: &KeyPath) -> Checked {
    let mut added = crate::read::Headers::builtin();
    for (table, name, columns) in file.headers.tables() {
        let path = root.key(name);
        for (column, labels) in columns {
            if !table.columns().contains(&column.as_str()) {
                return fail(
                    PolicyErrorCode::PolicyUnknownReference,
                    path.key(column),
                    format!(
                        "`{column}` is not a column of the {name} table; its columns are {}",
                        table.columns().join(", ")
                    ),
                );
            }
            for (i, label) in labels.iter().enumerate() {
                let at = path.key(column).index(i);
                if crate::read::headers::plain(label).is_empty() {
                    return fail(
                        PolicyErrorCode::PolicyInvalidValue,
                        at,
                        "a header must not be empty",
                    );
                }
                if let Some(other) = added.column(table, label).filter(|c| c != column) {
                    return fail(
                        PolicyErrorCode::PolicyInvalidValue,
                        at,
                        format!("header `{label}` already stands for column `{other}` of the {name} table"),
                    );
                }
            }
            added = added.with_labels(table, column, labels);
        }
    }
    Ok(())
}
