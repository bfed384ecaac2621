//! The main job of the core alone: print the budget of a bundled sample
//! city, as the `shequ` command line prints it (the printout is the core's,
//! `shequ::report::text`), and optionally write its Excel report.
//!
//! ```text
//! cargo run --release --example city_budget                       # Jilin sample, Chinese
//! cargo run --release --example city_budget -- --sample jiayuguan --lang en
//! cargo run --release --example city_budget -- --policy harbin-2011-14   # the sample for that policy
//! cargo run --release --example city_budget -- --sample jilin --xlsx 预算.xlsx
//! ```
//!
//! The command line does the same and more on your own files:
//! `cargo run --release -- budget --sample jilin`.

use shequ::report::{text, Report};
use shequ::{samples, Lang, Policy, QuotaMode};
use std::process::ExitCode;

struct Args {
    sample: Option<String>,
    policy: Option<String>,
    lang: Lang,
    top: usize,
    xlsx: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sample: None,
        policy: None,
        lang: Lang::Zh,
        top: 10,
        xlsx: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--sample" => args.sample = Some(value()?),
            "--policy" => args.policy = Some(value()?),
            "--lang" => args.lang = value()?.parse()?,
            "--xlsx" => args.xlsx = Some(value()?),
            "--top" => {
                args.top = value()?
                    .parse()
                    .map_err(|_| "--top needs a number".to_string())?
            }
            "-h" | "--help" => {
                return Err(format!(
                "usage: city_budget [--sample {}] [--policy ID|FILE.toml] [--lang zh|en] [--top N] [--xlsx FILE]",
                samples::IDS.join("|")
            ))
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok(args)
}

fn load_policy(spec: &str) -> Result<Policy, shequ::Error> {
    if spec.ends_with(".toml") {
        let text = std::fs::read_to_string(spec).map_err(|e| shequ::Error::BadRequest {
            message: format!("`{spec}`: {e}"),
        })?;
        Policy::from_toml(&text, spec)
    } else {
        Policy::builtin(spec)
    }
}

fn run(args: &Args) -> Result<(), shequ::Error> {
    let no_sample = |what: String| shequ::Error::BadRequest { message: what };
    let sample = match (&args.sample, &args.policy) {
        (Some(id), _) => samples::by_id(id).ok_or_else(|| {
            no_sample(format!(
                "no sample `{id}`; samples: {}",
                samples::IDS.join(", ")
            ))
        })?,
        (None, Some(p)) if !p.ends_with(".toml") => samples::for_policy(p).ok_or_else(|| {
            no_sample(format!(
                "no bundled sample for policy `{p}`; give --sample (the command line reads your own files: shequ budget --policy {p} …)"
            ))
        })?,
        _ => samples::jilin(),
    };
    let policy = load_policy(args.policy.as_deref().unwrap_or(sample.policy))?;
    let options = sample.options().quota(QuotaMode::Warn);
    let budget = policy.budget(&sample.input, &options)?;
    let report = Report::new(&budget, args.lang)?;
    print!("{}", text::budget(&report, args.top));
    if let Some(c) = report.compliance() {
        println!();
        print!("{}", text::compliance(c, &policy, args.lang, args.top));
    }
    if let Some(first) = sample.input.communities.first() {
        println!();
        println!(
            "{}",
            budget.explain(&first.id, args.lang).unwrap_or_default()
        );
    }
    if let Some(path) = &args.xlsx {
        let bytes = shequ::report::xlsx::workbook(&report)?;
        std::fs::write(path, bytes).map_err(|e| shequ::Error::BadRequest {
            message: format!("`{path}`: {e}"),
        })?;
        eprintln!("{path}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("city_budget: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match args.lang {
                Lang::Zh => eprintln!("city_budget: 错误[{}]:{}", e.code(), e.zh()),
                Lang::En => eprintln!("city_budget: error[{}]: {e}", e.code()),
            }
            ExitCode::FAILURE
        }
    }
}
