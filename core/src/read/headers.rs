//! Column headers as people write them: each column of each input table has
//! its own name (`households`) and a list of Chinese and English labels
//! (`户数`, `户籍户数`, `实有户数`, `Households`), every label the web form
//! shows among them; a policy file may add its own (`[headers.people]` in
//! its TOML, see [`crate::policy::file::HeaderLabels`]).
//!
//! A header matches a column when the two are the same once both are
//! written plainly ([`plain`]: full-width letters and digits as ASCII,
//! ASCII case, spaces, `_`, `-`, `*` and a final `:` ignored), or when the
//! header with a unit in brackets at its end is (`年收入(元)`, `户数（户）`).
//!
//! The mapping is applied to a table where it is read ([`super::frame_with`],
//! [`Headers::resolve`]), so JSON rows, Python dicts and Arrow tables with
//! Chinese headers read as spreadsheets do. Every header seen is reported:
//! the column it stands for, or that it was ignored and the column it most
//! likely stands for.

use super::tables::TableKind;
use crate::suggest::edits;
use serde::Serialize;

/// Built-in labels of each column, per table: the most specific first (when
/// two headers of one table stand for one column, the one earlier here is
/// read and the other ignored, with a note).
const COMMUNITY_LABELS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "社区编号",
            "社区代码",
            "社区编码",
            "编号",
            "代码",
            "编码",
            "社区ID",
            "community id",
            "community_id",
            "code",
        ],
    ),
    (
        "name",
        &[
            "社区名称",
            "社区名",
            "名称",
            "社区",
            "community name",
            "community",
        ],
    ),
    (
        "district",
        &[
            "街道/区",
            "所属街道",
            "街道",
            "街道办事处",
            "所属区县",
            "区县",
            "辖区",
            "区",
        ],
    ),
    (
        "households",
        &[
            "户数",
            "户籍户数",
            "实有户数",
            "居民户数",
            "常住户数",
            "总户数",
            "社区户数",
            "number of households",
            "household count",
        ],
    ),
    (
        "rating",
        &[
            "评级",
            "评定等级",
            "考核等级",
            "等级",
            "考核结果",
            "评定结果",
            "grade",
        ],
    ),
    ("score", &["评分", "考核得分", "得分", "考核分数", "分数"]),
    ("stars", &["星级", "星级评定", "star rating", "star"]),
    ("grids", &["网格数", "网格数量", "网格", "grid count"]),
    (
        "office_area",
        &[
            "办公用房",
            "办公用房面积",
            "办公面积",
            "office m²",
            "office area",
        ],
    ),
    (
        "resident_facing_area",
        &[
            "服务用房",
            "服务用房面积",
            "居民服务用房",
            "面向居民服务面积",
            "service rooms m²",
            "resident facing area",
        ],
    ),
    (
        "service_centre_area",
        &[
            "服务中心",
            "服务中心面积",
            "service centre m²",
            "service center area",
            "service centre",
        ],
    ),
    ("flags", &["标记", "标志", "tags"]),
];

const PEOPLE_LABELS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "人员编号",
            "编号",
            "工号",
            "职工编号",
            "人员ID",
            "person id",
            "person_id",
            "staff id",
        ],
    ),
    (
        "community",
        &[
            "社区编号",
            "社区代码",
            "社区编码",
            "所在社区",
            "所属社区",
            "社区",
            "community id",
            "community_id",
        ],
    ),
    ("name", &["姓名", "人员姓名", "名字", "名称", "full name"]),
    ("serving", &["在职", "是否在职", "在职状态", "是否在职在编"]),
    (
        "post",
        &[
            "职务",
            "岗位",
            "职位",
            "担任职务",
            "现任职务",
            "position",
            "role",
        ],
    ),
    (
        "start",
        &[
            "任职起",
            "任职日期",
            "起始日期",
            "任职时间",
            "任职开始日期",
            "任职起始日期",
            "开始日期",
            "上岗时间",
            "到岗日期",
            "start date",
        ],
    ),
    (
        "end",
        &[
            "任职止",
            "离任日期",
            "任职结束日期",
            "任职截止日期",
            "截止日期",
            "结束日期",
            "end date",
        ],
    ),
    ("income", &["年收入", "年度收入", "收入", "annual income"]),
];

const ADJUSTMENT_LABELS: &[(&str, &[&str])] = &[
    (
        "community",
        &[
            "社区编号",
            "社区代码",
            "社区编码",
            "社区",
            "community id",
            "community_id",
        ],
    ),
    ("rule", &["项目", "规则", "经费项目", "item"]),
    ("amount", &["金额", "调整金额", "amount (yuan)"]),
    ("reason", &["理由", "原因", "调整理由", "说明"]),
];

/// The built-in labels of `table`'s columns: `(column, labels)`, in the
/// table's column order.
///
/// ```
/// use shequ::read::{headers, TableKind};
/// let labels = headers::builtin_labels(TableKind::Communities);
/// assert!(labels.iter().any(|(c, l)| *c == "households" && l.contains(&"户数")));
/// ```
pub fn builtin_labels(table: TableKind) -> &'static [(&'static str, &'static [&'static str])] {
    match table {
        TableKind::Communities => COMMUNITY_LABELS,
        TableKind::People => PEOPLE_LABELS,
        TableKind::Posts => &PEOPLE_LABELS[4..7],
        TableKind::Adjustments => ADJUSTMENT_LABELS,
    }
}

/// Text written plainly for comparing headers: full-width ASCII as ASCII
/// (`ＩＤ` → `id`), the ideographic space and every other space dropped, as
/// are `_`, `-`, `*` and a final `:`; ASCII letters in lower case. Two
/// headers that are the same written plainly are the same header.
///
/// ```
/// use shequ::read::headers::plain;
/// assert_eq!(plain(" Start_Date "), "startdate");
/// assert_eq!(plain("户　数*"), "户数");
/// assert_eq!(plain("年收入（元）"), "年收入(元)");
/// ```
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = half_width(c);
        if c.is_whitespace() || matches!(c, '_' | '-' | '*' | '\u{feff}') {
            continue;
        }
        out.push(c.to_ascii_lowercase());
    }
    while out.ends_with(':') {
        out.pop();
    }
    out
}

/// A full-width ASCII character (U+FF01–U+FF5E) as ASCII, the ideographic
/// space as a space; any other character as it is.
pub fn half_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A plain header without a unit in brackets at its end (`年收入(元)` →
/// `年收入`); `None` when it has none.
fn without_unit(plain: &str) -> Option<&str> {
    let open = plain.strip_suffix(')')?.rfind('(')?;
    let head = &plain[..open];
    (!head.is_empty()).then_some(head)
}

/// How well a header matched its column; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    /// 0 the column's own name, 1 a label, 2 either without a unit.
    how: u8,
    /// The label's position in its list (earlier is more specific).
    label: u16,
}

/// Labels of the columns of each table: the built-in ones and a policy's.
///
/// ```
/// use shequ::read::{Headers, TableKind};
/// let h = Headers::builtin();
/// assert_eq!(h.column(TableKind::Communities, "户籍户数"), Some("households"));
/// assert_eq!(h.column(TableKind::Communities, "Households"), Some("households"));
/// assert_eq!(h.column(TableKind::People, "社区编号"), Some("community"));
/// assert_eq!(h.column(TableKind::People, "年收入(元)"), Some("income"));
/// assert_eq!(h.column(TableKind::People, "备注"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// A policy's own labels: table, column, the label written plainly.
    extra: Vec<(TableKind, &'static str, String)>,
}

impl Headers {
    /// The built-in labels alone.
    pub fn builtin() -> Self {
        Headers::default()
    }

    /// These labels and `labels` for `column` of `table` (a policy's own).
    /// A column `table` does not read is left out: a policy's labels are
    /// validated when it is read.
    pub fn with_labels<S: AsRef<str>>(
        mut self,
        table: TableKind,
        column: &str,
        labels: &[S],
    ) -> Self {
        if let Some(c) = table.columns().iter().find(|c| **c == column) {
            for l in labels {
                self.extra.push((table, c, plain(l.as_ref())));
            }
        }
        self
    }

    /// The column of `table` that `header` stands for, if any.
    pub fn column(&self, table: TableKind, header: &str) -> Option<&'static str> {
        self.matched(table, header).map(|(c, _)| c)
    }

    fn matched(&self, table: TableKind, header: &str) -> Option<(&'static str, Rank)> {
        let p = plain(header);
        if p.is_empty() {
            return None;
        }
        let exact = self.lookup(table, &p);
        let unitless = without_unit(&p).and_then(|h| self.lookup(table, h));
        match (exact, unitless) {
            (Some(e), _) => Some(e),
            (None, Some((c, r))) => Some((
                c,
                Rank {
                    how: 2,
                    label: r.label,
                },
            )),
            (None, None) => None,
        }
    }

    fn lookup(&self, table: TableKind, plain_header: &str) -> Option<(&'static str, Rank)> {
        let columns = table.columns();
        if let Some(c) = columns.iter().find(|c| plain(c) == plain_header) {
            return Some((c, Rank { how: 0, label: 0 }));
        }
        let mut best: Option<(&'static str, Rank)> = None;
        for (column, labels) in builtin_labels(table) {
            if let Some(k) = labels.iter().position(|l| plain(l) == plain_header) {
                let rank = Rank {
                    how: 1,
                    label: u16::try_from(k).unwrap_or(u16::MAX),
                };
                if best.is_none_or(|(_, r)| rank < r) {
                    best = Some((column, rank));
                }
            }
        }
        if best.is_some() {
            return best;
        }
        // A policy's labels come after the built-in ones.
        self.extra
            .iter()
            .filter(|(t, _, _)| *t == table)
            .position(|(_, _, l)| l == plain_header)
            .and_then(|k| {
                let column = self.extra.iter().filter(|(t, _, _)| *t == table).nth(k)?.1;
                Some((
                    column,
                    Rank {
                        how: 1,
                        label: u16::try_from(k + 100).unwrap_or(u16::MAX),
                    },
                ))
            })
    }

    /// The labels of `column` of `table`: the built-in ones, then a
    /// policy's (as written plainly).
    pub fn labels_of(&self, table: TableKind, column: &str) -> Vec<String> {
        let mut out: Vec<String> = builtin_labels(table)
            .iter()
            .filter(|(c, _)| *c == column)
            .flat_map(|(_, l)| l.iter().map(|s| s.to_string()))
            .collect();
        out.extend(
            self.extra
                .iter()
                .filter(|(t, c, _)| *t == table && *c == column)
                .map(|(_, _, l)| l.clone()),
        );
        out
    }

    /// The first Chinese label of `column` (for messages: `户数`).
    pub fn zh_label(table: TableKind, column: &str) -> Option<&'static str> {
        builtin_labels(table)
            .iter()
            .find(|(c, _)| *c == column)
            .and_then(|(_, l)| l.iter().find(|s| !s.is_ascii()).copied())
    }

    /// The column `header` most likely stands for when it stands for none:
    /// a column's name or label within two edits of it (a typo:
    /// `housholds`, `户藉户数`), or, for a post record, a person column.
    pub fn suggestion(&self, table: TableKind, header: &str) -> Option<&'static str> {
        let given = plain(header);
        let given = without_unit(&given).map_or(given.clone(), str::to_string);
        if given.is_empty() {
            return None;
        }
        let table_of_labels = match table {
            // A person field in a post record is read from the person instead.
            TableKind::Posts => TableKind::People,
            t => t,
        };
        if let Some(c) = self.column(table_of_labels, header) {
            return Some(c);
        }
        let mut candidates: Vec<(&'static str, String)> = table_of_labels
            .columns()
            .iter()
            .map(|c| (*c, plain(c)))
            .collect();
        for (c, labels) in builtin_labels(table_of_labels) {
            candidates.extend(labels.iter().map(|l| (*c, plain(l))));
        }
        let n = given.chars().count();
        candidates
            .iter()
            .map(|(c, l)| (edits(l, &given), *c, l.chars().count()))
            .filter(|(d, _, len)| *d <= 2 && *d * 2 < (*len).max(n) && *d < (*len).min(n))
            .min_by_key(|(d, _, _)| *d)
            .map(|(_, c, _)| c)
    }

    /// What each of `headers` (one table's, in order) stands for.
    ///
    /// When two headers stand for one column, the better match is read (the
    /// column's own name, then the more specific label): the other is
    /// ignored, and says which it lost to.
    ///
    /// ```
    /// use shequ::read::{Headers, TableKind};
    /// let m = Headers::builtin().resolve(TableKind::People, ["社区编号", "社区", "姓名", "备注"]);
    /// let columns: Vec<_> = m.iter().map(|r| r.column).collect();
    /// assert_eq!(columns, [Some("community"), None, Some("name"), None]);
    /// assert_eq!(m[1].shadowed_by.as_deref(), Some("社区编号"));
    /// ```
    pub fn resolve<I, S>(&self, table: TableKind, headers: I) -> Vec<Resolved>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out: Vec<(Resolved, Option<Rank>)> = headers
            .into_iter()
            .map(|h| {
                let h = h.as_ref();
                let m = if table == TableKind::People && h == "posts" {
                    Some(("posts", Rank { how: 0, label: 0 }))
                } else {
                    self.matched(table, h)
                };
                (
                    Resolved {
                        header: h.to_string(),
                        column: m.map(|(c, _)| c),
                        suggestion: None,
                        shadowed_by: None,
                    },
                    m.map(|(_, r)| r),
                )
            })
            .collect();
        for k in 0..out.len() {
            let Some(column) = out[k].0.column else {
                continue;
            };
            // The best header of this column.
            let best = (0..out.len())
                .filter(|&j| out[j].0.column == Some(column))
                .min_by_key(|&j| (out[j].1, j))
                .unwrap_or(k);
            if best != k {
                let winner = out[best].0.header.clone();
                let r = &mut out[k].0;
                r.column = None;
                r.suggestion = Some(column);
                r.shadowed_by = Some(winner);
            }
        }
        out.into_iter()
            .map(|(mut r, _)| {
                if r.column.is_none() && r.suggestion.is_none() {
                    r.suggestion = self.suggestion(table, &r.header);
                }
                r
            })
            .collect()
    }
}

/// What one header of a table stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The header as written.
    pub header: String,
    /// The column it stands for; `None` when it is ignored.
    pub column: Option<&'static str>,
    /// For an ignored header, the column it most likely stands for.
    pub suggestion: Option<&'static str>,
    /// For an ignored header that stands for a column another header
    /// stands for better, that header.
    pub shadowed_by: Option<String>,
}

/// How one header of an input table was read: the report of a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappedColumn {
    /// The table.
    pub table: TableKind,
    /// The sheet (or file) it came from, when it came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The header as written.
    pub header: String,
    /// The column it was read as; `None` when ignored.
    pub column: Option<String>,
    /// For an ignored header, the column it most likely stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl MappedColumn {
    /// The mapping of `r`, a header of `table`.
    pub fn of(table: TableKind, sheet: Option<&str>, r: &Resolved) -> Self {
        MappedColumn {
            table,
            sheet: sheet.map(str::to_string),
            header: r.header.clone(),
            column: r.column.map(str::to_string),
            suggestion: r.suggestion.map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_the_form_shows_reads_as_its_column() {
        // wasm/www/app.js `TEXT.zh.col`, per table.
        let h = Headers::builtin();
        for (table, header, column) in [
            (TableKind::Communities, "编号", "id"),
            (TableKind::Communities, "名称", "name"),
            (TableKind::Communities, "街道/区", "district"),
            (TableKind::Communities, "户数", "households"),
            (TableKind::Communities, "评级", "rating"),
            (TableKind::Communities, "评分", "score"),
            (TableKind::Communities, "星级", "stars"),
            (TableKind::Communities, "网格数", "grids"),
            (TableKind::Communities, "办公用房(㎡)", "office_area"),
            (
                TableKind::Communities,
                "服务用房(㎡)",
                "resident_facing_area",
            ),
            (
                TableKind::Communities,
                "服务中心(㎡)",
                "service_centre_area",
            ),
            (TableKind::Communities, "标记", "flags"),
            (TableKind::People, "编号", "id"),
            (TableKind::People, "社区编号", "community"),
            (TableKind::People, "名称", "name"),
            (TableKind::People, "姓名", "name"),
            (TableKind::People, "在职", "serving"),
            (TableKind::People, "职务", "post"),
            (TableKind::People, "任职起", "start"),
            (TableKind::People, "任职止", "end"),
            (TableKind::People, "年收入(元)", "income"),
            (TableKind::Adjustments, "社区编号", "community"),
            (TableKind::Adjustments, "项目", "rule"),
            (TableKind::Adjustments, "金额(元)", "amount"),
            (TableKind::Adjustments, "理由", "reason"),
            // The form's English labels.
            (TableKind::Communities, "office m²", "office_area"),
            (TableKind::People, "income (yuan/yr)", "income"),
            (TableKind::Adjustments, "amount (yuan)", "amount"),
            (TableKind::Adjustments, "item", "rule"),
        ] {
            assert_eq!(h.column(table, header), Some(column), "{table:?} {header}");
        }
    }

    #[test]
    fn headers_are_compared_plainly() {
        let h = Headers::builtin();
        for (header, column) in [
            ("户数", Some("households")),
            (" 户 数 ", Some("households")),
            ("户数（户）", Some("households")),
            ("户数*", Some("households")),
            ("HOUSEHOLDS", Some("households")),
            ("ｈｏｕｓｅｈｏｌｄｓ", Some("households")),
            ("Office Area", Some("office_area")),
            ("office-area", Some("office_area")),
            ("社区编号：", Some("id")),
            ("网格数", Some("grids")),
            ("备注", None),
            ("", None),
        ] {
            assert_eq!(h.column(TableKind::Communities, header), column, "{header}");
        }
    }

    #[test]
    fn a_policy_adds_labels() {
        let h = Headers::builtin().with_labels(TableKind::People, "start", &["聘任时间"]);
        assert_eq!(h.column(TableKind::People, "聘任时间"), Some("start"));
        assert_eq!(
            Headers::builtin().column(TableKind::People, "聘任时间"),
            None
        );
        assert!(h
            .labels_of(TableKind::People, "start")
            .contains(&"聘任时间".to_string()));
    }

    #[test]
    fn ignored_headers_get_the_likely_column() {
        let h = Headers::builtin();
        for (table, header, want) in [
            (TableKind::Communities, "housholds", Some("households")),
            (TableKind::Communities, "网格个数", Some("grids")),
            (TableKind::Communities, "户藉户数", Some("households")),
            (TableKind::People, "servng", Some("serving")),
            (TableKind::Posts, "serving", Some("serving")),
            (TableKind::People, "备注", None),
            (TableKind::People, "社区名称", None),
            (TableKind::Communities, "street", None),
        ] {
            assert_eq!(h.suggestion(table, header), want, "{header}");
        }
    }

    #[test]
    fn the_better_of_two_headers_for_one_column_is_read() {
        let h = Headers::builtin();
        let m = h.resolve(TableKind::Communities, ["编号", "id", "户数", "实有户数"]);
        let got: Vec<_> = m
            .iter()
            .map(|r| (r.column, r.suggestion, r.shadowed_by.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (None, Some("id"), Some("id")),
                (Some("id"), None, None),
                (Some("households"), None, None),
                (None, Some("households"), Some("户数")),
            ]
        );
    }
}
