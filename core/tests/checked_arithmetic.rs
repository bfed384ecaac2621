//! Keeps money arithmetic checked.
//!
//! Money is computed in `engine/`, `compliance/`, `money.rs`, `explain.rs`,
//! `diff.rs`, `ledger.rs`, `budget.rs`, `plan.rs` and handed out by `ffi/`. Each of
//! these module trees denies `clippy::arithmetic_side_effects`, so that
//! `cargo clippy -p shequ --lib` (a step of `tests/run`) fails on any `+`,
//! `-`, `*`, `/`, `%` (or `+=` …) that could overflow, divide by zero or
//! wrap — on `Decimal` and on the integers of fen, months and counts alike.
//! Checked (`checked_mul`, …) or saturating methods are what passes.
//! (`core/clippy.toml` allows negating a `Decimal`, which only flips its
//! sign.)
//!
//! Clippy can only check what it is asked to, so this test fails when:
//! - a module root loses its `#![deny(clippy::arithmetic_side_effects)]`;
//! - an `allow` of the lint appears anywhere in those trees other than on a
//!   `mod tests` or on the few functions listed in [`ALLOWED`];
//! - an iterator `.sum()` or `.product()` appears outside tests there: they
//!   add with `+` inside the standard library, where clippy does not look
//!   (a `Decimal` sum panics on overflow, an integer one wraps in release
//!   builds). Fold with `checked_add` instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The module roots where money is computed, and the files of each tree.
const ROOTS: &[&str] = &[
    "engine/mod.rs",
    "compliance/mod.rs",
    "ffi/mod.rs",
    "money.rs",
    "explain.rs",
    "diff.rs",
    "ledger.rs",
    "budget.rs",
    "plan.rs",
];

/// Functions that may allow the lint, with why (file, function).
const ALLOWED: &[(&str, &str)] = &[
    // Byte counts of allocations that exist, for benchmarks: no overflow.
    ("ledger.rs", "pub fn heap_bytes"),
    ("budget.rs", "pub fn heap_bytes"),
];

const DENY: &str = "#![deny(clippy::arithmetic_side_effects)]";
const ALLOW: &str = "allow(clippy::arithmetic_side_effects)";

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file of the tree a root stands for (a `mod.rs` root: its
/// directory; a file root: the file and its directory of submodules, if any).
fn files_of(root: &str) -> Vec<PathBuf> {
    let path = src().join(root);
    let dir = if root.ends_with("mod.rs") {
        path.parent().map(Path::to_path_buf)
    } else {
        Some(path.with_extension(""))
    };
    let mut out = vec![path];
    let mut stack: Vec<PathBuf> = dir.into_iter().filter(|d| d.is_dir()).collect();
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The text of a file before its `#[cfg(test)]` module (tests may add as
/// they like), with comments removed line by line.
fn code_before_tests(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            Some(k) => &line[..k],
            None => line,
        };
        out.push((i + 1, code.to_string()));
    }
    out
}

#[test]
fn every_money_module_denies_unchecked_arithmetic() {
    for root in ROOTS {
        let text = std::fs::read_to_string(src().join(root)).unwrap();
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(DENY)),
            "core/src/{root} must start with {DENY}"
        );
    }
}

#[test]
fn the_lint_is_allowed_only_on_tests_and_listed_functions() {
    for root in ROOTS {
        for file in files_of(root) {
            let text = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let name = file.strip_prefix(src()).unwrap().display().to_string();
            for (i, line) in lines.iter().enumerate() {
                if !line.contains(ALLOW) || line.trim_start().starts_with("//") {
                    continue;
                }
                let next = lines.get(i + 1).map_or("", |l| l.trim());
                let on_tests = next.starts_with("mod tests");
                let listed = ALLOWED
                    .iter()
                    .any(|(f, func)| name == *f && next.starts_with(func));
                assert!(
                    on_tests || listed,
                    "core/src/{name}:{}: `{ALLOW}` on `{next}`: use checked or saturating arithmetic (or list the function in core/tests/checked_arithmetic.rs with why it cannot overflow)",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn no_iterator_sums_outside_tests() {
    for root in ROOTS {
        for file in files_of(root) {
            let text = std::fs::read_to_string(&file).unwrap();
            let name = file.strip_prefix(src()).unwrap().display().to_string();
            let in_listed = |line: usize| {
                // Inside a listed function: from its line to the next `fn`.
                let lines: Vec<&str> = text.lines().collect();
                ALLOWED.iter().any(|(f, func)| {
                    name == *f
                        && lines[..line]
                            .iter()
                            .rev()
                            .find(|l| l.contains(" fn "))
                            .is_some_and(|l| l.trim_start().starts_with(func))
                })
            };
            for (n, code) in code_before_tests(&text) {
                for call in [".sum(", ".sum::<", ".product(", ".product::<"] {
                    assert!(
                        !code.contains(call) || in_listed(n),
                        "core/src/{name}:{n}: `{call}` adds unchecked inside the standard library: fold with checked_add"
                    );
                }
            }
        }
    }
}

#[test]
fn the_guarded_trees_are_where_money_is() {
    // Every file that names `Decimal` or fen outside these trees is a reader
    // (parsing, not arithmetic), the policy, or sample data: listed here so
    // that a new money module is noticed.
    let guarded: Vec<PathBuf> = ROOTS.iter().flat_map(|r| files_of(r)).collect();
    let elsewhere = [
        "frame.rs",
        "input.rs",
        "lang.rs",
        "options.rs",
        "provenance.rs",
        "realistic.rs",
        "samples.rs",
        "ids.rs",
        "notes.rs",
        "lib.rs",
        "parallel.rs",
        "error.rs",
        "suggest.rs",
        "lang_table.rs", // a table of characters (simplified to traditional)
        "script.rs",     // the Script type alone
        // Reports lay out amounts the budget computed (checked there); their
        // one sum, by district, adds with saturating_add.
        "report/mod.rs",
        "report/text.rs",
        "report/xlsx.rs",
    ];
    let mut stack = vec![src()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.strip_prefix(src()).unwrap().display().to_string();
            if guarded.contains(&p)
                || elsewhere.contains(&name.as_str())
                || name.starts_with("read/")
                || name.starts_with("policy/")
            {
                continue;
            }
            panic!("core/src/{name} is not in a guarded tree: add it to ROOTS (or to the list above, with why it computes no money)");
        }
    }
}
