//! Printouts for a terminal: the budget (totals by payer and rule, the
//! quota check, the communities and items owed most, warnings and what is
//! not paid), the compliance report, the built-in policies and a policy
//! file. Money has thousands separators; columns are padded by display
//! width (a CJK character takes two columns).

use super::{check_label, note_word, severity_word, Report, Words};
use crate::compliance::{ComplianceReport, Severity};
use crate::frame::NONE;
use crate::lang::{count, num, yuan, Lang, Script};
use crate::notes::Note;
use crate::policy::file::PolicyFile;
use crate::policy::Policy;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// Columns lined up by display width.
#[derive(Debug, Default)]
pub struct Columns {
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Columns {
    /// Columns right-aligned where `right` says so (numbers).
    pub fn new(right: &[bool]) -> Self {
        Columns {
            right: right.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Add a row.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The rows as lines, each indented by `indent`, two spaces between
    /// columns, no padding after the last one.
    ///
    /// ```
    /// use shequ::report::text::Columns;
    /// let mut t = Columns::new(&[false, true]);
    /// t.row(["北京路社区(C001)", "1,000.00"]);
    /// t.row(["C2", "5.00"]);
    /// assert_eq!(t.render(""), "北京路社区(C001)  1,000.00\nC2                    5.00\n");
    /// ```
    pub fn render(&self, indent: &str) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; columns];
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::from(indent);
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.width());
                let right = self.right.get(i).copied().unwrap_or(false);
                if i > 0 {
                    line.push_str("  ");
                }
                if right {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if i + 1 < row.len() {
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }
}

fn note_line(n: &Note, w: Words) -> String {
    match w.lang {
        Lang::Zh => format!("[{}] {}", note_word(n.code, w), n.zh),
        Lang::En => format!("[{}] {}", n.code, n.en),
    }
}

/// The budget printout (see the module docs); `top` communities, items and
/// notes are listed.
///
/// ```
/// use shequ::{report::{text, Report}, samples, Lang, Policy, QuotaMode};
/// let s = samples::jilin();
/// let b = Policy::builtin(s.policy)?.budget(&s.input, &s.options().quota(QuotaMode::Warn))?;
/// let out = text::budget(&Report::without_compliance(&b, Lang::Zh), 5);
/// assert!(out.contains("按出资方合计(元)"), "{out}");
/// assert!(!out.contains("work_funds"), "{out}");
/// # Ok::<(), shequ::Error>(())
/// ```
pub fn budget(report: &Report, top: usize) -> String {
    let w = report.words();
    let b = report.budget();
    let frame = b.input();
    let file = b.policy().file();
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.title());
    let _ = writeln!(out, "{}", report.subtitle());
    let _ = writeln!(
        out,
        "{}",
        w.sentence(
            format!(
                "社区 {} 个,人员 {} 名,预算项目 {} 项",
                count(b.totals.by_community.len()),
                count(frame.people.len()),
                count(b.items.len())
            ),
            format!(
                "{} communities, {} people, {} items",
                count(b.totals.by_community.len()),
                count(frame.people.len()),
                count(b.items.len())
            )
        )
    );
    if let Some(d) = &b.as_of {
        let _ = writeln!(
            out,
            "{}",
            w.sentence(
                format!("年内预算:按月计发的项目计至 {d}"),
                format!("year to date: monthly items up to {d}")
            )
        );
    }

    let _ = writeln!(
        out,
        "\n{}",
        w.w("按出资方合计(元)", "Totals by payer (yuan)")
    );
    let mut t = Columns::new(&[false, true]);
    for ((_, amount), (_, label)) in b.totals.by_payer.iter().zip(report.payers()) {
        t.row([label, yuan(*amount)]);
    }
    t.row([w.w("合计", "overall").into_owned(), yuan(b.totals.overall)]);
    out.push_str(&t.render("  "));

    let _ = writeln!(out, "\n{}", w.w("按项目合计(元)", "Totals by rule (yuan)"));
    let mut t = Columns::new(&[false, true, false]);
    for ((id, amount), (_, label)) in b.totals.by_rule.iter().zip(report.rules()) {
        let clause = file
            .rules
            .iter()
            .find(|r| r.id() == id)
            .map(|r| r.head().clause.to_string())
            .unwrap_or_default();
        t.row([label, yuan(*amount), clause]);
    }
    if b.totals.by_rule.is_empty() {
        t.row([w.w("(无:此政策不设经费项目)", "(none: the policy pays nothing)")]);
    }
    out.push_str(&t.render("  "));

    if let Some(q) = &b.quota {
        let from = match q.ratings_from.as_str() {
            "assigned" => w.w("按评分评定", "assigned from scores"),
            _ => w.w("评级为给定", "ratings as given"),
        };
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("评级限额检查({},{from})", q.clause),
                format!("Rating quota check ({}, {from})", q.clause)
            )
        );
        let mut t = Columns::new(&[false, true, false, false]);
        for c in &q.caps {
            let label = crate::lang::rating_name(file, &c.rating, w.lang).to_string();
            t.row([
                label,
                format!("{} / {}", c.count, c.cap),
                format!("{}% × {}", num(c.percent), q.communities),
                if c.within {
                    w.w("符合", "within").into_owned()
                } else {
                    w.w("超出限额", "over the cap").into_owned()
                },
            ]);
        }
        out.push_str(&t.render("  "));
    }

    // Communities owed most, with each payer's part.
    let payers = report.payers();
    let (by_payer, _) = report.community_parts();
    let mut order: Vec<usize> = (0..b.totals.by_community.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(b.totals.by_community[c]));
    let shown = order.len().min(top);
    if shown > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("金额最高的 {shown} 个社区(元)"),
                format!("The {shown} communities owed most (yuan)")
            )
        );
        let mut right = vec![false, true];
        right.extend(payers.iter().map(|_| true));
        right.push(true);
        let mut t = Columns::new(&right);
        let mut head = vec![
            w.w("社区", "community").into_owned(),
            w.w("户数", "households").into_owned(),
        ];
        head.extend(payers.iter().map(|(_, l)| l.clone()));
        head.push(w.w("合计", "total").into_owned());
        t.row(head);
        for &c in order.iter().take(top) {
            let mut row = vec![
                frame.communities.display(c),
                count(usize::try_from(frame.communities.households[c]).unwrap_or(0)),
            ];
            for fen in &by_payer[c] {
                row.push(yuan(crate::money::from_fen(*fen)));
            }
            row.push(yuan(b.totals.by_community[c]));
            t.row(row);
        }
        out.push_str(&t.render("  "));
    }

    // The largest items.
    let mut items: Vec<usize> = (0..b.items.len()).collect();
    items.sort_by_key(|&i| std::cmp::Reverse(b.items.amount[i]));
    let shown = items.len().min(top);
    if shown > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("金额最大的 {shown} 项(元)"),
                format!("The {shown} largest items (yuan)")
            )
        );
        let table = report.items();
        let mut t = Columns::new(&[false, false, false, false, true, true, false]);
        t.row([
            w.w("社区", "community"),
            w.w("人员", "person"),
            w.w("项目", "rule"),
            w.w("职务", "post"),
            w.w("月数", "months"),
            w.w("金额", "amount"),
            w.w("条款", "clause"),
        ]);
        let clause_col = table.headers.len() - 3;
        for i in items.into_iter().take(top) {
            let row = &table.rows[i];
            let c = b.items.community[i] as usize;
            let p = b.items.person[i];
            t.row([
                frame.communities.display(c),
                if p == NONE {
                    "—".to_string()
                } else {
                    frame.people.display(p as usize)
                },
                row[6].plain().into_owned(),
                match row[7].plain() {
                    s if s.is_empty() => "—".to_string(),
                    s => s.into_owned(),
                },
                row[9].plain().into_owned(),
                yuan(crate::money::from_fen(b.items.amount[i])),
                row[clause_col].plain().into_owned(),
            ]);
        }
        out.push_str(&t.render("  "));
    }

    let _ = writeln!(
        out,
        "\n{}",
        w.sentence(
            format!("警告 {} 条", count(b.warnings.len())),
            format!("{} warnings", count(b.warnings.len()))
        )
    );
    for n in b.warnings.iter().take(top) {
        let _ = writeln!(out, "  - {}", note_line(n, w));
    }
    let example = if b.exclusions.is_empty() || top == 0 {
        std::borrow::Cow::Borrowed("")
    } else {
        w.w(",例如:", ", for example:")
    };
    let _ = writeln!(
        out,
        "{}{example}",
        w.sentence(
            format!("未支付或少支付的说明 {} 条", count(b.exclusions.len())),
            format!("{} notes on what is not paid", count(b.exclusions.len()))
        )
    );
    let e = b.explainer();
    for x in b.exclusions.iter().take(top.min(5)) {
        let _ = writeln!(out, "  - {}", note_line(&e.note(x), w));
    }
    out
}

/// The compliance printout: counts, city-wide findings, then the first
/// findings per community.
pub fn compliance(report: &ComplianceReport, policy: &Policy, lang: Lang, top: usize) -> String {
    let file = policy.file();
    let w = Words {
        lang,
        script: Script::of(file),
    };
    let m = &file.policy;
    let mut out = String::new();
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "{}{}\n{}({}{})",
            m.city_zh,
            w.script.words(&format!(" {}年社区合规检查", report.year)),
            m.title_zh,
            m.document,
            w.script.words(&format!(",版本 {}", m.version))
        ),
        Lang::En => writeln!(
            out,
            "{} {} compliance report\n{} ({}, {} version {})",
            m.city_en, report.year, m.title_en, m.document, m.id, m.version
        ),
    };
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{}",
        w.sentence(
            format!(
                "检查社区 {} 个,其中 {} 个有问题;共 {} 条",
                count(s.communities),
                count(s.communities_with_findings),
                count(report.findings.len())
            ),
            format!(
                "{} of {} communities with findings; {} findings",
                count(s.communities_with_findings),
                count(s.communities),
                count(report.findings.len())
            )
        )
    );
    let severity = |name: &str| match name {
        "missing_data" => Severity::MissingData,
        "advice" => Severity::Advice,
        "over_limit" => Severity::OverLimit,
        _ => Severity::Shortfall,
    };
    if !s.by_severity.is_empty() {
        let _ = writeln!(out, "\n{}", w.w("按类别", "By severity"));
        let mut t = Columns::new(&[false, true]);
        for (sev, n) in &s.by_severity {
            t.row([severity_word(severity(sev), w).into_owned(), count(*n)]);
        }
        out.push_str(&t.render("  "));
    }
    let clause_of = |id: &str| -> String {
        report
            .findings
            .iter()
            .find(|f| f.check == id)
            .map(|f| f.clause.clone())
            .unwrap_or_default()
    };
    if !s.by_check.is_empty() {
        let _ = writeln!(out, "\n{}", w.w("按检查项", "By check"));
        let mut t = Columns::new(&[false, true, false]);
        for (check, n) in &s.by_check {
            t.row([check_label(file, check, lang), count(*n), clause_of(check)]);
        }
        out.push_str(&t.render("  "));
    }
    let text = |f: &crate::compliance::Finding| {
        format!(
            "[{} {}] {}",
            check_label(file, &f.check, lang),
            f.clause,
            lang.pick(&f.zh, &f.en)
        )
    };
    let city: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.community.is_none())
        .collect();
    if !city.is_empty() {
        let _ = writeln!(out, "\n{}", w.w("全市范围", "City-wide"));
        for f in city {
            let _ = writeln!(out, "  - {}", text(f));
        }
    }
    let local: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.community.is_some() && f.severity != Severity::MissingData)
        .collect();
    if !local.is_empty() {
        let shown = local.len().min(top);
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("各社区(前 {shown} 条,共 {} 条)", count(local.len())),
                format!("Per community (first {shown} of {})", count(local.len()))
            )
        );
        for f in local.into_iter().take(top) {
            let _ = writeln!(out, "  - {}", text(f));
        }
    }
    let missing = report
        .findings
        .iter()
        .filter(|f| f.community.is_some() && f.severity == Severity::MissingData)
        .count();
    if missing > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("另有 {} 条因缺少数据无法检查", count(missing)),
                format!(
                    "{} more could not be checked for missing data",
                    count(missing)
                )
            )
        );
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("警告 {} 条", count(report.warnings.len())),
                format!("{} warnings", count(report.warnings.len()))
            )
        );
        for n in report.warnings.iter().take(top) {
            let _ = writeln!(out, "  - {}", note_line(n, w));
        }
    }
    out
}

/// The built-in policies: id, document, city and title.
pub fn policies(lang: Lang) -> String {
    let mut t = Columns::new(&[false, false, false, false]);
    t.row([
        lang.pick("编号", "id"),
        lang.pick("文号", "document"),
        lang.pick("城市", "city"),
        lang.pick("标题", "title"),
    ]);
    for id in Policy::builtin_ids() {
        let Ok(p) = Policy::builtin(id) else {
            continue;
        };
        let m = &p.file().policy;
        t.row([
            m.id.as_str(),
            m.document.as_str(),
            lang.pick(&m.city_zh, &m.city_en),
            lang.pick(&m.title_zh, &m.title_en),
        ]);
    }
    t.render("")
}

/// A policy file that reads: its id, document, rules, checks and the
/// parameters to supply.
pub fn policy(file: &PolicyFile, origin: &str, lang: Lang) -> String {
    let w = Words {
        lang,
        script: Script::of(file),
    };
    let m = &file.policy;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        w.sentence(
            format!("{}:政策文件有效", w.keep(origin)),
            format!("{origin}: the policy file is valid")
        )
    );
    let mut t = Columns::new(&[false, false]);
    t.row([w.w("编号", "id").into_owned(), m.id.clone()]);
    t.row([w.w("版本", "version").into_owned(), m.version.clone()]);
    t.row([w.w("文号", "document").into_owned(), m.document.clone()]);
    t.row([
        w.w("城市", "city").into_owned(),
        lang.pick(&m.city_zh, &m.city_en).to_string(),
    ]);
    t.row([
        w.w("标题", "title").into_owned(),
        lang.pick(&m.title_zh, &m.title_en).to_string(),
    ]);
    out.push_str(&t.render("  "));
    let rules: Vec<[String; 3]> = file
        .rules
        .iter()
        .map(|r| {
            let h = r.head();
            [
                h.id.to_string(),
                lang.pick(h.zh, h.en).to_string(),
                h.clause.to_string(),
            ]
        })
        .collect();
    let checks: Vec<[String; 3]> = file
        .checks
        .iter()
        .map(|c| {
            let id = c.id();
            [id.to_string(), check_label(file, id, lang), String::new()]
        })
        .collect();
    let parameters: Vec<[String; 3]> = file
        .parameters
        .iter()
        .map(|p| {
            [
                p.id.clone(),
                lang.pick(&p.zh, &p.en).to_string(),
                p.clause.clone(),
            ]
        })
        .collect();
    for (head_zh, head_en, list) in [
        ("项目", "rules", rules),
        ("检查项", "checks", checks),
        ("需提供的参数", "parameters to supply", parameters),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            w.sentence(
                format!("{head_zh} {} 条", list.len()),
                format!("{} {head_en}", list.len())
            )
        );
        let mut t = Columns::new(&[false, false, false]);
        for r in list {
            t.row(r);
        }
        out.push_str(&t.render("  "));
    }
    out
}
