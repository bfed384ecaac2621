//! Printouts for the terminal and the rows of the CSV reports, from the
//! core's answer JSON. In Chinese every word comes from the policy file
//! (`zh`) or from here; ids stay as they are, with names beside them.

use crate::answer::{Budget, Compliance, Labels, Meta, Names, PolicyFile};
use crate::formats::Sheet;
use crate::text::{count, money, Lang, Table};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

/// The words for where a value comes from, as the core's explanations say
/// them.
pub fn source_word(source: &str, lang: Lang) -> String {
    match (source, lang) {
        ("stated", Lang::Zh) => "文件明定",
        ("assumed", Lang::Zh) => "含推定取值",
        ("override", Lang::Zh) => "含假设调整",
        ("input", Lang::Zh) => "调用方提供",
        ("stated", Lang::En) => "stated",
        ("assumed", Lang::En) => "assumed",
        ("override", Lang::En) => "override",
        ("input", Lang::En) => "input",
        (other, _) => other,
    }
    .to_string()
}

/// The words for a finding's severity.
pub fn severity_word(severity: &str, lang: Lang) -> String {
    match (severity, lang) {
        ("missing_data", Lang::Zh) => "缺少数据",
        ("advice", Lang::Zh) => "建议",
        ("shortfall", Lang::Zh) => "不足",
        ("over_limit", Lang::Zh) => "超限",
        ("missing_data", Lang::En) => "missing data",
        ("over_limit", Lang::En) => "over limit",
        (other, _) => other,
    }
    .to_string()
}

fn title(meta: &Meta, year: i32, what_zh: &str, what_en: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{} {year}年{what_zh}\n{}({},版本 {})\n",
            meta.city_zh, meta.title_zh, meta.document, meta.version
        ),
        Lang::En => format!(
            "{} {year} {what_en}\n{} ({}, {} version {})\n",
            meta.city_en, meta.title_en, meta.document, meta.id, meta.version
        ),
    }
}

/// The budget printout: totals by payer and rule, the quota check, the
/// communities and items owed most, warnings and the "why not" notes.
pub fn budget(
    b: &Budget,
    policy: &PolicyFile,
    labels: &Labels,
    names: &Names,
    top: usize,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let mut out = title(
        &policy.policy,
        b.year,
        "社区经费预算",
        "community budget",
        lang,
    );
    let communities = b.totals.by_community.len();
    let _ = writeln!(
        out,
        "{}",
        if zh {
            format!(
                "社区 {} 个,人员 {} 名,预算项目 {} 项",
                count(communities),
                count(names.people_count),
                count(b.items.len())
            )
        } else {
            format!(
                "{} communities, {} people, {} items",
                count(communities),
                count(names.people_count),
                count(b.items.len())
            )
        }
    );
    if let Some(d) = &b.as_of {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!("年内预算:月度项目计至 {d}")
            } else {
                format!("year to date: monthly items up to {d}")
            }
        );
    }

    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("按出资方合计(元)", "Totals by payer (yuan)")
    );
    let mut t = Table::new(&[false, true]);
    for (payer, amount) in &b.totals.by_payer {
        t.row([labels.payer(payer, lang), money(amount)]);
    }
    t.row([
        lang.pick("合计", "overall").to_string(),
        money(&b.totals.overall),
    ]);
    out.push_str(&t.render("  "));

    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("按规则合计(元)", "Totals by rule (yuan)")
    );
    let mut t = Table::new(&[false, true, false]);
    for (rule, amount) in &b.totals.by_rule {
        t.row([
            labels.rule(rule, lang),
            money(amount),
            labels.clause(rule).to_string(),
        ]);
    }
    if b.totals.by_rule.is_empty() {
        t.row([lang.pick("(无:此政策不设经费项目)", "(none: the policy pays nothing)")]);
    }
    out.push_str(&t.render("  "));

    if let Some(q) = &b.quota {
        let from = match (q.ratings_from.as_str(), zh) {
            ("given", true) => "评级为给定".to_string(),
            ("assigned", true) => "按得分评定".to_string(),
            (other, true) => other.to_string(),
            (other, false) => format!("ratings {other}"),
        };
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("评级限额检查({},{from})", q.clause)
            } else {
                format!("Rating quota check ({}, {from})", q.clause)
            }
        );
        let mut t = Table::new(&[false, true, false, false]);
        for c in &q.caps {
            t.row([
                labels.rating(&c.rating, lang),
                format!("{} / {}", c.count, c.cap),
                format!("{}% × {}", c.percent, q.communities),
                match (c.within, zh) {
                    (true, true) => "符合",
                    (false, true) => "超出限额",
                    (true, false) => "within",
                    (false, false) => "OVER",
                }
                .to_string(),
            ]);
        }
        out.push_str(&t.render("  "));
    }

    // Communities owed most, with each payer's part.
    let payers: Vec<&str> = b.totals.by_payer.iter().map(|(p, _)| p.as_str()).collect();
    let mut by_payer: HashMap<&str, Vec<Decimal>> = HashMap::new();
    for item in &b.items {
        let row = by_payer
            .entry(item.community.as_str())
            .or_insert_with(|| vec![Decimal::ZERO; payers.len()]);
        for s in &item.shares {
            if let Some(i) = payers.iter().position(|p| *p == s.payer) {
                row[i] += dec(&s.amount);
            }
        }
    }
    let mut order: Vec<&(String, String)> = b.totals.by_community.iter().collect();
    order.sort_by_key(|(_, a)| std::cmp::Reverse(dec(a)));
    let shown = order.len().min(top);
    if shown > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("金额最高的 {shown} 个社区(元)")
            } else {
                format!("The {shown} communities owed most (yuan)")
            }
        );
        let mut right = vec![false, true];
        right.extend(payers.iter().map(|_| true));
        right.push(true);
        let mut t = Table::new(&right);
        let mut head = vec![
            lang.pick("社区", "community").to_string(),
            lang.pick("户数", "households").to_string(),
        ];
        head.extend(payers.iter().map(|p| labels.payer(p, lang)));
        head.push(lang.pick("合计", "total").to_string());
        t.row(head);
        for (id, amount) in order.iter().take(top) {
            let mut row = vec![
                names.community(id),
                names.households.get(id).cloned().unwrap_or_default(),
            ];
            let parts = by_payer.get(id.as_str());
            for i in 0..payers.len() {
                let v = parts.and_then(|p| p.get(i)).copied().unwrap_or_default();
                row.push(money(&format!("{v:.2}")));
            }
            row.push(money(amount));
            t.row(row);
        }
        out.push_str(&t.render("  "));
    }

    // The largest items.
    let mut items: Vec<usize> = (0..b.items.len()).collect();
    items.sort_by_key(|i| std::cmp::Reverse(dec(&b.items[*i].amount)));
    let shown = items.len().min(top);
    if shown > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("金额最大的 {shown} 项(元)")
            } else {
                format!("The {shown} largest items (yuan)")
            }
        );
        let mut t = Table::new(&[false, false, false, false, true, true, false]);
        t.row([
            lang.pick("社区", "community"),
            lang.pick("人员", "person"),
            lang.pick("项目", "rule"),
            lang.pick("岗位", "post"),
            lang.pick("月数", "months"),
            lang.pick("金额", "amount"),
            lang.pick("条款", "clause"),
        ]);
        for i in items.into_iter().take(top) {
            let it = &b.items[i];
            t.row([
                names.community(&it.community),
                it.person.as_deref().map_or("—".into(), |p| names.person(p)),
                labels.rule(&it.rule, lang),
                it.post
                    .as_deref()
                    .map_or("—".into(), |p| labels.post(p, lang)),
                it.months.map_or(String::new(), |m| m.to_string()),
                money(&it.amount),
                it.provenance.clause.clone(),
            ]);
        }
        out.push_str(&t.render("  "));
    }

    let _ = writeln!(
        out,
        "\n{}",
        if zh {
            format!("警告 {} 条", b.warnings.len())
        } else {
            format!("{} warnings", b.warnings.len())
        }
    );
    for n in b.warnings.iter().take(top) {
        let _ = writeln!(out, "  - {}", note(n, lang));
    }
    let example = if b.exclusions.is_empty() || top == 0 {
        ""
    } else {
        lang.pick(",例如:", ", for example:")
    };
    let _ = writeln!(
        out,
        "{}{example}",
        if zh {
            format!("未支付或少付的说明 {} 条", b.exclusions.len())
        } else {
            format!("{} notes on what is not paid", b.exclusions.len())
        }
    );
    for n in b.exclusions.iter().take(top.min(5)) {
        let _ = writeln!(out, "  - {}", note(n, lang));
    }
    out
}

fn note(n: &crate::answer::Note, lang: Lang) -> String {
    match lang {
        Lang::Zh => n.zh.clone(),
        Lang::En => format!("[{}] {}", n.code, n.en),
    }
}

/// The line items as a sheet: one row per item, one column per payer.
pub fn budget_sheet(b: &Budget, labels: &Labels, names: &Names, lang: Lang) -> Sheet {
    let payers: Vec<&str> = b.totals.by_payer.iter().map(|(p, _)| p.as_str()).collect();
    let mut headers: Vec<String> = match lang {
        Lang::Zh => [
            "社区编号",
            "社区名称",
            "人员编号",
            "姓名",
            "规则编号",
            "规则",
            "岗位",
            "月数",
            "金额",
        ],
        Lang::En => [
            "community",
            "community_name",
            "person",
            "person_name",
            "rule",
            "rule_name",
            "post",
            "months",
            "amount",
        ],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers.extend(payers.iter().map(|p| labels.payer(p, lang)));
    headers.push(lang.pick("条款", "clause").to_string());
    headers.push(lang.pick("依据", "source").to_string());
    let rows = b
        .items
        .iter()
        .map(|it| {
            let mut row = vec![
                it.community.clone(),
                names
                    .communities
                    .get(&it.community)
                    .cloned()
                    .unwrap_or_default(),
                it.person.clone().unwrap_or_default(),
                it.person
                    .as_ref()
                    .and_then(|p| names.people.get(p))
                    .cloned()
                    .unwrap_or_default(),
                it.rule.clone(),
                labels.rule(&it.rule, lang),
                it.post
                    .as_deref()
                    .map(|p| labels.post(p, lang))
                    .unwrap_or_default(),
                it.months.map(|m| m.to_string()).unwrap_or_default(),
                it.amount.clone(),
            ];
            for p in &payers {
                row.push(
                    it.shares
                        .iter()
                        .find(|s| s.payer == *p)
                        .map(|s| s.amount.clone())
                        .unwrap_or_default(),
                );
            }
            row.push(it.provenance.clause.clone());
            row.push(source_word(&it.provenance.source, lang));
            row
        })
        .collect();
    Sheet { headers, rows }
}

/// The compliance printout: counts, city-wide findings, then the first
/// findings per community.
pub fn compliance(
    c: &Compliance,
    policy: &PolicyFile,
    labels: &Labels,
    top: usize,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let mut out = title(
        &policy.policy,
        c.year,
        "社区合规检查",
        "compliance report",
        lang,
    );
    let s = &c.summary;
    let _ = writeln!(
        out,
        "{}",
        if zh {
            format!(
                "检查社区 {} 个,其中 {} 个有问题;共 {} 条",
                count(s.communities),
                count(s.communities_with_findings),
                count(c.findings.len())
            )
        } else {
            format!(
                "{} of {} communities with findings; {} findings",
                count(s.communities_with_findings),
                count(s.communities),
                count(c.findings.len())
            )
        }
    );
    if !s.by_severity.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("按严重程度", "By severity"));
        let mut t = Table::new(&[false, true]);
        for (sev, n) in &s.by_severity {
            t.row([severity_word(sev, lang), count(*n)]);
        }
        out.push_str(&t.render("  "));
    }
    if !s.by_check.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("按检查项", "By check"));
        let mut t = Table::new(&[false, true, false]);
        for (check, n) in &s.by_check {
            t.row([
                labels.rule(check, lang),
                count(*n),
                labels.clause(check).to_string(),
            ]);
        }
        out.push_str(&t.render("  "));
    }
    let text = |f: &crate::answer::Finding| {
        format!(
            "[{} {}] {}",
            labels.rule(&f.check, lang),
            f.clause,
            lang.pick(&f.zh, &f.en)
        )
    };
    let city: Vec<_> = c
        .findings
        .iter()
        .filter(|f| f.community.is_none())
        .collect();
    if !city.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("全市范围", "City-wide"));
        for f in city {
            let _ = writeln!(out, "  - {}", text(f));
        }
    }
    let local: Vec<_> = c
        .findings
        .iter()
        .filter(|f| f.community.is_some() && f.severity != "missing_data")
        .collect();
    if !local.is_empty() {
        let shown = local.len().min(top);
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("各社区(前 {shown} 条,共 {} 条)", count(local.len()))
            } else {
                format!("Per community (first {shown} of {})", count(local.len()))
            }
        );
        for f in local.into_iter().take(top) {
            let _ = writeln!(out, "  - {}", text(f));
        }
    }
    let missing = c
        .findings
        .iter()
        .filter(|f| f.community.is_some() && f.severity == "missing_data")
        .count();
    if missing > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("另有 {} 条因缺少数据无法检查", count(missing))
            } else {
                format!(
                    "{} more could not be checked for missing data",
                    count(missing)
                )
            }
        );
    }
    if !c.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("警告 {} 条", c.warnings.len())
            } else {
                format!("{} warnings", c.warnings.len())
            }
        );
        for n in c.warnings.iter().take(top) {
            let _ = writeln!(out, "  - {}", note(n, lang));
        }
    }
    out
}

/// The findings as a sheet.
pub fn compliance_sheet(c: &Compliance, labels: &Labels, names: &Names, lang: Lang) -> Sheet {
    let headers = match lang {
        Lang::Zh => [
            "社区编号",
            "社区名称",
            "检查项编号",
            "检查项",
            "严重程度",
            "要求",
            "实际",
            "差额",
            "条款",
            "依据",
            "说明",
        ],
        Lang::En => [
            "community",
            "community_name",
            "check",
            "check_name",
            "severity",
            "required",
            "actual",
            "shortfall",
            "clause",
            "source",
            "description",
        ],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = c
        .findings
        .iter()
        .map(|f| {
            let community = f.community.clone().unwrap_or_default();
            vec![
                community.clone(),
                names
                    .communities
                    .get(&community)
                    .cloned()
                    .unwrap_or_default(),
                f.check.clone(),
                labels.rule(&f.check, lang),
                severity_word(&f.severity, lang),
                f.required.clone(),
                f.actual.clone(),
                f.shortfall.clone().unwrap_or_default(),
                f.clause.clone(),
                source_word(&f.source, lang),
                lang.pick(&f.zh, &f.en).to_string(),
            ]
        })
        .collect();
    Sheet { headers, rows }
}

/// The built-in policies.
pub fn policies(list: &[Meta], lang: Lang) -> String {
    let mut t = Table::new(&[false, false, false, false]);
    t.row([
        lang.pick("编号", "id"),
        lang.pick("文号", "document"),
        lang.pick("城市", "city"),
        lang.pick("标题", "title"),
    ]);
    for m in list {
        t.row([
            m.id.as_str(),
            m.document.as_str(),
            lang.pick(&m.city_zh, &m.city_en),
            lang.pick(&m.title_zh, &m.title_en),
        ]);
    }
    t.render("")
}

/// A policy file that reads: its id, document and rules.
pub fn policy(file: &PolicyFile, origin: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let m = &file.policy;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        if zh {
            format!("{origin}:政策文件有效")
        } else {
            format!("{origin}: the policy file is valid")
        }
    );
    let mut t = Table::new(&[false, false]);
    t.row([lang.pick("编号", "id"), m.id.as_str()]);
    t.row([lang.pick("版本", "version"), m.version.as_str()]);
    t.row([lang.pick("文号", "document"), m.document.as_str()]);
    t.row([lang.pick("城市", "city"), lang.pick(&m.city_zh, &m.city_en)]);
    t.row([
        lang.pick("标题", "title"),
        lang.pick(&m.title_zh, &m.title_en),
    ]);
    out.push_str(&t.render("  "));
    for (head_zh, head_en, list) in [
        ("规则", "rules", &file.rules),
        ("检查项", "checks", &file.checks),
        ("需提供的参数", "parameters to supply", &file.parameters),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                format!("{head_zh} {} 条", list.len())
            } else {
                format!("{} {head_en}", list.len())
            }
        );
        let mut t = Table::new(&[false, false, false]);
        for r in list {
            t.row([
                r.id.clone(),
                lang.pick(&r.zh, &r.en).to_string(),
                r.clause.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&t.render("  "));
    }
    out
}
