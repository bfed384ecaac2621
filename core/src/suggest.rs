//! "Did you mean": the name a misspelt one most likely stands for — a
//! column, a request key, a keyword argument, a parameter. One rule for
//! every front-end: the same name ignoring (ASCII) case, spaces, `-` and
//! `_`, or within two edits of one (a typo), and fewer edits than half its
//! length (so that `id` never suggests `rule`).

/// `name` as compared: no spaces, `-` or `_`, ASCII lowercase.
fn plain(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The candidate `given` most likely stands for, if one is close.
///
/// ```
/// use shequ::suggest::closest;
/// let known = ["deputy_salary_monthly", "full_time_count"];
/// assert_eq!(closest("deputy_salary_montly", known), Some("deputy_salary_monthly"));
/// assert_eq!(closest("Full-Time Count", known), Some("full_time_count"));
/// assert_eq!(closest("households", known), None);
/// ```
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = plain(given);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let p = plain(c);
        if p == given {
            return Some(c);
        }
        let d = edits(&p, &given);
        if d <= 2 && d.saturating_mul(2) < p.chars().count() && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean `x`?)` when a candidate is close, else nothing.
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(given, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance in characters.
pub fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i.saturating_add(1);
        for (j, cb) in b.iter().enumerate() {
            let above = row[j.saturating_add(1)];
            row[j.saturating_add(1)] = if ca == *cb {
                diagonal
            } else {
                diagonal.min(above).min(row[j]).saturating_add(1)
            };
            diagonal = above;
        }
    }
    row[b.len()]
}
