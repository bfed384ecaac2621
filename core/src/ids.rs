//! Ids as the caller gave them: whole numbers stay numbers, text stays text.
//!
//! A bureau's export names communities and people by integer keys as often
//! as by codes like `C017`. shequ keeps an integer id column as integers
//! from the reader to the answer (an [`Id::Int`] comes back out as a number
//! in JSON, an `int64` in Arrow), and stores text ids packed in one buffer
//! ([`Texts`]), not one allocation per cell.

use serde::{Serialize, Serializer};
use std::fmt;

/// One id, as given: a whole number or text.
///
/// Two ids name the same record when their text is the same, so the integer
/// `101` and the text `"101"` are the same id (a people table whose
/// `community` column was read as text still finds community 101).
///
/// ```
/// use shequ::Id;
/// assert_eq!(Id::Int(101).to_string(), "101");
/// assert_eq!(serde_json::to_string(&Id::Int(101)).unwrap(), "101");
/// assert_eq!(serde_json::to_string(&Id::from("C1")).unwrap(), "\"C1\"");
/// assert!(Id::Int(101).is("101"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    /// A whole-number id.
    Int(i64),
    /// A text id.
    Text(String),
}

impl Id {
    /// Whether this id reads as `text`.
    pub fn is(&self, text: &str) -> bool {
        match self {
            Id::Text(t) => t == text,
            Id::Int(i) => parse_int(text) == Some(*i),
        }
    }

    /// The id as text.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Id::Text(t) => std::borrow::Cow::Borrowed(t),
            Id::Int(i) => std::borrow::Cow::Owned(i.to_string()),
        }
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id::Text(s.to_string())
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id::Text(s)
    }
}

impl From<i64> for Id {
    fn from(i: i64) -> Self {
        Id::Int(i)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(i) => write!(f, "{i}"),
            Id::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Int(i) => s.serialize_i64(*i),
            Id::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id: text or a whole number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id::from(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Id, E> {
                i64::try_from(v)
                    .map(Id::Int)
                    .map_err(|_| E::custom(format!("id `{v}` is too large")))
            }
        }
        d.deserialize_any(V)
    }
}

/// The integer a text id stands for, when it is written the way an integer
/// prints (`101`, `-7`; not `0101`, `+7` or `1e3`): only then do the two name
/// the same record.
///
/// ```
/// use shequ::ids::parse_int;
/// assert_eq!(parse_int("101"), Some(101));
/// assert_eq!(parse_int("0101"), None);
/// assert_eq!(parse_int("0"), Some(0));
/// ```
pub fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    if canonical {
        text.parse().ok()
    } else {
        None
    }
}

/// Many short strings in one buffer: what a column of names or text ids
/// costs without an allocation per cell.
///
/// ```
/// use shequ::ids::Texts;
/// let mut t = Texts::default();
/// t.push("胜利社区");
/// t.push("");
/// assert_eq!((t.get(0), t.get(1), t.len()), ("胜利社区", "", 2));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    bytes: String,
    /// Where each string ends in `bytes`.
    ends: Vec<u32>,
}

impl Texts {
    /// For about `n` strings of `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> Self {
        Texts {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
        }
    }

    /// The strings of a text laid out as Arrow lays out strings: string
    /// `i` runs from `spans(i).0` to `spans(i).1`, each starting where the
    /// one before ends; `None` when they do not, or an end is not on a
    /// character boundary, or the text passes 4 GB.
    ///
    /// ```
    /// use shequ::ids::Texts;
    /// let offsets = [2, 5, 5, 11];
    /// let span = |i: usize| Some((offsets[i], offsets[i + 1]));
    /// let t = Texts::from_spans("..abc社区", 3, span).unwrap();
    /// assert_eq!((t.get(0), t.get(1), t.get(2)), ("abc", "", "社区"));
    /// assert!(Texts::from_spans("..abc社区", 3, |i| Some((offsets[i], offsets[i + 1] - 1))).is_none());
    /// ```
    pub fn from_spans(
        data: &str,
        n: usize,
        spans: impl Fn(usize) -> Option<(usize, usize)>,
    ) -> Option<Texts> {
        let first = if n == 0 { 0 } else { spans(0)?.0 };
        let mut ends = Vec::with_capacity(n);
        let mut at = first;
        for i in 0..n {
            let (a, b) = spans(i)?;
            if a != at || b < a || !data.is_char_boundary(b) {
                return None;
            }
            ends.push(u32::try_from(b - first).ok()?);
            at = b;
        }
        Some(Texts {
            bytes: data.get(first..at)?.to_string(),
            ends,
        })
    }

    /// Append one string.
    ///
    /// A column of more than 4 GB of text is far past any city; its
    /// strings past that point read as empty rather than wrong.
    pub fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends
            .push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    /// String `i`; empty past the end.
    pub fn get(&self, i: usize) -> &str {
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = match i.checked_sub(1) {
            Some(k) => self.ends.get(k).copied().unwrap_or(0) as usize,
            None => 0,
        };
        self.bytes.get(start..end).unwrap_or("")
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether every string is empty (a column that was not given).
    pub fn all_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Bytes used.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4
    }
}

/// A column of ids: all integers, or all text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdColumn {
    /// Whole-number ids.
    Int(Vec<i64>),
    /// Text ids.
    Text(Texts),
}

impl Default for IdColumn {
    fn default() -> Self {
        IdColumn::Text(Texts::default())
    }
}

impl IdColumn {
    /// Id `i`.
    pub fn get(&self, i: usize) -> Id {
        match self {
            IdColumn::Int(v) => Id::Int(v.get(i).copied().unwrap_or_default()),
            IdColumn::Text(t) => Id::Text(t.get(i).to_string()),
        }
    }

    /// Id `i` as text.
    pub fn text(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match self {
            IdColumn::Int(v) => {
                std::borrow::Cow::Owned(v.get(i).copied().unwrap_or_default().to_string())
            }
            IdColumn::Text(t) => std::borrow::Cow::Borrowed(t.get(i)),
        }
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        match self {
            IdColumn::Int(v) => v.len(),
            IdColumn::Text(t) => t.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the ids are whole numbers.
    pub fn is_int(&self) -> bool {
        matches!(self, IdColumn::Int(_))
    }

    /// Bytes used.
    pub fn heap_bytes(&self) -> usize {
        match self {
            IdColumn::Int(v) => v.capacity() * 8,
            IdColumn::Text(t) => t.heap_bytes(),
        }
    }
}

/// Finds the position of an id in an [`IdColumn`]: by number for integer
/// ids, by text for text ids, and across the two by the id's text.
#[derive(Debug, Default)]
pub struct IdLookup {
    ints: rustc_hash::FxHashMap<i64, u32>,
    texts: hashbrown::HashTable<u32>,
}

fn text_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(s)
}

impl IdLookup {
    /// An index of `ids`; the first position of a repeated id is kept, and
    /// each later one is returned in `repeats` as `(later, first)`.
    pub fn new(ids: &IdColumn) -> (Self, Vec<(usize, usize)>) {
        let mut lookup = IdLookup::default();
        let mut repeats = Vec::new();
        match ids {
            IdColumn::Int(v) => {
                lookup.ints.reserve(v.len());
                for (i, id) in v.iter().enumerate() {
                    let at = u32::try_from(i).unwrap_or(u32::MAX);
                    if let Some(&first) = lookup.ints.get(id) {
                        repeats.push((i, first as usize));
                    } else {
                        lookup.ints.insert(*id, at);
                    }
                }
            }
            IdColumn::Text(t) => {
                lookup
                    .texts
                    .reserve(t.len(), |&k| text_hash(t.get(k as usize)));
                for i in 0..t.len() {
                    let id = t.get(i);
                    let at = u32::try_from(i).unwrap_or(u32::MAX);
                    let entry = lookup.texts.entry(
                        text_hash(id),
                        |&k| t.get(k as usize) == id,
                        |&k| text_hash(t.get(k as usize)),
                    );
                    match entry {
                        hashbrown::hash_table::Entry::Occupied(o) => {
                            repeats.push((i, *o.get() as usize))
                        }
                        hashbrown::hash_table::Entry::Vacant(v) => {
                            v.insert(at);
                        }
                    }
                }
            }
        }
        (lookup, repeats)
    }

    /// The position of the integer id `id` in `ids`.
    pub fn find_int(&self, ids: &IdColumn, id: i64) -> Option<usize> {
        match ids {
            IdColumn::Int(_) => self.ints.get(&id).map(|&k| k as usize),
            IdColumn::Text(t) => {
                let text = id.to_string();
                self.find_text_in(t, &text)
            }
        }
    }

    /// The position of the text id `id` in `ids`.
    pub fn find_text(&self, ids: &IdColumn, id: &str) -> Option<usize> {
        match ids {
            IdColumn::Int(_) => parse_int(id).and_then(|i| self.ints.get(&i).map(|&k| k as usize)),
            IdColumn::Text(t) => self.find_text_in(t, id),
        }
    }

    fn find_text_in(&self, t: &Texts, id: &str) -> Option<usize> {
        self.texts
            .find(text_hash(id), |&k| t.get(k as usize) == id)
            .map(|&k| k as usize)
    }
}

/// Rows of `ids` that repeat an earlier row's id, as `(later, first)`
/// pairs in the order of `later`: what [`IdLookup::new`] finds, for a
/// column too large to hash in one table without a cache miss per row.
///
/// The rows are first dealt by their hash into buckets of a few thousand,
/// each bucket's ids copied together, then each bucket is looked through
/// with a small table that stays in cache.
///
/// ```
/// use shequ::ids::{repeats, IdColumn};
/// assert_eq!(repeats(&IdColumn::Int(vec![7, 3, 7, 9, 3, 7])), vec![(2, 0), (4, 1), (5, 0)]);
/// ```
pub fn repeats(ids: &IdColumn) -> Vec<(u32, u32)> {
    let n = ids.len();
    // About 4096 rows a bucket; one bucket for a small column.
    let bits = (usize::BITS - (n / 4096).leading_zeros()).min(16);
    let hash_of = |r: usize| -> u64 {
        match ids {
            IdColumn::Int(v) => {
                use std::hash::BuildHasher;
                rustc_hash::FxBuildHasher.hash_one(v.get(r).copied().unwrap_or_default())
            }
            IdColumn::Text(t) => text_hash(t.get(r)),
        }
    };
    let bucket_of = |h: u64| {
        if bits == 0 {
            0
        } else {
            (h >> (64 - bits)) as usize
        }
    };
    let buckets = 1usize << bits;
    // Deal the rows into buckets, in row order within each.
    let mut start = vec![0u32; buckets + 1];
    let hashes: Vec<u64> = (0..n).map(hash_of).collect();
    for h in &hashes {
        start[bucket_of(*h) + 1] += 1;
    }
    for b in 0..buckets {
        start[b + 1] += start[b];
    }
    let mut next = start.clone();
    let mut dealt: Vec<(u64, u32)> = vec![(0, 0); n];
    for (r, h) in hashes.iter().enumerate() {
        let b = bucket_of(*h);
        let at = next[b] as usize;
        next[b] += 1;
        dealt[at] = (*h, u32::try_from(r).unwrap_or(u32::MAX));
    }
    drop(hashes);
    let same = |a: u32, b: u32| match ids {
        IdColumn::Int(v) => v.get(a as usize) == v.get(b as usize),
        IdColumn::Text(t) => t.get(a as usize) == t.get(b as usize),
    };
    let mut out = Vec::new();
    let mut table: hashbrown::HashTable<(u64, u32)> = hashbrown::HashTable::new();
    for b in 0..buckets {
        let rows = &dealt[start[b] as usize..start[b + 1] as usize];
        table.clear();
        table.reserve(rows.len(), |&(h, _)| h);
        for &(h, r) in rows {
            match table.entry(h, |&(g, k)| g == h && same(k, r), |&(g, _)| g) {
                hashbrown::hash_table::Entry::Occupied(o) => out.push((r, o.get().1)),
                hashbrown::hash_table::Entry::Vacant(v) => {
                    v.insert((h, r));
                }
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_either_kind_are_found_by_their_text() {
        let ints = IdColumn::Int(vec![7, 101, -3]);
        let (lookup, repeats) = IdLookup::new(&ints);
        assert!(repeats.is_empty());
        assert_eq!(lookup.find_int(&ints, 101), Some(1));
        assert_eq!(lookup.find_text(&ints, "101"), Some(1));
        assert_eq!(lookup.find_text(&ints, "0101"), None);
        assert_eq!(lookup.find_text(&ints, "-3"), Some(2));
        let mut t = Texts::default();
        for s in ["C1", "101", "C1"] {
            t.push(s);
        }
        let texts = IdColumn::Text(t);
        let (lookup, repeats) = IdLookup::new(&texts);
        assert_eq!(repeats, vec![(2, 0)]);
        assert_eq!(lookup.find_int(&texts, 101), Some(1));
        assert_eq!(lookup.find_text(&texts, "C1"), Some(0));
        assert_eq!(lookup.find_text(&texts, "C2"), None);
    }

    #[test]
    fn repeats_are_what_a_lookup_finds() {
        // Large enough for many buckets.
        let ints: Vec<i64> = (0..50_000i64).map(|i| (i * 7919) % 31_337).collect();
        let column = IdColumn::Int(ints);
        let (_, want) = IdLookup::new(&column);
        let want: Vec<(u32, u32)> = want.iter().map(|&(a, b)| (a as u32, b as u32)).collect();
        assert!(!want.is_empty());
        assert_eq!(repeats(&column), want);
        let mut t = Texts::default();
        for i in 0..20_000 {
            t.push(&format!("P{}", i % 7_001));
        }
        let column = IdColumn::Text(t);
        let (_, want) = IdLookup::new(&column);
        let want: Vec<(u32, u32)> = want.iter().map(|&(a, b)| (a as u32, b as u32)).collect();
        assert_eq!(repeats(&column), want);
        assert!(repeats(&IdColumn::Int(Vec::new())).is_empty());
    }

    #[test]
    fn only_canonical_integer_text_is_an_integer() {
        for (s, want) in [
            ("0", Some(0)),
            ("-0", None),
            ("00", None),
            ("12", Some(12)),
            ("+12", None),
            ("1 2", None),
            ("", None),
            ("-", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
        ] {
            assert_eq!(parse_int(s), want, "{s}");
        }
    }
}
