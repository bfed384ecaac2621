//! The columns a caller gave that shequ does not read: each becomes an `unknown_column` warning with the
//! column it most likely stands for, never silence.

use super::headers::Headers;
use crate::notes::Note;
use serde::{Deserialize, Serialize};

pub use super::tables::{
    TableKind, ADJUSTMENT_COLUMNS, COMMUNITY_COLUMNS, MEASURE_COLUMNS, PEOPLE_COLUMNS, POST_COLUMNS,
};

/// A column of an input table that shequ does not read: a misspelling (a
/// misspelt `serving` column would leave everyone counted as not serving) or
/// a column of the user's own. It is ignored, and the budget says so with an
/// `unknown_column` warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredColumn {
    /// The table.
    pub table: TableKind,
    /// The column as given.
    pub column: String,
    /// The column it most likely stands for, if one is close.
    pub suggestion: Option<String>,
    /// The header that was read for that column instead, when this one
    /// stands for a column another header of the table stands for better
    /// (`社区` beside `社区编号`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadowed_by: Option<String>,
}

impl IgnoredColumn {
    /// The warning for this column.
    ///
    /// ```
    /// use shequ::read::{IgnoredColumns, TableKind};
    /// let mut seen = IgnoredColumns::default();
    /// seen.check(TableKind::People, "servng");
    /// let notes: Vec<_> = seen.into_list().iter().map(|c| c.note()).collect();
    /// assert_eq!(notes[0].code, "unknown_column");
    /// assert!(notes[0].en.contains("did you mean `serving`"), "{}", notes[0].en);
    /// ```
    pub fn note(&self) -> Note {
        let (zh_table, en_table) = self.table.name();
        let label = |s: &str| {
            Headers::zh_label(self.table, s)
                .or_else(|| Headers::zh_label(TableKind::People, s))
                .map(|l| format!("({l})"))
                .unwrap_or_default()
        };
        let (zh_hint, en_hint) = match (&self.suggestion, &self.shadowed_by) {
            (Some(s), Some(by)) => (
                format!("(它也表示 `{s}`{},已读取列 `{by}`)", label(s)),
                format!(" (it stands for `{s}` too; column `{by}` was read)"),
            ),
            (Some(s), None) => (
                format!("(是否应为 `{s}`{}?)", label(s)),
                format!(" (did you mean `{s}`?)"),
            ),
            _ => (String::new(), String::new()),
        };
        Note {
            code: "unknown_column",
            community: None,
            person: None,
            rule: None,
            clause: None,
            zh: format!(
                "{zh_table}的列 `{}` 不是 shequ 读取的列,已忽略{zh_hint}",
                self.column
            ),
            en: format!(
                "column `{}` of {en_table} is not one shequ reads and was ignored{en_hint}",
                self.column
            ),
        }
    }
}

/// Collects the columns a front-end saw that shequ does not read, each once,
/// in the order first seen.
#[derive(Debug, Clone, Default)]
pub struct IgnoredColumns {
    seen: Vec<IgnoredColumn>,
}

impl IgnoredColumns {
    /// Note `column` of `table` if shequ does not read it (by the built-in
    /// labels, see [`Headers`]).
    pub fn check(&mut self, table: TableKind, column: &str) {
        self.check_with(&Headers::builtin(), table, column);
    }

    /// Note `column` of `table` if shequ does not read it by `headers`.
    pub fn check_with(&mut self, headers: &Headers, table: TableKind, column: &str) {
        if headers.column(table, column).is_some()
            || (table == TableKind::People && column == "posts")
        {
            return;
        }
        self.push(IgnoredColumn {
            table,
            column: column.to_string(),
            suggestion: headers.suggestion(table, column).map(str::to_string),
            shadowed_by: None,
        });
    }

    /// Note a column known to be ignored (once).
    pub fn push(&mut self, column: IgnoredColumn) {
        if !self
            .seen
            .iter()
            .any(|c| c.table == column.table && c.column == column.column)
        {
            self.seen.push(column);
        }
    }

    /// The columns collected.
    pub fn into_list(self) -> Vec<IgnoredColumn> {
        self.seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_columns_are_kept_once_with_a_likely_meaning() {
        let mut seen = IgnoredColumns::default();
        for (table, column) in [
            (TableKind::Communities, "office_aera"),
            (TableKind::Communities, "Households"),
            (TableKind::Communities, "office_aera"),
            (TableKind::Communities, "street"),
            (TableKind::People, "in_service"),
            (TableKind::People, "servng"),
            (TableKind::People, "posts"),
            (TableKind::People, "serving"),
            (TableKind::Posts, "serving"),
            (TableKind::Posts, "end"),
            (TableKind::Adjustments, "amout"),
        ] {
            seen.check(table, column);
        }
        let list = seen.into_list();
        let got: Vec<(TableKind, String, Option<&str>)> = list
            .iter()
            .map(|c| (c.table, c.column.clone(), c.suggestion.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    TableKind::Communities,
                    "office_aera".to_string(),
                    Some("office_area")
                ),
                (TableKind::Communities, "street".into(), None),
                (TableKind::People, "in_service".into(), None),
                (TableKind::People, "servng".into(), Some("serving")),
                (TableKind::Posts, "serving".into(), Some("serving")),
                (TableKind::Adjustments, "amout".into(), Some("amount")),
            ]
        );
        assert_eq!(crate::suggest::edits("kitten", "sitting"), 3);
        assert_eq!(crate::suggest::edits("", "abc"), 3);
    }
}
