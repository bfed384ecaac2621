//! The commands: each builds a request, calls the core's JSON boundary
//! (`shequ::ffi`) and prints or writes the answer.

use crate::answer::{self, Labels, Names, PolicyFile};
use crate::args::{BudgetArgs, CheckPolicyArgs, Cli, Command, ExplainArgs, InputArgs, ReportArgs};
use crate::error::{CliError, Source};
use crate::formats::{self, Format};
use crate::print;
use crate::progress::{Progress, LARGE_INPUT_BYTES};
use crate::request::{self, Prepared};
use crate::text::Lang;
use std::io::Write as _;
use std::path::Path;

/// Run a parsed command line.
///
/// # Errors
/// What went wrong, with its exit code ([`CliError::exit_code`]).
pub fn run(cli: &Cli) -> Result<(), CliError> {
    let lang = cli.lang;
    match &cli.command {
        Command::Budget(a) => budget(a, lang),
        Command::Compliance(a) => compliance(a, lang),
        Command::Explain(a) => explain(a, lang),
        Command::CheckPolicy(a) => check_policy(a, lang),
        Command::Policies => policies(lang),
        Command::Serve(a) => crate::serve::run_from_args(a, lang),
    }
}

/// Print to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(CliError::Io {
            path: "<stdout>".into(),
            reading: false,
            error,
        }),
    }
}

/// Read the inputs with a spinner when they are large.
fn prepare(input: &InputArgs, lang: Lang) -> Result<(Prepared, Progress), CliError> {
    let bytes: u64 = input
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut progress = Progress::when(bytes > LARGE_INPUT_BYTES);
    progress.stage("读取输入", "reading the input", lang);
    let prepared = request::prepare(input)?;
    // What the reader of the files did (headers read, rows skipped).
    for (zh, en) in &prepared.notes {
        eprintln!("{}", lang.pick(zh, en));
    }
    progress.upgrade(prepared.rows);
    progress.computing(prepared.rows, lang);
    Ok((prepared, progress))
}

/// The policy's words (payers, posts, rules) for the printouts.
fn policy_file(prepared: &Prepared) -> Result<PolicyFile, CliError> {
    let json = shequ::ffi::policy_json(&prepared.policy_spec).map_err(|b| prepared.locate(b))?;
    serde_json::from_str(&json).map_err(|e| internal_json("policy", &e))
}

/// The core answered JSON we cannot read: a bug, said plainly.
fn internal_json(what: &str, e: &serde_json::Error) -> CliError {
    CliError::core(shequ::ffi::ErrorBody {
        code: "internal".into(),
        message: format!("the core's {what} answer could not be read: {e}"),
        record: None,
        field: None,
        line: None,
        key: None,
    })
}

fn wrote(path: &Path, rows: Option<usize>, (zh, en): (&str, &str), lang: Lang) {
    let msg = match (lang, rows.map(crate::text::count)) {
        (Lang::Zh, Some(n)) => format!("已写出 {}({zh} {n} 条)", path.display()),
        (Lang::En, Some(n)) => format!("wrote {} ({n} {en})", path.display()),
        (Lang::Zh, None) => format!("已写出 {}", path.display()),
        (Lang::En, None) => format!("wrote {}", path.display()),
    };
    eprintln!("{msg}");
}

fn budget(a: &BudgetArgs, lang: Lang) -> Result<(), CliError> {
    let output = a
        .output
        .as_deref()
        .map(|o| Format::output(o).map(|f| (o, f)))
        .transpose()?;
    let (prepared, progress) = prepare(&a.input, lang)?;
    let answer = shequ::ffi::compute_json(&prepared.request).map_err(|b| prepared.locate(b))?;
    if let Some((path, Format::Json)) = output {
        // The answer as it is: nothing to read back.
        progress.stage("写出文件", "writing the file", lang);
        formats::write_report(path, &answer, formats::Sheet::default)?;
        progress.finish();
        wrote(path, None, ("", ""), lang);
        return Ok(());
    }
    progress.stage("整理结果", "preparing the report", lang);
    let policy = policy_file(&prepared)?;
    let labels = Labels::of(&policy);
    let names = Names::of(&prepared.communities, &prepared.people);
    let b = serde_json::from_str::<answer::BudgetAnswer>(&answer)
        .map(|a| a.budget)
        .map_err(|e| internal_json("budget", &e))?;
    match output {
        None => {
            let text = print::budget(&b, &policy, &labels, &names, a.top, lang);
            progress.finish();
            emit(&text)
        }
        Some((path, _)) => {
            progress.stage("写出文件", "writing the file", lang);
            formats::write_report(path, &answer, || {
                print::budget_sheet(&b, &labels, &names, lang)
            })?;
            progress.finish();
            wrote(path, Some(b.items.len()), ("预算项目", "items"), lang);
            Ok(())
        }
    }
}

fn compliance(a: &ReportArgs, lang: Lang) -> Result<(), CliError> {
    if let Some(o) = &a.output {
        Format::output(o)?;
    }
    let (prepared, progress) = prepare(&a.input, lang)?;
    let answer = shequ::ffi::compliance_json(&prepared.request).map_err(|b| prepared.locate(b))?;
    let policy = policy_file(&prepared)?;
    let labels = Labels::of(&policy);
    let names = Names::of(&prepared.communities, &prepared.people);
    let report: answer::Compliance =
        serde_json::from_str(&answer).map_err(|e| internal_json("compliance", &e))?;
    match &a.output {
        None => {
            let text = print::compliance(&report, &policy, &labels, a.top, lang);
            progress.finish();
            emit(&text)
        }
        Some(path) => {
            formats::write_report(path, &answer, || {
                print::compliance_sheet(&report, &labels, &names, lang)
            })?;
            progress.finish();
            wrote(
                path,
                Some(report.findings.len()),
                ("检查结果", "findings"),
                lang,
            );
            Ok(())
        }
    }
}

fn explain(a: &ExplainArgs, lang: Lang) -> Result<(), CliError> {
    let (prepared, progress) = prepare(&a.input, lang)?;
    let names = Names::of(&prepared.communities, &prepared.people);
    // A community may be named by its name when no id is spelt so.
    let wanted = a.community.trim();
    let id = if names.has_community(wanted) {
        wanted.to_string()
    } else {
        let by_name: Vec<&String> = names
            .communities
            .iter()
            .filter(|(_, n)| n.as_str() == wanted)
            .map(|(id, _)| id)
            .collect();
        match by_name.as_slice() {
            [one] => (*one).clone(),
            _ => wanted.to_string(),
        }
    };
    if !names.has_community(&id) {
        return Err(CliError::Data {
            code: "unknown_community",
            path: prepared.files[0].as_ref().map(|f| f.path.clone()),
            zh: format!("输入中没有社区 {id}(请用社区编号或名称)"),
            en: format!("no community `{id}` in the input (give its id or name)"),
        });
    }
    let story = shequ::ffi::explain_json(&prepared.request, &id, lang.code())
        .map_err(|b| prepared.locate(b))?;
    progress.finish();
    let mut text = names.name_people(&story);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    emit(&text)
}

fn check_policy(a: &CheckPolicyArgs, lang: Lang) -> Result<(), CliError> {
    let path = &a.file;
    // A built-in id is checked too.
    let spec = request::PolicyArg::parse(&path.display().to_string()).spec()?;
    let json = shequ::ffi::policy_json(&spec.to_string()).map_err(|body| CliError::Core {
        source: (body.line.is_some() || body.key.is_some()).then(|| Source {
            path: path.clone(),
            line: None,
        }),
        body: Box::new(body),
    })?;
    let file: PolicyFile = serde_json::from_str(&json).map_err(|e| internal_json("policy", &e))?;
    emit(&print::policy(&file, &path.display().to_string(), lang))
}

fn policies(lang: Lang) -> Result<(), CliError> {
    let list: Vec<answer::Meta> = serde_json::from_str(&shequ::ffi::policies_json())
        .map_err(|e| internal_json("policies", &e))?;
    emit(&print::policies(&list, lang))
}
