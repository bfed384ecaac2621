//! The request JSON of the core's boundary (`ffi::compute_json` and its
//! siblings), built from the command line's arguments and input files.

use crate::args::InputArgs;
use crate::error::{CliError, Source};
use crate::formats::{self, Rows};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Where the request's policy comes from.
#[derive(Debug, Clone)]
pub enum PolicyArg {
    /// A built-in id.
    Builtin(String),
    /// A policy file.
    File(PathBuf),
}

impl PolicyArg {
    /// A path when it looks like one (an extension such as `.toml`, a
    /// directory, an existing file), a built-in id otherwise (ids have
    /// neither dots nor slashes).
    pub fn parse(arg: &str) -> Self {
        let path = Path::new(arg);
        if path.extension().is_some() || arg.contains(['/', '\\']) || path.is_file() {
            PolicyArg::File(path.to_path_buf())
        } else {
            PolicyArg::Builtin(arg.to_string())
        }
    }

    /// The request's `policy` value: the id, or `{toml, origin}`.
    ///
    /// # Errors
    /// A policy file that cannot be read.
    pub fn spec(&self) -> Result<Value, CliError> {
        match self {
            PolicyArg::Builtin(id) => Ok(Value::String(id.clone())),
            PolicyArg::File(path) => {
                let toml = std::fs::read_to_string(path).map_err(|error| CliError::Io {
                    path: path.clone(),
                    reading: true,
                    error,
                })?;
                Ok(serde_json::json!({"toml": toml, "origin": path.display().to_string()}))
            }
        }
    }
}

/// A request ready for the core, with what the printouts and error messages
/// need besides.
#[derive(Debug)]
pub struct Prepared {
    /// The request JSON.
    pub request: String,
    /// The request's `policy` value as JSON text (for `ffi::policy_json`).
    pub policy_spec: String,
    /// The policy file, when the policy is one.
    pub policy_file: Option<PathBuf>,
    /// The communities as a JSON array.
    pub communities: String,
    /// The people as a JSON array.
    pub people: String,
    /// Files of the communities, people and adjustments (none for a sample).
    pub files: [Option<Located>; 3],
    /// Rows in all tables.
    pub rows: usize,
    /// What the reader of the files said: how headers were read (when one
    /// was renamed or ignored), rows skipped, the encoding; `(zh, en)`.
    pub notes: Vec<(String, String)>,
}

/// Where a table came from: its file, its sheet, each row's line.
#[derive(Debug, Clone)]
pub struct Located {
    /// The file.
    pub path: PathBuf,
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
    /// Each row's line in the file or sheet (1-based), when known.
    pub lines: Vec<u32>,
}

const TABLES: [&str; 3] = ["communities", "people", "adjustments"];

/// The tables read, by slot, and the reader's notes `(zh, en)`.
type ReadTables = ([Option<Rows>; 3], Vec<(String, String)>);

/// The tables of the input files, given in the order communities, people,
/// adjustments: each file gives its own table, and a workbook given first
/// also gives the people and adjustments its other sheets hold when no
/// file is given for them.
fn read_tables(files: &[PathBuf], policy: &Value) -> Result<ReadTables, CliError> {
    let mut slots: [Option<Rows>; 3] = [None, None, None];
    let mut notes = Vec::new();
    for (k, f) in files.iter().enumerate().take(3) {
        let (found, said) = formats::read_file(f, TABLES[k], policy)?;
        notes.extend(said.lines);
        for rows in found {
            let slot = match rows.table.as_deref() {
                None => Some(k),
                Some(t) => TABLES.iter().position(|x| *x == t),
            };
            match slot {
                Some(j) if j == k || (k == 0 && files.get(j).is_none()) => slots[j] = Some(rows),
                _ => {}
            }
        }
    }
    Ok((slots, notes))
}

/// Build the request of the input arguments, reading the input files.
///
/// # Errors
/// Usage errors (a sample that does not exist), unreadable or malformed
/// files, a policy file that cannot be read.
pub fn prepare(args: &InputArgs) -> Result<Prepared, CliError> {
    // Check every file's format before reading any (exit 2 early).
    for f in &args.files {
        formats::Format::input(f)?;
    }
    let mut head = Map::new();
    let mut parameters = Map::new();
    let mut notes = Vec::new();
    let (policy_arg, year, communities, people, adjustments, files, rows) = match &args.sample {
        Some(id) => {
            let sample: Value = shequ::ffi::sample_json(id)
                .map_err(CliError::core)
                .and_then(|s| {
                    serde_json::from_str(&s).map_err(|e| {
                        CliError::usage(format!("样例 {id} 无法读取:{e}"), e.to_string())
                    })
                })?;
            let text = |key: &str| sample.get(key).map(Value::to_string);
            let policy = args
                .policy
                .clone()
                .or_else(|| sample["policy"].as_str().map(str::to_owned))
                .unwrap_or_default();
            let year = args
                .year
                .map(Value::from)
                .unwrap_or_else(|| sample["year"].clone());
            if let Some(Value::Object(p)) = sample.get("parameters") {
                parameters.extend(p.clone());
            }
            let count = |key: &str| sample[key].as_array().map_or(0, Vec::len);
            let rows = count("communities") + count("people");
            (
                PolicyArg::parse(&policy),
                year,
                text("communities").unwrap_or_else(|| "[]".into()),
                text("people").unwrap_or_else(|| "[]".into()),
                "[]".to_string(),
                [None, None, None],
                rows,
            )
        }
        None => {
            let (Some(policy), Some(year)) = (&args.policy, args.year) else {
                return Err(CliError::usage(
                    "需要 --policy 和 --year(或用 --sample)",
                    "--policy and --year are required (or use --sample)",
                ));
            };
            let policy_arg = PolicyArg::parse(policy);
            let spec = policy_arg.spec()?;
            let (slots, read_notes) = read_tables(&args.files, &spec)?;
            notes = read_notes;
            let rows = slots.iter().flatten().map(|t| t.count).sum();
            let mut files = [None, None, None];
            let [c, p, a] = slots.map(|t| t.map(|t| (t.json.clone(), t)));
            let mut take = |slot: usize, t: Option<(String, Rows)>| {
                t.map_or_else(
                    || "[]".to_string(),
                    |(json, t)| {
                        files[slot] = Some(Located {
                            path: t.path,
                            sheet: t.sheet,
                            lines: t.lines,
                        });
                        json
                    },
                )
            };
            let c = take(0, c);
            let p = take(1, p);
            let a = take(2, a);
            (policy_arg, Value::from(year), c, p, a, files, rows)
        }
    };
    let policy = policy_arg.spec()?;
    let policy_spec = policy.to_string();
    head.insert("policy".into(), policy);
    head.insert("year".into(), year);
    if !args.set.is_empty() {
        head.insert(
            "overrides".into(),
            Value::Array(
                args.set
                    .iter()
                    .map(|(k, v)| serde_json::json!([k, v]))
                    .collect(),
            ),
        );
    }
    if let Some(d) = &args.as_of {
        head.insert("as_of".into(), Value::String(d.clone()));
    }
    if let Some(q) = args.quota {
        head.insert("quota".into(), q.code().into());
    }
    if let Some(r) = args.ratings {
        head.insert("ratings".into(), r.code().into());
    }
    if let Some(u) = args.unknown_posts {
        head.insert("unknown_posts".into(), u.code().into());
    }
    for (k, v) in &args.param {
        parameters.insert(k.clone(), Value::String(v.clone()));
    }
    if !parameters.is_empty() {
        head.insert("parameters".into(), Value::Object(parameters));
    }
    let request = splice(
        &head,
        &[
            ("communities", &communities),
            ("people", &people),
            ("adjustments", &adjustments),
        ],
    );
    Ok(Prepared {
        request,
        policy_spec,
        policy_file: match policy_arg {
            PolicyArg::File(p) => Some(p),
            PolicyArg::Builtin(_) => None,
        },
        communities,
        people,
        files,
        rows,
        notes,
    })
}

/// A JSON object of `head`'s fields and the tables, given as JSON text
/// (spliced in, not parsed again).
fn splice(head: &Map<String, Value>, tables: &[(&str, &str)]) -> String {
    let head = Value::Object(head.clone()).to_string();
    let extra: usize = tables.iter().map(|(k, t)| k.len() + t.len() + 4).sum();
    let mut out = String::with_capacity(head.len() + extra);
    out.push_str(head.trim_end_matches('}'));
    for (key, table) in tables {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&Value::String((*key).to_string()).to_string());
        out.push(':');
        out.push_str(table);
    }
    out.push('}');
    out
}

impl Prepared {
    /// A core error, pointed at the file (and line) it is about.
    pub fn locate(&self, body: shequ::ffi::ErrorBody) -> CliError {
        let slot = body.record.as_ref().and_then(|r| {
            let kind = serde_json::to_value(r.kind).ok()?;
            match kind.as_str()? {
                "community" => Some(0),
                "person" => Some(1),
                "adjustment" => Some(2),
                _ => None,
            }
        });
        let source = match slot {
            Some(slot) => self.files[slot].as_ref().map(|at| {
                let index = body.record.as_ref().and_then(|r| r.index);
                let line = index.and_then(|i| match at.lines.get(i) {
                    Some(&l) => usize::try_from(l).ok(),
                    None => formats::record_line(&at.path, i),
                });
                Source {
                    // A workbook's sheet, named as `city.xlsx[人员名单]`.
                    path: match &at.sheet {
                        Some(sheet) => PathBuf::from(format!("{}[{sheet}]", at.path.display())),
                        None => at.path.clone(),
                    },
                    line,
                }
            }),
            None if body.line.is_some() || body.key.is_some() => {
                self.policy_file.as_ref().map(|path| Source {
                    path: path.clone(),
                    line: None,
                })
            }
            None => None,
        };
        CliError::Core {
            body: Box::new(body),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_spliced_into_the_request() {
        let mut head = Map::new();
        head.insert("policy".into(), "jilin-2011-13".into());
        head.insert("year".into(), 2026.into());
        let r = splice(
            &head,
            &[
                ("communities", r#"[{"id":"C1","households":"2750"}]"#),
                ("people", "[]"),
            ],
        );
        let v: Value = serde_json::from_str(&r).unwrap_or_default();
        assert_eq!(v["communities"][0]["id"], "C1");
        assert_eq!(v["people"], serde_json::json!([]));
        assert_eq!(v["year"], 2026);
    }

    #[test]
    fn a_toml_path_is_a_file_and_an_id_is_builtin() {
        assert!(matches!(PolicyArg::parse("my.toml"), PolicyArg::File(_)));
        assert!(matches!(
            PolicyArg::parse("jilin-2011-13"),
            PolicyArg::Builtin(_)
        ));
    }
}
