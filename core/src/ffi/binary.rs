//! Tables as typed columns in one buffer: how the browser package sends a
//! city's tables (JSON of 290 000 rows is some 20 MB to write in JS and to
//! read in WASM; the same columns as text and numbers are a third of it,
//! and the reader takes them the quick way, [`crate::read`]).
//!
//! The layout, little-endian:
//!
//! ```text
//! "SQT1"  u32 tables
//! per table:  u8 kind (0 communities, 1 people, 2 adjustments)  u32 rows  u32 columns
//! per column: u32 name length, name (UTF-8)  u8 type  payload
//!   type 0, text:      u32 bytes, the texts (UTF-8) one after another, each
//!                      followed by a NUL byte, then the validity bits
//!   type 1, numbers:   rows × f64, then the validity bits
//!   type 2, booleans:  the value bits, then the validity bits
//!   type 3, JSON:      u32 bytes, a JSON array of the column's values (any
//!                      column the other types cannot hold)
//!   type 4, nulls:     nothing (every value is null)
//!   type 5, text with offsets: u32 bytes, the texts (UTF-8) one after
//!                      another, then (rows + 1) × u32 where each text
//!                      starts and ends, then the validity bits (JS writes
//!                      this for ASCII text, where it knows the lengths)
//! validity bits: (rows + 7) / 8 bytes, bit r set when row r has a value
//! ```
//!
//! A column of numbers that are all whole and fit 64 bits is read as whole
//! numbers (ids and households stay integers); text must be valid UTF-8 and
//! hold as many texts as rows. Anything else is `invalid_table`, naming the
//! table and column.

use super::record::{scalar_cell, Scalar};
use super::ErrorBody;
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef};
use crate::read::{self, Bits, Column, Offsets, Strings, Values};
use std::borrow::Cow;

/// A cursor over the buffer.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

fn bad(kind: RecordKind, field: &str, message: impl Into<String>) -> InputError {
    InputError::new(
        InputErrorCode::InvalidTable,
        RecordRef {
            kind,
            index: None,
            id: None,
        },
        field,
        message,
    )
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.data.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
    }
}

/// The tables in `data` (see the module docs), text borrowed from it.
///
/// # Errors
/// `invalid_table` for a buffer that does not hold tables in this layout.
pub fn tables(data: &[u8]) -> Result<read::Tables<'_>, InputError> {
    let mut b = Bytes { data, at: 0 };
    let whole = |m: &str| bad(RecordKind::Request, "(tables)", m.to_string());
    if b.take(4) != Some(b"SQT1".as_slice()) {
        return Err(whole("the tables do not start with `SQT1`"));
    }
    let count = b.u32().ok_or_else(|| whole("the tables end early"))?;
    let mut tables = read::Tables::default();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..count {
        let kind = match b.u8() {
            Some(0) => RecordKind::Community,
            Some(1) => RecordKind::Person,
            Some(2) => RecordKind::Adjustment,
            _ => return Err(whole("a table of no known kind")),
        };
        if !seen.insert(kind as u8) {
            return Err(bad(kind, "(table)", "the table is sent twice"));
        }
        let (rows, columns) = match (b.u32(), b.u32()) {
            (Some(r), Some(c)) => (r, c),
            _ => return Err(whole("the tables end early")),
        };
        // Every column holds at least a byte a row: a count past the data
        // is a lie, refused before anything is set aside for it.
        if columns > 0 && rows > data.len() {
            return Err(bad(
                kind,
                "(table)",
                format!("the table says {rows} rows, more than its data holds"),
            ));
        }
        let mut list = Vec::with_capacity(columns.min(256));
        for _ in 0..columns {
            let name_len = b.u32().ok_or_else(|| whole("the tables end early"))?;
            let name = b
                .take(name_len)
                .and_then(|n| std::str::from_utf8(n).ok())
                .ok_or_else(|| whole("a column name is not UTF-8"))?;
            let column = column(&mut b, rows).ok_or_else(|| {
                bad(
                    kind,
                    name,
                    format!("column `{name}` does not hold {rows} values of its type"),
                )
            })?;
            list.push((name.to_string(), column));
        }
        let table =
            read::Table::new(list, rows).map_err(|p| bad(kind, "(table)", p.to_string()))?;
        match kind {
            RecordKind::Community => tables.communities = table,
            RecordKind::Person => tables.people = table,
            _ => tables.adjustments = table,
        }
    }
    Ok(tables)
}

/// `rows` NUL-terminated UTF-8 texts as one text and the offsets of each,
/// or `None` when they are not.
fn texts(bytes: &[u8], rows: usize) -> Option<(String, Vec<i64>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut data = String::with_capacity(text.len().saturating_sub(rows));
    let mut offsets = Vec::with_capacity(rows.min(text.len()).saturating_add(1));
    offsets.push(0);
    let mut rest = text;
    while let Some(at) = nul(rest.as_bytes()) {
        // A NUL is one byte and never inside a character: both halves are
        // whole UTF-8.
        data.push_str(rest.get(..at)?);
        offsets.push(i64::try_from(data.len()).ok()?);
        rest = rest.get(at.checked_add(1)?..)?;
    }
    (rest.is_empty() && Some(offsets.len()) == rows.checked_add(1)).then_some((data, offsets))
}

/// The first NUL byte in `bytes`, eight bytes at a time.
fn nul(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut at: usize = 0;
    while let Some(chunk) = bytes.get(at..at.checked_add(8)?) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let zeros = v.wrapping_sub(ONES) & !v & HIGHS;
        if zeros != 0 {
            return at.checked_add((zeros.trailing_zeros() >> 3) as usize);
        }
        at = at.checked_add(8)?;
    }
    let i = bytes.get(at..)?.iter().position(|&b| b == 0)?;
    at.checked_add(i)
}

/// The validity bits of a column; `Some(None)` when every row has a value
/// (as Arrow leaves them out).
fn validity<'a>(b: &mut Bytes<'a>, rows: usize) -> Option<Option<Bits<'a>>> {
    let bytes = b.take(rows.div_ceil(8))?;
    let (whole, tail) = (rows >> 3, rows & 7);
    // The last byte's low `tail` bits (a mask of `tail` ones).
    let mask = u8::MAX
        .checked_shr(8u32.saturating_sub(tail as u32))
        .unwrap_or(0);
    let all = bytes.get(..whole)?.iter().all(|&x| x == 0xff)
        && (tail == 0 || bytes.get(whole)? & mask == mask);
    Some((!all).then(|| Bits::new(bytes, 0)))
}

fn column<'a>(b: &mut Bytes<'a>, rows: usize) -> Option<Column<'a>> {
    Some(match b.u8()? {
        0 => {
            let len = b.u32()?;
            let (data, offsets) = texts(b.take(len)?, rows)?;
            Column::Utf8(Strings {
                data: Cow::Owned(data),
                offsets: Offsets::I64(Cow::Owned(offsets)),
                valid: validity(b, rows)?,
            })
        }
        5 => {
            let len = b.u32()?;
            let data = std::str::from_utf8(b.take(len)?).ok()?;
            let raw = b.take(rows.checked_add(1)?.checked_mul(4)?)?;
            let mut offsets = Vec::with_capacity(rows.saturating_add(1));
            let mut last = 0;
            for c in raw.chunks_exact(4) {
                let at = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                if at < last {
                    return None;
                }
                last = at;
                offsets.push(i64::from(at));
            }
            if offsets.first() != Some(&0) || usize::try_from(last).ok()? != data.len() {
                return None;
            }
            // Ends off a character boundary read as unreadable text, named
            // by the reader (see `Strings::get`).
            Column::Utf8(Strings {
                data: Cow::Borrowed(data),
                offsets: Offsets::I64(Cow::Owned(offsets)),
                valid: validity(b, rows)?,
            })
        }
        1 => {
            let raw = b.take(rows.checked_mul(8)?)?;
            let values: Vec<f64> = raw
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect();
            let valid = validity(b, rows)?;
            let whole = values.iter().enumerate().all(|(i, v)| {
                valid.as_ref().is_some_and(|b| !b.get(i)) || crate::read::value::is_safe_integer(*v)
            });
            if whole {
                Column::Int64(Values {
                    values: Cow::Owned(values.iter().map(|v| *v as i64).collect()),
                    valid,
                })
            } else {
                Column::Float64(Values {
                    values: Cow::Owned(values),
                    valid,
                })
            }
        }
        2 => {
            let bits = Bits::new(b.take(rows.div_ceil(8))?, 0);
            Column::Bool(bits, rows, validity(b, rows)?)
        }
        4 => Column::Null(rows),
        3 => {
            let len = b.u32()?;
            // Each value as the JSON boundary reads a field's value.
            let values: Vec<Scalar> = serde_json::from_slice(b.take(len)?).ok()?;
            if values.len() != rows {
                return None;
            }
            Column::Cells(
                values
                    .iter()
                    .map(|v| scalar_cell(Some(v)).into_owned())
                    .collect(),
            )
        }
        _ => return None,
    })
}

/// The budget of a request whose tables come in `tables`. The request's
/// own tables must be empty lists (`"communities": []`): tables sent both
/// ways would leave one unread.
///
/// # Errors
/// As [`super::compute_json`]; `invalid_table` for tables not in the
/// layout, or for a request that also carries rows.
pub fn budget(request: &[u8], tables: &[u8]) -> Result<crate::Budget, ErrorBody> {
    budget_of(&super::parse_request(request)?, tables)
}

/// [`super::compute_json`] of a request whose tables come in `tables`.
///
/// # Errors
/// As [`budget`].
pub fn compute_json(request: &[u8], tables: &[u8]) -> Result<String, ErrorBody> {
    let req = super::parse_request(request)?;
    let budget = budget_of(&req, tables)?;
    super::respond(&req, &budget)
}

fn budget_of(req: &super::Request, tables: &[u8]) -> Result<crate::Budget, ErrorBody> {
    for (name, table) in [
        ("communities", &req.communities),
        ("people", &req.people),
        ("adjustments", &req.adjustments),
    ] {
        if !table.is_empty() {
            let message =
                format!("the tables come as columns; the request's `{name}` must be an empty list");
            return Err(Error::Input(bad(RecordKind::Request, name, message)).into());
        }
    }
    let policy = super::load_policy(&req.policy, &req.overrides)?;
    let tables = self::tables(tables).map_err(|e| ErrorBody::from(Error::Input(e)))?;
    let frame = read::frame(&tables).map_err(|e| ErrorBody::from(Error::Input(e)))?;
    let options = super::options(req)?;
    Ok(policy.budget_of(std::sync::Arc::new(frame), &options)?)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// The layout written by hand: a communities table of two rows.
    fn two_communities() -> Vec<u8> {
        let mut b = b"SQT1".to_vec();
        b.extend(1u32.to_le_bytes());
        b.push(0);
        b.extend(2u32.to_le_bytes());
        b.extend(3u32.to_le_bytes());
        let name = |b: &mut Vec<u8>, n: &str| {
            b.extend(u32::try_from(n.len()).unwrap_or(0).to_le_bytes());
            b.extend(n.as_bytes());
        };
        name(&mut b, "id");
        b.push(1);
        b.extend(101f64.to_le_bytes());
        b.extend(7f64.to_le_bytes());
        b.push(0b11);
        name(&mut b, "households");
        b.push(0);
        let text = "2750\u{0}3100\u{0}";
        b.extend(u32::try_from(text.len()).unwrap_or(0).to_le_bytes());
        b.extend(text.as_bytes());
        b.push(0b11);
        name(&mut b, "rating");
        b.push(3);
        let json = r#"["good", null]"#;
        b.extend(u32::try_from(json.len()).unwrap_or(0).to_le_bytes());
        b.extend(json.as_bytes());
        b
    }

    #[test]
    fn tables_read_from_their_layout() -> Result<(), InputError> {
        let data = two_communities();
        let tables = tables(&data)?;
        let frame = read::frame(&tables)?;
        assert_eq!(
            frame.communities.id,
            crate::ids::IdColumn::Int(vec![101, 7])
        );
        assert_eq!(frame.communities.households, [2750, 3100]);
        assert_eq!(frame.communities.rating.get(0), Some("good"));
        assert_eq!(frame.communities.rating.get(1), None);
        Ok(())
    }

    #[test]
    fn a_buffer_that_lies_is_refused_by_name() {
        let data = two_communities();
        for cut in [3, 9, 20, data.len() - 1] {
            let got = tables(&data[..cut]).map(|_| ()).map_err(|e| e.code);
            assert_eq!(got, Err(InputErrorCode::InvalidTable), "cut at {cut}");
        }
        let mut twice = data.clone();
        twice[4..8].copy_from_slice(&2u32.to_le_bytes());
        twice.extend_from_slice(&data[8..]);
        let got = tables(&twice).map(|_| ()).map_err(|e| e.message);
        assert_eq!(got, Err("the table is sent twice".to_string()));
        let mut lying = data.clone();
        lying[9..13].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(tables(&lying).is_err());
    }

    /// One communities table with the column `id` as ASCII text at `offsets`.
    fn ascii_ids(text: &str, offsets: &[u32]) -> Vec<u8> {
        let rows = u32::try_from(offsets.len() - 1).unwrap_or(0);
        let mut b = b"SQT1".to_vec();
        b.extend(1u32.to_le_bytes());
        b.push(0);
        b.extend(rows.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.extend(2u32.to_le_bytes());
        b.extend(b"id");
        b.push(5);
        b.extend(u32::try_from(text.len()).unwrap_or(0).to_le_bytes());
        b.extend(text.as_bytes());
        for o in offsets {
            b.extend(o.to_le_bytes());
        }
        b.extend(vec![0xffu8; (offsets.len() - 1).div_ceil(8)]);
        b
    }

    #[test]
    fn ascii_texts_read_at_their_offsets() -> Result<(), InputError> {
        let data = ascii_ids("C1C22C333", &[0, 2, 5, 9]);
        let t = tables(&data)?;
        let texts = match t.communities.column("id") {
            Some(Column::Utf8(s)) => (0..3).map(|i| s.get(i)).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(texts, [Some(Ok("C1")), Some(Ok("C22")), Some(Ok("C333"))]);
        // Offsets that go back, start late or end short are refused.
        for lying in [[0, 5, 2, 9], [1, 2, 5, 9], [0, 2, 5, 8]] {
            assert!(
                tables(&ascii_ids("C1C22C333", &lying)).is_err(),
                "{lying:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn texts_end_at_their_nuls() {
        let long = "社区".repeat(9);
        let joined = format!("a\0\0{long}\0xyz12345\0");
        let (data, offsets) = texts(joined.as_bytes(), 4).unwrap_or_default();
        assert_eq!(data, format!("a{long}xyz12345"));
        assert_eq!(offsets, [0, 1, 1, 1 + 54, 1 + 54 + 8]);
        assert_eq!(
            texts(joined.as_bytes(), 3),
            None,
            "four texts are not three"
        );
        assert_eq!(texts(b"ab\0c", 1), None, "text after the last NUL");
        assert_eq!(texts(&[0xff, 0], 1), None, "not UTF-8");
        for n in 0..20 {
            let mut bytes = vec![b'x'; n];
            assert_eq!(nul(&bytes), None);
            for at in 0..n {
                bytes[at] = 0;
                assert_eq!(nul(&bytes), Some(at));
                bytes[at] = 0x80;
            }
        }
    }

    #[test]
    fn rows_sent_both_ways_are_refused() {
        let request =
            br#"{"policy": "jilin-2011-13", "year": 2026, "communities": [{"id": "C1"}]}"#;
        let got = budget(request, &two_communities())
            .map(|_| ())
            .map_err(|e| e.code);
        assert_eq!(got, Err("invalid_table".to_string()));
        let request = br#"{"policy": "jilin-2011-13", "year": 2026, "communities": []}"#;
        // The tables are read: the second community has no rating.
        let err = budget(request, &two_communities())
            .map(|_| ())
            .map_err(|e| (e.code, e.field));
        assert_eq!(
            err,
            Err(("missing_rating".to_string(), Some("rating".to_string())))
        );
    }
}
