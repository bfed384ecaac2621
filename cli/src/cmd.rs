//! The commands: each builds a request, computes with the core and prints
//! or writes what the core writes (`shequ::report`).

#![allow(clippy::result_large_err)] // the core's error answer, made once per command

use crate::args::{BudgetArgs, CheckPolicyArgs, Cli, Command, ExplainArgs, InputArgs, ReportArgs};
use crate::error::{CliError, Source};
use crate::formats::{self, Format};
use crate::progress::{Progress, LARGE_INPUT_BYTES};
use crate::request::{self, Prepared};
use crate::text::Lang;
use shequ::ffi;
use shequ::report::{text, Report};
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
        Command::Policies => emit(&text::policies(lang.core())),
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

/// The budget of a prepared request, computed by the core.
fn compute(prepared: &Prepared) -> Result<shequ::Budget, CliError> {
    ffi::parse_request(&prepared.request)
        .and_then(|req| ffi::budget_of(&req))
        .map_err(|b| prepared.locate(b))
}

fn wrote(path: &Path, rows: Option<usize>, (zh, en): (&str, &str), lang: Lang) {
    let msg = match (lang, rows.map(shequ::lang::count)) {
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
    if let Some((path, Format::Json)) = output {
        // The answer of the JSON boundary, as it is.
        let answer = ffi::compute_json(&prepared.request).map_err(|b| prepared.locate(b))?;
        progress.stage("写出文件", "writing the file", lang);
        formats::write_file(path, answer.as_bytes())?;
        progress.finish();
        wrote(path, None, ("", ""), lang);
        return Ok(());
    }
    let b = compute(&prepared)?;
    progress.stage("整理结果", "preparing the report", lang);
    match output {
        None => {
            let out = text::budget(&Report::without_compliance(&b, lang.core()), a.top);
            progress.finish();
            emit(&out)
        }
        Some((path, Format::Xlsx)) => {
            let bytes = b
                .to_xlsx(lang.core())
                .map_err(|e| prepared.locate(e.into()))?;
            progress.stage("写出文件", "writing the file", lang);
            formats::write_file(path, &bytes)?;
            progress.finish();
            wrote(path, Some(b.items.len()), ("预算项目", "items"), lang);
            Ok(())
        }
        Some((path, format)) => {
            let table = Report::without_compliance(&b, lang.core()).items();
            progress.stage("写出文件", "writing the file", lang);
            formats::write_file(path, formats::delimited(&table, format).as_bytes())?;
            progress.finish();
            wrote(path, Some(b.items.len()), ("预算项目", "items"), lang);
            Ok(())
        }
    }
}

fn compliance(a: &ReportArgs, lang: Lang) -> Result<(), CliError> {
    let output = a
        .output
        .as_deref()
        .map(|o| Format::output(o).map(|f| (o, f)))
        .transpose()?;
    let (prepared, progress) = prepare(&a.input, lang)?;
    if let Some((path, Format::Json)) = output {
        let answer = ffi::compliance_json(&prepared.request).map_err(|b| prepared.locate(b))?;
        formats::write_file(path, answer.as_bytes())?;
        progress.finish();
        wrote(path, None, ("", ""), lang);
        return Ok(());
    }
    let locate = |b| prepared.locate(b);
    let req = ffi::parse_request(&prepared.request).map_err(locate)?;
    let policy = ffi::load_policy(&req.policy, &req.overrides).map_err(|e| locate(e.into()))?;
    let frame = ffi::read_frame(&req).map_err(|e| locate(e.into()))?;
    let options = ffi::options(&req).map_err(|e| locate(e.into()))?;
    let report = policy
        .compliance_of(&frame, &options)
        .map_err(|e| locate(e.into()))?;
    match output {
        None => {
            let out = text::compliance(&report, &policy, lang.core(), a.top);
            progress.finish();
            emit(&out)
        }
        Some((path, format)) => {
            let findings = report.findings.len();
            if format == Format::Xlsx {
                // The whole report, its budget with quota breaches as
                // warnings (the compliance report is about them).
                let budget = policy
                    .budget_of(
                        std::sync::Arc::new(frame),
                        &options.quota(shequ::QuotaMode::Warn),
                    )
                    .map_err(|e| locate(e.into()))?;
                let sheet = Report::with_compliance(&budget, report, lang.core());
                let bytes = shequ::report::xlsx::workbook(&sheet).map_err(|e| locate(e.into()))?;
                formats::write_file(path, &bytes)?;
            } else {
                let words = shequ::report::Words {
                    lang: lang.core(),
                    script: shequ::lang::Script::of(policy.file()),
                };
                let table = shequ::report::findings_table(&report, &policy, &frame, words, "");
                formats::write_file(path, formats::delimited(&table, format).as_bytes())?;
            }
            progress.finish();
            wrote(path, Some(findings), ("检查结果", "findings"), lang);
            Ok(())
        }
    }
}

/// The one position of `n` whose name is `wanted` (none when no name or
/// several are spelt so).
fn only_one_named<'a>(wanted: &str, n: usize, name: impl Fn(usize) -> &'a str) -> Option<usize> {
    let mut found = (0..n).filter(|&k| name(k) == wanted);
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

fn explain(a: &ExplainArgs, lang: Lang) -> Result<(), CliError> {
    let (prepared, progress) = prepare(&a.input, lang)?;
    let b = compute(&prepared)?;
    let frame = b.input();
    let story = match (&a.community, &a.person) {
        (Some(wanted), _) => {
            // A community may be named by its name when no id is spelt so.
            let wanted = wanted.trim();
            let position = frame.community_position(wanted).or_else(|| {
                only_one_named(wanted, frame.communities.len(), |c| {
                    frame.communities.name.get(c)
                })
            });
            let Some(c) = position else {
                return Err(CliError::Data {
                    code: "unknown_community",
                    path: prepared.files[0].as_ref().map(|f| f.path.clone()),
                    zh: format!("输入中没有社区 {wanted}(请用社区编号或名称)"),
                    en: format!("no community `{wanted}` in the input (give its id or name)"),
                });
            };
            b.explainer().community(c, lang.core())
        }
        (None, Some(wanted)) => {
            let wanted = wanted.trim();
            let position = frame.person_position(wanted).or_else(|| {
                only_one_named(wanted, frame.people.len(), |p| frame.people.name.get(p))
            });
            let Some(p) = position else {
                return Err(CliError::Data {
                    code: "unknown_person",
                    path: prepared.files[1].as_ref().map(|f| f.path.clone()),
                    zh: format!("输入中没有人员 {wanted}(请用人员编号或姓名)"),
                    en: format!("no person `{wanted}` in the input (give their id or name)"),
                });
            };
            b.explainer().person(p, lang.core())
        }
        (None, None) => {
            return Err(CliError::usage(
                "需要 --community 或 --person",
                "give --community or --person",
            ))
        }
    };
    progress.finish();
    let mut text = story.unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    emit(&text)
}

fn check_policy(a: &CheckPolicyArgs, lang: Lang) -> Result<(), CliError> {
    let path = &a.file;
    // A built-in id is checked too.
    let spec = request::PolicyArg::parse(&path.display().to_string()).spec()?;
    let spec: ffi::PolicySpec = serde_json::from_value(spec).map_err(|e| {
        CliError::usage(
            format!("无法读取政策:{e}"),
            format!("cannot read the policy: {e}"),
        )
    })?;
    let policy = ffi::load_policy(&spec, &[]).map_err(|e| {
        let body = ffi::ErrorBody::from(e);
        CliError::Core {
            source: (body.line.is_some() || body.key.is_some()).then(|| Source {
                path: path.clone(),
                line: None,
            }),
            body: Box::new(body),
        }
    })?;
    emit(&text::policy(
        policy.file(),
        &path.display().to_string(),
        lang.core(),
    ))
}
