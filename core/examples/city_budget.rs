//! The main job: print the budget of a bundled sample city.
//!
//! ```text
//! cargo run --release --example city_budget                       # Jilin sample, Chinese
//! cargo run --release --example city_budget -- --sample jiayuguan --lang en
//! cargo run --release --example city_budget -- --policy harbin-2011-14   # the sample for that policy
//! cargo run --release --example city_budget -- --sample jilin --policy path/to/other.toml
//! ```

use shequ::money::fmt_yuan;
use shequ::{samples, Lang, Policy, QuotaMode};
use std::process::ExitCode;

struct Args {
    sample: Option<String>,
    policy: Option<String>,
    lang: Lang,
    top: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sample: None,
        policy: None,
        lang: Lang::Zh,
        top: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--sample" => args.sample = Some(value()?),
            "--policy" => args.policy = Some(value()?),
            "--lang" => args.lang = value()?.parse()?,
            "--top" => {
                args.top = value()?
                    .parse()
                    .map_err(|_| "--top needs a number".to_string())?
            }
            "-h" | "--help" => {
                return Err(format!(
                "usage: city_budget [--sample {}] [--policy ID|FILE.toml] [--lang zh|en] [--top N]",
                samples::IDS.join("|")
            ))
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok(args)
}

fn load_policy(spec: &str) -> Result<Policy, String> {
    if spec.ends_with(".toml") {
        let text = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: {e}"))?;
        Policy::from_toml(&text, spec).map_err(|e| e.to_string())
    } else {
        Policy::builtin(spec).map_err(|e| e.to_string())
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let sample = match (&args.sample, &args.policy) {
        (Some(id), _) => samples::by_id(id)
            .ok_or_else(|| format!("no sample `{id}`; samples: {}", samples::IDS.join(", ")))?,
        (None, Some(p)) if !p.ends_with(".toml") => samples::for_policy(p)
            .ok_or_else(|| format!("no bundled sample for policy `{p}`; give --sample"))?,
        _ => samples::jilin(),
    };
    let policy = load_policy(args.policy.as_deref().unwrap_or(sample.policy))?;
    let zh = args.lang == Lang::Zh;
    let options = sample.options().quota(QuotaMode::Warn);
    let budget = policy
        .budget(&sample.input, &options)
        .map_err(|e| e.to_string())?;
    let report = policy
        .compliance(&sample.input, &options)
        .map_err(|e| e.to_string())?;
    let meta = &policy.file().policy;
    let (title, city) = if zh {
        (&meta.title_zh, &meta.city_zh)
    } else {
        (&meta.title_en, &meta.city_en)
    };
    println!("{city} {} — {title}", budget.year);
    println!(
        "{} ({} {})",
        policy.document(),
        policy.id(),
        policy.version()
    );
    println!(
        "{}",
        if zh {
            format!(
                "社区 {} 个,人员 {} 名,预算项目 {} 项",
                sample.input.communities.len(),
                sample.input.people.len(),
                budget.items.len()
            )
        } else {
            format!(
                "{} communities, {} people, {} items",
                sample.input.communities.len(),
                sample.input.people.len(),
                budget.items.len()
            )
        }
    );
    println!();
    println!(
        "{}",
        if zh {
            "按出资方合计"
        } else {
            "Totals by payer"
        }
    );
    for (payer, amount) in &budget.totals.by_payer {
        let name = policy
            .payer(payer)
            .map(|p| if zh { p.zh.clone() } else { p.en.clone() })
            .unwrap_or(payer.clone());
        println!("  {name:<16} {:>16}", fmt_yuan(*amount));
    }
    println!(
        "  {:<16} {:>16}",
        if zh { "合计" } else { "overall" },
        fmt_yuan(budget.totals.overall)
    );
    println!();
    println!(
        "{}",
        if zh {
            "按规则合计"
        } else {
            "Totals by rule"
        }
    );
    for (rule, amount) in &budget.totals.by_rule {
        let r = policy.rule(rule);
        let name = r
            .map(|r| if zh { r.head().zh } else { r.head().en })
            .unwrap_or(rule);
        let clause = r.map(|r| r.head().clause).unwrap_or("");
        println!("  {name:<28} {:>16}  {clause}", fmt_yuan(*amount));
    }
    if let Some(q) = &budget.quota {
        println!();
        println!(
            "{} ({}, {})",
            if zh {
                "评级限额检查"
            } else {
                "Rating quota check"
            },
            q.clause,
            q.ratings_from
        );
        for c in &q.caps {
            let mark = if c.within { "ok" } else { "OVER" };
            println!(
                "  {:<10} {:>3} / {:>3} ({}% × {})  {mark}",
                c.rating, c.count, c.cap, c.percent, q.communities
            );
        }
    }
    println!();
    println!(
        "{}",
        if zh {
            format!("最大的 {} 项", args.top)
        } else {
            format!("The {} largest items", args.top)
        }
    );
    let mut order: Vec<usize> = (0..budget.items.len()).collect();
    order.sort_by(|a, b| budget.items.amount[*b].cmp(&budget.items.amount[*a]));
    for i in order.into_iter().take(args.top) {
        println!(
            "  {}",
            budget.explain_item(i, args.lang).unwrap_or_default()
        );
    }
    println!();
    println!(
        "{}",
        if zh {
            format!(
                "警告 {} 条;未支付说明 {} 条,例如:",
                budget.warnings.len(),
                budget.exclusions.len()
            )
        } else {
            format!(
                "{} warnings; {} notes on what is not paid, for example:",
                budget.warnings.len(),
                budget.exclusions.len()
            )
        }
    );
    let notes = budget.exclusion_notes();
    for n in budget.warnings.iter().take(3).chain(notes.iter().take(4)) {
        println!("  [{}] {}", n.code, if zh { &n.zh } else { &n.en });
    }
    println!();
    println!(
        "{}",
        if zh {
            format!(
                "合规检查:{} 个社区中 {} 个有问题,共 {} 条",
                report.summary.communities,
                report.summary.communities_with_findings,
                report.findings.len()
            )
        } else {
            format!(
                "Compliance: {} of {} communities with findings, {} findings",
                report.summary.communities_with_findings,
                report.summary.communities,
                report.findings.len()
            )
        }
    );
    for (severity, n) in &report.summary.by_severity {
        println!("  {severity:<14} {n:>5}");
    }
    let city_wide = report.findings.iter().filter(|f| f.community.is_none());
    let per_community = report.findings.iter().filter(|f| {
        f.community.is_some() && f.severity != shequ::compliance::Severity::MissingData
    });
    for f in city_wide.chain(per_community).take(args.top) {
        println!(
            "  [{} {}] {}",
            f.check,
            f.clause,
            if zh { &f.zh } else { &f.en }
        );
    }
    if let Some(first) = sample.input.communities.first() {
        println!();
        println!(
            "{}",
            budget.explain(&first.id, args.lang).unwrap_or_default()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("city_budget: {e}");
            ExitCode::FAILURE
        }
    }
}
