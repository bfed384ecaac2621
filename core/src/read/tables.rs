//! The input tables and the columns each reads (a leaf: the policy file,
//! the header reader and the warnings about ignored columns all name
//! tables by these).

use serde::{Deserialize, Serialize};

/// Measures a community row may carry (m²), read from columns of these names.
pub const MEASURE_COLUMNS: &[&str] =
    &["office_area", "resident_facing_area", "service_centre_area"];

/// Column names each table reads, for documentation and front-end forms.
pub const COMMUNITY_COLUMNS: &[&str] = &[
    "id",
    "name",
    "district",
    "households",
    "rating",
    "score",
    "stars",
    "grids",
    "office_area",
    "resident_facing_area",
    "service_centre_area",
    "flags",
];
/// Columns of the people table (one row per post held).
pub const PEOPLE_COLUMNS: &[&str] = &[
    "id",
    "community",
    "name",
    "serving",
    "post",
    "start",
    "end",
    "income",
];
/// Columns of the adjustments table.
pub const ADJUSTMENT_COLUMNS: &[&str] = &["community", "rule", "amount", "reason"];

/// Fields of a post record inside a person's `posts` list (the person's
/// other fields come from the person record).
pub const POST_COLUMNS: &[&str] = &["post", "start", "end"];

/// The input tables, as named in warnings about their columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// The communities table.
    Communities,
    /// The people table (one row per post held, or person records).
    People,
    /// A post record in a person's `posts` list.
    Posts,
    /// The adjustments table.
    Adjustments,
}

impl TableKind {
    /// The columns shequ reads from this table.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TableKind::Communities => COMMUNITY_COLUMNS,
            TableKind::People => PEOPLE_COLUMNS,
            TableKind::Posts => POST_COLUMNS,
            TableKind::Adjustments => ADJUSTMENT_COLUMNS,
        }
    }

    /// Whether shequ reads `column` from this table (a person record's
    /// `posts` list included).
    pub fn reads(self, column: &str) -> bool {
        self.columns().contains(&column) || (self == TableKind::People && column == "posts")
    }

    /// The table's name in Chinese and English.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            TableKind::Communities => ("社区表", "communities"),
            TableKind::People => ("人员表", "people"),
            TableKind::Posts => ("人员的岗位记录", "posts (of a person record)"),
            TableKind::Adjustments => ("调整表", "adjustments"),
        }
    }
}
