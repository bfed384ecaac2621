//! The core's synthetic and realistic cities as Arrow tables, for
//! benchmarks and tests.

use super::output::OutputError;
use arrow_array::builder::{BooleanBuilder, Date32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, BooleanArray, Date32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use chrono::{Datelike, NaiveDate};
use pyo3::prelude::*;
use std::sync::Arc;

fn days(d: NaiveDate) -> i32 {
    // Arrow date32 counts days from 1970-01-01 (day 719163 of the common era).
    d.num_days_from_ce() - 719_163
}

fn table<'py>(
    py: Python<'py>,
    fields: Vec<Field>,
    cols: Vec<ArrayRef>,
) -> PyResult<Bound<'py, PyAny>> {
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), cols)
        .map_err(|e| PyErr::from(OutputError::Bug(e.to_string())))?;
    pyo3_arrow::PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// `(communities, people)` of a synthetic city (`shequ::samples::synthetic`)
/// as `pyarrow.Table`s, people one row per post held.
#[pyfunction]
#[pyo3(signature = (policy, communities, seed = 1))]
pub fn synthetic_tables<'py>(
    py: Python<'py>,
    policy: &str,
    communities: usize,
    seed: u64,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let input = py.detach(|| shequ::samples::synthetic(policy, communities, seed));
    let n = input.communities.len();
    let (mut id, mut name, mut district, mut households, mut rating) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        Int64Builder::with_capacity(n),
        StringBuilder::new(),
    );
    for c in &input.communities {
        id.append_value(&c.id);
        name.append_value(&c.name);
        district.append_value(&c.district);
        households.append_value(c.households);
        rating.append_option(c.rating.as_deref());
    }
    let communities = table(
        py,
        vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("district", DataType::Utf8, false),
            Field::new("households", DataType::Int64, false),
            Field::new("rating", DataType::Utf8, true),
        ],
        vec![
            Arc::new(id.finish()),
            Arc::new(name.finish()),
            Arc::new(district.finish()),
            Arc::new(households.finish()),
            Arc::new(rating.finish()),
        ],
    )?;
    let (mut id, mut community, mut name, mut serving, mut post, mut start, mut end) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        BooleanBuilder::new(),
        StringBuilder::new(),
        Date32Builder::new(),
        Date32Builder::new(),
    );
    for p in &input.people {
        for h in &p.posts {
            id.append_value(&p.id);
            community.append_value(&p.community);
            name.append_value(&p.name);
            serving.append_value(p.serving);
            post.append_value(&h.post);
            start.append_value(days(h.start));
            end.append_option(h.end.map(days));
        }
    }
    let people = table(
        py,
        vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("community", DataType::Utf8, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("serving", DataType::Boolean, false),
            Field::new("post", DataType::Utf8, false),
            Field::new("start", DataType::Date32, false),
            Field::new("end", DataType::Date32, true),
        ],
        vec![
            Arc::new(id.finish()),
            Arc::new(community.finish()),
            Arc::new(name.finish()),
            Arc::new(serving.finish()),
            Arc::new(post.finish()),
            Arc::new(start.finish()),
            Arc::new(end.finish()),
        ],
    )?;
    Ok((communities, people))
}

/// `(communities, people)` of a realistic city (`shequ::realistic::city`:
/// integer ids in no order, people one row per post held, about one in
/// twelve holding two, rows in the blocks of two registers) as
/// `pyarrow.Table`s. Ids (`communities.id`, `people.id`,
/// `people.community`) are int64; names, districts, ratings and posts utf8;
/// `start` and `end` date32 (`end` null for a post still held); `serving`
/// bool.
#[pyfunction]
#[pyo3(signature = (communities, seed = 1))]
pub fn realistic_tables<'py>(
    py: Python<'py>,
    communities: usize,
    seed: u64,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let (c, p) = py.detach(|| {
        let city = shequ::realistic::city(communities, seed);
        let (c, p) = (city.communities, city.people);
        let c: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(c.id)),
            Arc::new(StringArray::from_iter_values(&c.name)),
            Arc::new(StringArray::from_iter_values(&c.district)),
            Arc::new(Int64Array::from(c.households)),
            Arc::new(StringArray::from_iter_values(&c.rating)),
        ];
        let p: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(p.id)),
            Arc::new(Int64Array::from(p.community)),
            Arc::new(StringArray::from_iter_values(&p.name)),
            Arc::new(StringArray::from_iter_values(&p.post)),
            Arc::new(Date32Array::from_iter_values(
                p.start.iter().map(|d| days(*d)),
            )),
            Arc::new(p.end.iter().map(|e| e.map(days)).collect::<Date32Array>()),
            Arc::new(BooleanArray::from(p.serving)),
        ];
        (c, p)
    });
    let communities = table(
        py,
        vec![
            Field::new("id", DataType::Int64, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("district", DataType::Utf8, false),
            Field::new("households", DataType::Int64, false),
            Field::new("rating", DataType::Utf8, false),
        ],
        c,
    )?;
    let people = table(
        py,
        vec![
            Field::new("id", DataType::Int64, false),
            Field::new("community", DataType::Int64, false),
            Field::new("name", DataType::Utf8, false),
            Field::new("post", DataType::Utf8, false),
            Field::new("start", DataType::Date32, false),
            Field::new("end", DataType::Date32, true),
            Field::new("serving", DataType::Boolean, false),
        ],
        p,
    )?;
    Ok((communities, people))
}
