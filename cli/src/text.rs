//! Text for people: the language, money with thousands separators, and
//! tables padded by display width (a CJK character takes two columns).

use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// The language of everything the command line prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文 (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh` or `en`, as the core's JSON boundary spells it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A decimal amount as text (`"1234567.89"`, `"-5.00"`) with thousands
/// separators (`"1,234,567.89"`). Anything that is not a plain decimal is
/// returned as it is.
///
/// ```
/// assert_eq!(shequ_cli::text::money("1234567.89"), "1,234,567.89");
/// assert_eq!(shequ_cli::text::money("-1000"), "-1,000");
/// assert_eq!(shequ_cli::text::money("999.5"), "999.5");
/// ```
pub fn money(amount: &str) -> String {
    let (sign, rest) = match amount.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", amount),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()))
    {
        return amount.to_string();
    }
    let mut out = String::with_capacity(amount.len() + int.len() / 3);
    out.push_str(sign);
    out.push_str(&group(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A count with thousands separators.
///
/// ```
/// assert_eq!(shequ_cli::text::count(1234567), "1,234,567");
/// ```
pub fn count(n: usize) -> String {
    group(&n.to_string())
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `name(id)`, or the id alone when there is no name.
pub fn named(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.is_empty() && n != id => format!("{n}({id})"),
        _ => id.to_string(),
    }
}

/// Columns lined up by display width.
#[derive(Debug, Default)]
pub struct Table {
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose columns are right-aligned where `right` says so (numbers).
    pub fn new(right: &[bool]) -> Self {
        Table {
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

    /// The table as lines, each indented by `indent`, two spaces between
    /// columns, no padding after the last one.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money("0.00"), "0.00");
        assert_eq!(money("100.00"), "100.00");
        assert_eq!(money("1000.00"), "1,000.00");
        assert_eq!(money("8548575.00"), "8,548,575.00");
        assert_eq!(money("-41250.50"), "-41,250.50");
        assert_eq!(money("abc"), "abc");
        assert_eq!(money(""), "");
    }

    #[test]
    fn columns_line_up_by_display_width() {
        let mut t = Table::new(&[false, true]);
        t.row(["北京路社区(C001)", "1,000.00"]);
        t.row(["C2", "5.00"]);
        let text = t.render("");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].width(), lines[1].width());
        assert!(lines[1].starts_with("C2 "));
        assert!(lines[1].ends_with("    5.00"));
    }
}
