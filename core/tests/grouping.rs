//! Rows grouped into people, and person ids checked for duplicates, give the
//! same answer whether the ids come in order (the fast path: each id compared
//! with the one before) or not (a map of every id seen), and the same error
//! at the same row.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;
use shequ::error::InputErrorCode;
use shequ::frame::Frame;
use shequ::input::PostRow;
use shequ::{BudgetOptions, Community, Error, Input, Person};
use std::collections::HashMap;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
}

/// What grouping means, written the plain way: a map from id to person;
/// people listed by community (in the communities' order), then in the
/// order they first appear.
fn reference(rows: &[PostRow]) -> Result<Vec<(String, usize)>, (InputErrorCode, usize)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut first: Vec<&PostRow> = Vec::new();
    let mut people: Vec<(String, usize)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let k = *index.entry(row.id.as_str()).or_insert(first.len());
        if k == first.len() {
            first.push(row);
            people.push((row.id.clone(), 0));
        }
        if first[k].community != row.community || first[k].serving != row.serving {
            return Err((InputErrorCode::ConflictingRows, i));
        }
        people[k].1 += 1;
    }
    let community_of: HashMap<String, String> = first
        .iter()
        .map(|r| (r.id.clone(), r.community.clone()))
        .collect();
    people.sort_by_key(|(id, _)| community_of[id].clone());
    Ok(people)
}

/// Rows over a few ids (so that people hold several posts), in order or
/// shuffled; now and then a row that contradicts the person's first row.
fn rows() -> impl Strategy<Value = Vec<PostRow>> {
    (
        prop::collection::vec((0u8..12, 0u8..20), 0..40),
        any::<bool>(),
    )
        .prop_map(|(picks, sorted)| {
            let mut rows: Vec<PostRow> = picks
                .into_iter()
                .map(|(id, odd)| PostRow {
                    id: format!("P{id:02}"),
                    // One row in twenty says another community.
                    community: if odd == 0 { "C2".into() } else { "C1".into() },
                    post: "member".into(),
                    start: day(),
                    ..Default::default()
                })
                .collect();
            if sorted {
                rows.sort_by(|a, b| a.id.cmp(&b.id));
            }
            rows
        })
}

proptest! {
    #[test]
    fn rows_group_into_the_people_a_map_gives(rows in rows()) {
        let want = reference(&rows);
        let communities = [Community::new("C1", "", 10), Community::new("C2", "", 10)];
        let got = Frame::from_rows(&communities, &rows, &[])
            .map(|f| (0..f.people.len()).map(|p| (f.people.id.text(p).into_owned(), f.people.holdings_of(p).len())).collect::<Vec<_>>())
            .map_err(|e| (e.code, e.record.index.unwrap_or(usize::MAX)));
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_repeated_person_id_is_found_at_its_second_row(
        ids in prop::collection::vec(0u16..60, 1..50),
        sorted in any::<bool>(),
    ) {
        let mut ids: Vec<String> = ids.into_iter().map(|n| format!("P{n:03}")).collect();
        if sorted {
            ids.sort();
        }
        let input = Input {
            communities: vec![Community::new("C1", "", 1000).with_rating("ordinary")],
            people: ids
                .iter()
                .map(|id| Person::new(id, "C1", "").holding("member", day(), None))
                .collect(),
            ..Default::default()
        };
        let mut seen = std::collections::HashSet::new();
        let first_repeat = ids.iter().position(|id| !seen.insert(id.as_str()));
        match (jilin().budget(&input, &BudgetOptions::year(2026)), first_repeat) {
            (Ok(_), None) => {}
            (Err(Error::Input(e)), Some(i)) => {
                prop_assert_eq!(e.code, InputErrorCode::DuplicateId);
                prop_assert_eq!(e.record.index, Some(i));
            }
            (other, want) => prop_assert!(false, "got {:?}, want a repeat at {:?}", other.map(|b| b.items.len()), want),
        }
    }
}

/// A person given as one JSON record with a list of posts is named by that
/// record's position when a later record contradicts it, not by the
/// position of a post row among everyone's posts.
#[test]
fn a_contradicting_person_record_is_named_by_its_own_position() {
    let request = serde_json::json!({
        "policy": "jiayuguan-2020-97",
        "year": 2026,
        "communities": [{"id": "C1", "households": 900}, {"id": "C2", "households": 900}],
        "people": [
            {"id": "P1", "community": "C1", "posts": [
                {"post": "director", "start": "2020-01-01"},
                {"post": "group_leader", "start": "2020-01-01"}]},
            {"id": "P2", "community": "C1", "posts": [
                {"post": "group_leader", "start": "2020-01-01"},
                {"post": "group_member", "start": "2020-01-01"}]},
            {"id": "P1", "community": "C2", "posts": [{"post": "group_member", "start": "2021-01-01"}]}
        ]
    });
    let err = shequ::ffi::compute_json(&request.to_string()).expect_err("P1 in two communities");
    assert_eq!(err.code, "conflicting_rows", "{}", err.message);
    let record = err.record.expect("the record");
    assert_eq!((record.index, record.id.as_deref()), (Some(2), Some("P1")));
    assert_eq!(err.field.as_deref(), Some("community"));
}
