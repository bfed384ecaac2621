//! A budget as people read it: the tables of the Excel report
//! ([`xlsx`], behind the `xlsx` feature), the same line items as CSV
//! ([`items_csv`]) and the printout for a terminal ([`text`]), all from a
//! [`Budget`] directly — one place for every front-end (the command line,
//! the service, Python and the browser give the same report).
//!
//! Every word is in the chosen language; in Chinese, shequ's own words are
//! in the policy's script ([`Script`]) and the policy's labels as it writes
//! them. Labels, never ids, stand where a reader looks; ids have columns of
//! their own. Names and ids from the input are never changed.

pub mod text;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use crate::budget::{Budget, ADJUSTMENT, NO_POST};
use crate::compliance::{ComplianceReport, Severity};
use crate::frame::NONE;
use crate::ids::Id;
use crate::lang::{column_zh, payer_name, post_name, rating_name, rule_name, Lang, Script};
use crate::money::{fmt_yuan, from_fen};
use crate::policy::values::Source;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// The words of a report: its language, and in Chinese the policy's
/// script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The language.
    pub lang: Lang,
    /// The script of the Chinese (shequ's own words are converted to it).
    pub script: Script,
}

impl Words {
    /// The words of a report of `budget` in `lang`.
    pub fn of(budget: &Budget, lang: Lang) -> Self {
        Words {
            lang,
            script: Script::of(budget.policy().file()),
        }
    }

    /// shequ's words: the Chinese (in the script) or the English.
    pub fn w<'a>(&self, zh: &'a str, en: &'a str) -> Cow<'a, str> {
        match self.lang {
            Lang::Zh => self.script.words(zh),
            Lang::En => Cow::Borrowed(en),
        }
    }

    /// A sentence of shequ's words with data in it: `zh` is written with
    /// data marked by [`Script::keep`] (see [`Words::keep`]).
    pub fn sentence(&self, zh: String, en: String) -> String {
        match self.lang {
            Lang::Zh => self.script.finish(zh),
            Lang::En => en,
        }
    }

    /// Data to put into a Chinese sentence as it is.
    pub fn keep<'a>(&self, data: &'a str) -> Cow<'a, str> {
        self.script.keep(data)
    }
}

/// One cell of a report table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// An id as the input has it (a whole number stays a number).
    Id(Id),
    /// A count or whole number.
    Int(i64),
    /// A number that is not money (a percentage, a measure).
    Number(Decimal),
    /// Money, in yuan, to the fen.
    Money(Decimal),
}

impl Cell {
    /// The cell as CSV writes it: money with two decimals, no separators.
    pub fn plain(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Id(id) => id.text(),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Number(d) => Cow::Owned(d.normalize().to_string()),
            Cell::Money(d) => Cow::Owned(fmt_yuan(*d)),
        }
    }

    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

/// What a column holds, for its width and format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An id or code: narrow, never wrapped.
    Id,
    /// A label or name.
    Label,
    /// A count.
    Count,
    /// Money (`#,##0.00`).
    Money,
    /// Long text (an explanation), wrapped.
    Long,
}

/// A table of a report: a title, column headings and kinds, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (`明细`).
    pub name: String,
    /// The title over the table.
    pub title: String,
    /// Column headings.
    pub headers: Vec<String>,
    /// What each column holds.
    pub kinds: Vec<Kind>,
    /// The rows, as long as the headings.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(name: Cow<str>, title: String, columns: Vec<(Cow<str>, Kind)>) -> Self {
        let (headers, kinds) = columns
            .into_iter()
            .map(|(h, k)| (h.into_owned(), k))
            .unzip();
        Table {
            name: name.into_owned(),
            title,
            headers,
            kinds,
            rows: Vec::new(),
        }
    }

    /// The table as CSV: UTF-8 with a byte-order mark (so that Excel reads
    /// Chinese), the headings, then the rows; money with two decimals.
    pub fn to_csv(&self) -> String {
        self.to_delimited(',')
    }

    /// The table as delimited text (CSV with `,`, TSV with a tab), as
    /// [`Table::to_csv`].
    pub fn to_delimited(&self, delimiter: char) -> String {
        let mut out = String::from("\u{feff}");
        let mut line = |cells: &mut dyn Iterator<Item = Cow<str>>| {
            let mut first = true;
            for c in cells {
                if !first {
                    out.push(delimiter);
                }
                first = false;
                if c.contains([delimiter, '"', '\n', '\r']) {
                    out.push('"');
                    out.push_str(&c.replace('"', "\"\""));
                    out.push('"');
                } else {
                    out.push_str(&c);
                }
            }
            out.push_str("\r\n");
        };
        line(&mut self.headers.iter().map(|h| Cow::Borrowed(h.as_str())));
        for row in &self.rows {
            line(&mut row.iter().map(Cell::plain));
        }
        out
    }
}

/// What a source of a value is called (`文件明定`, `stated`).
pub fn source_word(source: Source, words: Words) -> Cow<'static, str> {
    match source {
        Source::Stated => words.w("文件明定", "stated"),
        Source::Assumed => words.w("含推定取值", "assumed"),
        Source::Override => words.w("含假设调整", "what-if"),
        Source::Input => words.w("调用方提供", "supplied"),
    }
}

/// What a finding's severity is called.
pub fn severity_word(severity: Severity, words: Words) -> Cow<'static, str> {
    match severity {
        Severity::MissingData => words.w("缺少数据", "missing data"),
        Severity::Advice => words.w("建议", "advice"),
        Severity::Shortfall => words.w("不足", "shortfall"),
        Severity::OverLimit => words.w("超限", "over the limit"),
    }
}

/// What a "why not" note's code is called.
pub fn note_word(code: &str, words: Words) -> Cow<'static, str> {
    match code {
        "serving_not_eligible" => words.w("在职人员不享受", "serving: not eligible"),
        "lower_post_not_paid" => words.w("兼任职务高位取酬", "lower post not paid"),
        "no_month_held" => words.w("所计月份未在岗", "no month held"),
        "post_not_paid" => words.w("职务不在计发范围", "post not paid"),
        "nothing_owed" => words.w("本期无个人应发项目", "nothing owed in person"),
        "income_above_floor" => words.w("收入不低于最低标准", "income above the floor"),
        "rating_not_paid" => words.w("评级不在计发范围", "rating not paid"),
        "stars_not_paid" => words.w("星级不在计发范围", "star level not paid"),
        _ => words.w("其他", "other"),
    }
}

/// The months of an item's mask in words (`1–6、9–12月`, `Jan–Jun, Sep–Dec`);
/// empty for an annual amount.
///
/// ```
/// use shequ::{report::months_text, Lang};
/// assert_eq!(months_text(0b1111_0011_1111, Lang::Zh), "1–6、9–12月");
/// assert_eq!(months_text(0b1111_1111_1111, Lang::En), "Jan–Dec");
/// assert_eq!(months_text(0b100, Lang::Zh), "3月");
/// assert_eq!(months_text(0, Lang::Zh), "");
/// ```
pub fn months_text(mask: u16, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for m in 1..=12u32 {
        if mask & (1 << (m - 1)) == 0 {
            continue;
        }
        match runs.last_mut() {
            Some(r) if r.1 + 1 == m => r.1 = m,
            _ => runs.push((m, m)),
        }
    }
    if runs.is_empty() {
        return String::new();
    }
    match lang {
        Lang::Zh => {
            let parts: Vec<String> = runs
                .iter()
                .map(|&(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}–{b}")
                    }
                })
                .collect();
            format!("{}月", parts.join("、"))
        }
        Lang::En => {
            let name = |m: u32| EN.get(m as usize - 1).copied().unwrap_or("?");
            runs.iter()
                .map(|&(a, b)| {
                    if a == b {
                        name(a).to_string()
                    } else {
                        format!("{}–{}", name(a), name(b))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

/// The report's tables of a budget, with its compliance report when the
/// policy has checks: 汇总 (summary), 按社区 (by community), 明细 (items),
/// 合规 (compliance), 未支付说明 (not paid).
pub struct Report<'b> {
    budget: &'b Budget,
    compliance: Option<ComplianceReport>,
    words: Words,
}

impl<'b> Report<'b> {
    /// The report of `budget` in `lang`, with the compliance report of its
    /// policy and input.
    ///
    /// # Errors
    /// As [`crate::Policy::compliance_of`] (a check that needs a parameter
    /// the budget did not).
    pub fn new(budget: &'b Budget, lang: Lang) -> crate::Result<Self> {
        let compliance = budget
            .policy()
            .compliance_of(budget.input(), budget.options())?;
        Ok(Report {
            budget,
            compliance: Some(compliance),
            words: Words::of(budget, lang),
        })
    }

    /// The report of `budget` with this compliance report (of the same
    /// policy and input).
    pub fn with_compliance(budget: &'b Budget, compliance: ComplianceReport, lang: Lang) -> Self {
        Report {
            budget,
            compliance: Some(compliance),
            words: Words::of(budget, lang),
        }
    }

    /// The report of `budget` without a compliance sheet.
    pub fn without_compliance(budget: &'b Budget, lang: Lang) -> Self {
        Report {
            budget,
            compliance: None,
            words: Words::of(budget, lang),
        }
    }

    /// Its words.
    pub fn words(&self) -> Words {
        self.words
    }

    /// Its budget.
    pub fn budget(&self) -> &'b Budget {
        self.budget
    }

    /// Its compliance report.
    pub fn compliance(&self) -> Option<&ComplianceReport> {
        self.compliance.as_ref()
    }

    fn lang(&self) -> Lang {
        self.words.lang
    }

    /// The title of the report (`吉林市 2026年社区经费预算`).
    pub fn title(&self) -> String {
        let m = &self.budget.policy().file().policy;
        let y = self.budget.year;
        match self.lang() {
            Lang::Zh => format!(
                "{}{}",
                m.city_zh,
                self.words.script.words(&format!(" {y}年社区经费预算"))
            ),
            Lang::En => format!("{} {y} community budget", m.city_en),
        }
    }

    /// The document line under the title.
    pub fn subtitle(&self) -> String {
        let m = &self.budget.policy().file().policy;
        match self.lang() {
            Lang::Zh => format!(
                "{}({}{})",
                m.title_zh,
                m.document,
                self.words.script.words(&format!(",版本 {}", m.version))
            ),
            Lang::En => format!(
                "{} ({}, {} version {})",
                m.title_en, m.document, m.id, m.version
            ),
        }
    }

    fn community_name(&self, c: usize) -> String {
        self.budget.input().communities.name.get(c).to_string()
    }

    fn district(&self, c: usize) -> String {
        self.budget
            .input()
            .communities
            .district
            .get(c)
            .unwrap_or_default()
            .to_string()
    }

    fn rule_label(&self, id: &str) -> String {
        let file = self.budget.policy().file();
        if id == "adjustment" {
            return self.words.w("核定调整", "adjustment").into_owned();
        }
        rule_name(file, id, self.lang()).to_string()
    }

    fn payer_label(&self, id: &str) -> String {
        payer_name(self.budget.policy().file(), id, self.lang()).to_string()
    }

    /// The payers of the budget, with their labels, in order.
    pub fn payers(&self) -> Vec<(String, String)> {
        self.budget
            .totals
            .by_payer
            .iter()
            .map(|(p, _)| (p.clone(), self.payer_label(p)))
            .collect()
    }

    /// The rules with totals, with their labels, in order.
    pub fn rules(&self) -> Vec<(String, String)> {
        self.budget
            .totals
            .by_rule
            .iter()
            .map(|(r, _)| (r.clone(), self.rule_label(r)))
            .collect()
    }

    /// Totals by district (in order of first appearance; communities
    /// without one under `未填街道/区`): district, communities, amount.
    pub fn by_district(&self) -> Vec<(String, usize, Decimal)> {
        let mut out: Vec<(String, usize, Decimal)> = Vec::new();
        let none = self.words.w("(未填街道/区)", "(no district)").into_owned();
        for (c, amount) in self.budget.totals.by_community.iter().enumerate() {
            let d = self.district(c);
            let d = if d.is_empty() { none.clone() } else { d };
            match out.iter_mut().find(|(x, _, _)| *x == d) {
                Some(row) => {
                    row.1 += 1;
                    // Part of a total the budget already summed, checked.
                    row.2 = row.2.saturating_add(*amount);
                }
                None => out.push((d, 1, *amount)),
            }
        }
        out
    }

    /// Per community, per payer of [`Report::payers`] and per rule of
    /// [`Report::rules`], in fen.
    fn community_parts(&self) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
        let b = self.budget;
        let n = b.totals.by_community.len();
        let payers = b.totals.by_payer.len();
        let rules = b.totals.by_rule.len();
        let mut by_payer = vec![vec![0i64; payers]; n];
        let mut by_rule = vec![vec![0i64; rules]; n];
        let file = b.policy().file();
        let rule_column: Vec<Option<usize>> = file
            .rules
            .iter()
            .map(|r| b.totals.by_rule.iter().position(|(id, _)| id == r.id()))
            .collect();
        let adjustment = b
            .totals
            .by_rule
            .iter()
            .position(|(id, _)| id == "adjustment");
        for i in 0..b.items.len() {
            let c = b.items.community[i] as usize;
            let column = match b.items.rule[i] {
                ADJUSTMENT => adjustment,
                r => rule_column.get(r as usize).copied().flatten(),
            };
            if let (Some(row), Some(k)) = (by_rule.get_mut(c), column) {
                row[k] = row[k].saturating_add(b.items.amount[i]);
            }
            for (k, shares) in b.items.shares.iter().enumerate().take(payers) {
                if let Some(row) = by_payer.get_mut(c) {
                    row[k] = row[k].saturating_add(shares[i]);
                }
            }
        }
        (by_payer, by_rule)
    }

    /// 按社区: one row per community, a column per payer and per rule.
    pub fn by_community(&self) -> Table {
        let w = self.words;
        let b = self.budget;
        let frame = b.input();
        let mut columns = vec![
            (w.w("社区编号", "community id"), Kind::Id),
            (w.w("社区名称", "community name"), Kind::Label),
            (w.w("街道/区", "district"), Kind::Label),
            (w.w("户数", "households"), Kind::Count),
            (w.w("评级", "rating"), Kind::Label),
        ];
        let payers = self.payers();
        let rules = self.rules();
        for (_, label) in &payers {
            columns.push((Cow::Owned(label.clone()), Kind::Money));
        }
        for (_, label) in &rules {
            columns.push((Cow::Owned(label.clone()), Kind::Money));
        }
        columns.push((w.w("合计", "total"), Kind::Money));
        let mut t = Table::new(
            w.w("按社区", "By community"),
            format!("{} · {}", self.title(), w.w("按社区", "by community")),
            columns,
        );
        let (by_payer, by_rule) = self.community_parts();
        let file = b.policy().file();
        for (c, total) in b.totals.by_community.iter().enumerate() {
            let rating = b
                .ratings
                .rating
                .get(c)
                .and_then(|&k| file.ratings.get(k as usize))
                .map(|r| rating_name(file, &r.id, self.lang()).to_string())
                .unwrap_or_default();
            let mut row = vec![
                Cell::Id(frame.community_id(c)),
                Cell::text(self.community_name(c)),
                Cell::text(self.district(c)),
                Cell::Int(frame.communities.households.get(c).copied().unwrap_or(0)),
                Cell::text(rating),
            ];
            row.extend(by_payer[c].iter().map(|f| Cell::Money(from_fen(*f))));
            row.extend(by_rule[c].iter().map(|f| Cell::Money(from_fen(*f))));
            row.push(Cell::Money(*total));
            t.rows.push(row);
        }
        let mut total = vec![
            Cell::Empty,
            Cell::text(w.w("合计", "total")),
            Cell::Empty,
            Cell::Int(frame.communities.households.iter().sum()),
            Cell::Empty,
        ];
        total.extend(b.totals.by_payer.iter().map(|(_, a)| Cell::Money(*a)));
        total.extend(b.totals.by_rule.iter().map(|(_, a)| Cell::Money(*a)));
        total.push(Cell::Money(b.totals.overall));
        t.rows.push(total);
        t
    }

    /// 明细: every item, with community and person names, the post, months,
    /// amount, shares, clause, source and explanation.
    pub fn items(&self) -> Table {
        let w = self.words;
        let b = self.budget;
        let frame = b.input();
        let file = b.policy().file();
        let lang = self.lang();
        let mut columns = vec![
            (w.w("序号", "no."), Kind::Count),
            (w.w("社区编号", "community id"), Kind::Id),
            (w.w("社区名称", "community name"), Kind::Label),
            (w.w("人员编号", "person id"), Kind::Id),
            (w.w("姓名", "name"), Kind::Label),
            (w.w("项目编号", "rule id"), Kind::Id),
            (w.w("项目", "rule"), Kind::Label),
            (w.w("职务", "post"), Kind::Label),
            (w.w("月份", "months"), Kind::Label),
            (w.w("月数", "months counted"), Kind::Count),
            (w.w("金额(元)", "amount (yuan)"), Kind::Money),
        ];
        let payers = self.payers();
        for (_, label) in &payers {
            columns.push((Cow::Owned(label.clone()), Kind::Money));
        }
        columns.push((w.w("条款", "clause"), Kind::Label));
        columns.push((w.w("依据", "source"), Kind::Label));
        columns.push((w.w("说明", "explanation"), Kind::Long));
        let mut t = Table::new(
            w.w("明细", "Items"),
            format!("{} · {}", self.title(), w.w("明细", "items")),
            columns,
        );
        let e = b.explainer();
        let items = &b.items;
        for i in 0..items.len() {
            let c = items.community[i] as usize;
            let p = items.person[i];
            let rule_id = match items.rule[i] {
                ADJUSTMENT => "adjustment",
                r => file.rules.get(r as usize).map_or("", |r| r.id()),
            };
            let post = match items.post[i] {
                NO_POST => String::new(),
                k => file
                    .posts
                    .get(k as usize)
                    .map(|d| post_name(file, &d.id, lang).to_string())
                    .unwrap_or_default(),
            };
            let provenance = e.provenance(i);
            let mut row = vec![
                Cell::Int(i64::try_from(i + 1).unwrap_or(i64::MAX)),
                Cell::Id(frame.community_id(c)),
                Cell::text(self.community_name(c)),
                if p == NONE {
                    Cell::Empty
                } else {
                    Cell::Id(frame.person_id(p as usize))
                },
                if p == NONE {
                    Cell::Empty
                } else {
                    Cell::text(frame.people.name.get(p as usize))
                },
                Cell::text(rule_id),
                Cell::text(self.rule_label(rule_id)),
                Cell::text(post),
                Cell::text(months_text(items.months[i], lang)),
                match items.month_count(i) {
                    Some(n) => Cell::Int(i64::from(n)),
                    None => Cell::Empty,
                },
                Cell::Money(from_fen(items.amount[i])),
            ];
            for k in 0..payers.len() {
                let fen = items.shares.get(k).and_then(|s| s.get(i)).copied();
                row.push(Cell::Money(from_fen(fen.unwrap_or(0))));
            }
            row.push(Cell::text(
                provenance
                    .as_ref()
                    .map(|p| p.clause.clone())
                    .unwrap_or_default(),
            ));
            row.push(Cell::text(
                provenance
                    .as_ref()
                    .map(|p| source_word(p.source, w).into_owned())
                    .unwrap_or_default(),
            ));
            row.push(Cell::text(e.sentence(i, lang).unwrap_or_default()));
            t.rows.push(row);
        }
        t
    }

    /// 合规: the findings, numbers as numbers.
    pub fn compliance_table(&self) -> Option<Table> {
        let report = self.compliance.as_ref()?;
        Some(findings_table(
            report,
            self.budget.policy(),
            self.budget.input(),
            self.words,
            &self.title(),
        ))
    }

    /// 未支付说明: every "why not" note.
    pub fn not_paid(&self) -> Table {
        let w = self.words;
        let b = self.budget;
        let frame = b.input();
        let lang = self.lang();
        let mut t = Table::new(
            w.w("未支付说明", "Not paid"),
            format!(
                "{} · {}",
                self.title(),
                w.w("未支付或少支付的说明", "not paid, and why")
            ),
            vec![
                (w.w("代码", "code"), Kind::Id),
                (w.w("类别", "kind"), Kind::Label),
                (w.w("社区编号", "community id"), Kind::Id),
                (w.w("社区名称", "community name"), Kind::Label),
                (w.w("人员编号", "person id"), Kind::Id),
                (w.w("姓名", "name"), Kind::Label),
                (w.w("项目", "rule"), Kind::Label),
                (w.w("条款", "clause"), Kind::Label),
                (w.w("说明", "explanation"), Kind::Long),
            ],
        );
        let e = b.explainer();
        for x in &b.exclusions {
            let n = e.note(x);
            let c = x.community as usize;
            t.rows.push(vec![
                Cell::text(x.code),
                Cell::text(note_word(x.code, w)),
                Cell::Id(frame.community_id(c)),
                Cell::text(self.community_name(c)),
                if x.person == NONE {
                    Cell::Empty
                } else {
                    Cell::Id(frame.person_id(x.person as usize))
                },
                if x.person == NONE {
                    Cell::Empty
                } else {
                    Cell::text(frame.people.name.get(x.person as usize))
                },
                Cell::text(
                    n.rule
                        .as_deref()
                        .map(|r| self.rule_label(r))
                        .unwrap_or_default(),
                ),
                Cell::text(n.clause.clone().unwrap_or_default()),
                Cell::text(if lang == Lang::Zh { n.zh } else { n.en }),
            ]);
        }
        t
    }

    /// The column a field is shown under, in the report's language.
    pub fn column(&self, column: &str) -> String {
        match self.lang() {
            Lang::Zh => column_zh(column)
                .map(|z| self.words.script.words(z).into_owned())
                .unwrap_or_else(|| column.to_string()),
            Lang::En => column.to_string(),
        }
    }
}

/// 合规: the findings of a compliance report, numbers as numbers, under
/// the title `title`.
pub fn findings_table(
    report: &ComplianceReport,
    policy: &crate::Policy,
    frame: &crate::Frame,
    w: Words,
    title: &str,
) -> Table {
    let file = policy.file();
    let lang = w.lang;
    let mut t = Table::new(
        w.w("合规", "Compliance"),
        format!("{title} · {}", w.w("合规检查", "compliance")),
        vec![
            (w.w("社区编号", "community id"), Kind::Id),
            (w.w("社区名称", "community name"), Kind::Label),
            (w.w("检查项编号", "check id"), Kind::Id),
            (w.w("检查项", "check"), Kind::Label),
            (w.w("类别", "severity"), Kind::Label),
            (w.w("要求", "required"), Kind::Count),
            (w.w("实际", "actual"), Kind::Count),
            (w.w("差额", "shortfall"), Kind::Count),
            (w.w("条款", "clause"), Kind::Label),
            (w.w("依据", "source"), Kind::Label),
            (w.w("说明", "description"), Kind::Long),
        ],
    );
    let number = |s: &str| -> Cell {
        match s.trim().parse::<Decimal>() {
            Ok(d) if d.fract().is_zero() => i64::try_from(d).map_or(Cell::Number(d), Cell::Int),
            Ok(d) => Cell::Number(d),
            Err(_) => Cell::text(s),
        }
    };
    for f in &report.findings {
        let (id, name) = match &f.community {
            Some(id) => {
                let text = id.text();
                let name = frame
                    .community_position(&text)
                    .map(|c| frame.communities.name.get(c).to_string())
                    .unwrap_or_default();
                (Cell::Id(id.clone()), Cell::text(name))
            }
            None => (Cell::Empty, Cell::text(w.w("全市", "city-wide"))),
        };
        t.rows.push(vec![
            id,
            name,
            Cell::text(f.check.clone()),
            Cell::text(check_label(file, &f.check, lang)),
            Cell::text(severity_word(f.severity, w)),
            number(&f.required),
            number(&f.actual),
            f.shortfall
                .map_or(Cell::Empty, |d| number(&d.normalize().to_string())),
            Cell::text(f.clause.clone()),
            Cell::text(source_word(f.source, w)),
            Cell::text(lang.pick(&f.zh, &f.en).to_string()),
        ]);
    }
    t
}

/// A check's (or a rule's) label in `lang`; its id when the policy has no
/// such check.
pub fn check_label(file: &crate::policy::file::PolicyFile, id: &str, lang: Lang) -> String {
    use crate::policy::file::Check;
    for c in &file.checks {
        let (cid, zh, en) = match c {
            Check::CommunitySize(x) => (&x.id, &x.zh, &x.en),
            Check::MeasureRange(x) => (&x.id, &x.zh, &x.en),
            Check::MeasureRatio(x) => (&x.id, &x.zh, &x.en),
            Check::ShareTarget(x) => (&x.id, &x.zh, &x.en),
            Check::ParameterBound(x) => (&x.id, &x.zh, &x.en),
        };
        if cid == id {
            return lang.pick(zh, en).to_string();
        }
    }
    rule_name(file, id, lang).to_string()
}

/// The line items of `budget` as CSV (the 明细 sheet of the Excel report):
/// UTF-8 with a byte-order mark, money with two decimals.
///
/// ```
/// use shequ::{samples, Lang, Policy, QuotaMode};
/// let s = samples::jilin();
/// let b = Policy::builtin(s.policy)?.budget(&s.input, &s.options().quota(QuotaMode::Warn))?;
/// let csv = shequ::report::items_csv(&b, Lang::Zh);
/// assert!(csv.starts_with("\u{feff}序号,社区编号,社区名称,人员编号,姓名,项目编号,项目,职务"));
/// assert_eq!(csv.lines().count(), b.items.len() + 1);
/// # Ok::<(), shequ::Error>(())
/// ```
pub fn items_csv(budget: &Budget, lang: Lang) -> String {
    Report::without_compliance(budget, lang).items().to_csv()
}
