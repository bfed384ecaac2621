//! Budgets out as Arrow tables: money as `decimal128(18, 2)`, exact, never
//! float; percentages as decimal128 at the scale the policy uses.
//!
//! Precision 18 (up to 10^16 yuan) leaves room for arithmetic: pandas and
//! pyarrow widen the precision of a sum of two columns, and 38 is the most
//! decimal128 can take. An amount that does not fit is refused (`overflow`).

use arrow_array::builder::{Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;
use shequ::budget::{ADJUSTMENT, NO_POST};
use shequ::diff::{BudgetDiff, Change};
use shequ::explain::Explainer;
use shequ::frame::NONE;
use shequ::{Budget, Id, Lang};
use std::collections::HashMap;
use std::sync::Arc;

/// Precision of every decimal column.
const PRECISION: u8 = 18;
/// 10^18: the first mantissa that does not fit [`PRECISION`] digits.
const LIMIT: i128 = 1_000_000_000_000_000_000;

/// Why a table could not be built.
#[derive(Debug)]
pub enum OutputError {
    /// A broken invariant: a bug.
    Bug(String),
    /// An amount too large for the column.
    TooLarge(Decimal),
}

type Out<T> = Result<T, OutputError>;

/// `d` as an integer count of `10^-scale`, refusing to round.
fn scaled(d: Decimal, scale: u32) -> Out<i128> {
    let mut x = d;
    x.rescale(scale);
    if x != d || x.scale() != scale {
        return Err(OutputError::Bug(format!(
            "`{d}` does not fit {scale} decimals"
        )));
    }
    let m = x.mantissa();
    if m.abs() >= LIMIT {
        return Err(OutputError::TooLarge(d));
    }
    Ok(m)
}

struct Money(Decimal128Builder);

impl Money {
    fn new(capacity: usize, scale: u32) -> Out<Self> {
        let s = i8::try_from(scale).map_err(|_| OutputError::Bug(format!("scale {scale}")))?;
        Decimal128Builder::with_capacity(capacity)
            .with_precision_and_scale(PRECISION, s)
            .map(Money)
            .map_err(|e| OutputError::Bug(e.to_string()))
    }
    fn fen(capacity: usize) -> Out<Self> {
        Self::new(capacity, 2)
    }
    fn push(&mut self, d: Decimal, scale: u32) -> Out<()> {
        self.0.append_value(scaled(d, scale)?);
        Ok(())
    }
    /// An amount in whole fen (a column at scale 2).
    fn push_fen(&mut self, fen: i64) -> Out<()> {
        let m = i128::from(fen);
        if m.abs() >= LIMIT {
            return Err(OutputError::TooLarge(shequ::money::from_fen(fen)));
        }
        self.0.append_value(m);
        Ok(())
    }
    fn field(name: &str, scale: u32) -> Field {
        Field::new(
            name,
            DataType::Decimal128(PRECISION, i8::try_from(scale).unwrap_or(2)),
            false,
        )
    }
    fn finish(mut self) -> ArrayRef {
        Arc::new(self.0.finish())
    }
}

fn str_col(capacity: usize) -> StringBuilder {
    StringBuilder::with_capacity(capacity, capacity * 8)
}

fn metadata(b: &Budget) -> HashMap<String, String> {
    HashMap::from([
        ("shequ.policy".to_string(), b.policy.clone()),
        ("shequ.policy_version".to_string(), b.policy_version.clone()),
        ("shequ.document".to_string(), b.document.clone()),
        ("shequ.year".to_string(), b.year.to_string()),
    ])
}

fn batch(
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
    meta: HashMap<String, String>,
) -> Out<(RecordBatch, Arc<Schema>)> {
    let schema = Arc::new(Schema::new_with_metadata(fields, meta));
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| OutputError::Bug(e.to_string()))?;
    Ok((batch, schema))
}

/// An id column: `int64` when every id is a whole number, else `utf8`.
enum Ids {
    Int(Int64Builder),
    Text(StringBuilder),
}

impl Ids {
    fn new(int: bool, n: usize) -> Self {
        if int {
            Ids::Int(Int64Builder::with_capacity(n))
        } else {
            Ids::Text(str_col(n))
        }
    }
    fn push(&mut self, id: Option<&Id>) {
        match (self, id) {
            (Ids::Int(b), Some(Id::Int(i))) => b.append_value(*i),
            (Ids::Int(b), Some(Id::Text(t))) => b.append_option(t.parse::<i64>().ok()),
            (Ids::Text(b), Some(id)) => b.append_value(id.text()),
            (Ids::Int(b), None) => b.append_null(),
            (Ids::Text(b), None) => b.append_null(),
        }
    }
    fn data_type(&self) -> DataType {
        match self {
            Ids::Int(_) => DataType::Int64,
            Ids::Text(_) => DataType::Utf8,
        }
    }
    fn finish(&mut self) -> ArrayRef {
        match self {
            Ids::Int(b) => Arc::new(b.finish()),
            Ids::Text(b) => Arc::new(b.finish()),
        }
    }
}

/// Item columns shared by the two views.
struct ItemCols {
    item: Int64Builder,
    community: Ids,
    person: Ids,
    rule: StringBuilder,
    post: StringBuilder,
    months: Int64Builder,
    clause: StringBuilder,
    source: StringBuilder,
}

impl ItemCols {
    fn new(b: &Budget, n: usize) -> Self {
        let frame = b.input();
        ItemCols {
            item: Int64Builder::with_capacity(n),
            community: Ids::new(frame.communities.id.is_int(), n),
            person: Ids::new(frame.people.id.is_int(), n),
            rule: str_col(n),
            post: str_col(n),
            months: Int64Builder::with_capacity(n),
            clause: str_col(n),
            source: str_col(n),
        }
    }
    fn push(&mut self, b: &Budget, e: &Explainer<'_>, i: usize) -> Out<()> {
        let items = &b.items;
        let frame = b.input();
        let file = b.policy().file();
        self.item.append_value(i64::try_from(i).unwrap_or(i64::MAX));
        self.community
            .push(Some(&frame.community_id(items.community[i] as usize)));
        let p = items.person[i];
        self.person
            .push((p != NONE).then(|| frame.person_id(p as usize)).as_ref());
        let rule = match items.rule[i] {
            ADJUSTMENT => "adjustment",
            r => file.rules.get(r as usize).map_or("", |r| r.id()),
        };
        self.rule.append_value(rule);
        self.post.append_option(match items.post[i] {
            NO_POST => None,
            k => file.posts.get(k as usize).map(|p| p.id.as_str()),
        });
        self.months
            .append_option(items.month_count(i).map(i64::from));
        let prov = e
            .provenance(i)
            .ok_or_else(|| OutputError::Bug(format!("item {i} has no provenance")))?;
        self.clause.append_value(&prov.clause);
        self.source.append_value(prov.source.as_str());
        Ok(())
    }
    fn head(&mut self) -> (Vec<Field>, Vec<ArrayRef>) {
        let fields = vec![
            Field::new("item", DataType::Int64, false),
            Field::new("community", self.community.data_type(), false),
            Field::new("person", self.person.data_type(), true),
            Field::new("rule", DataType::Utf8, false),
            Field::new("post", DataType::Utf8, true),
            Field::new("months", DataType::Int64, true),
        ];
        let cols: Vec<ArrayRef> = vec![
            Arc::new(self.item.finish()),
            self.community.finish(),
            self.person.finish(),
            Arc::new(self.rule.finish()),
            Arc::new(self.post.finish()),
            Arc::new(self.months.finish()),
        ];
        (fields, cols)
    }
    fn tail(&mut self) -> (Vec<Field>, Vec<ArrayRef>) {
        (
            vec![
                Field::new("clause", DataType::Utf8, false),
                Field::new("source", DataType::Utf8, false),
            ],
            vec![
                Arc::new(self.clause.finish()),
                Arc::new(self.source.finish()),
            ],
        )
    }
}

/// The per-payer view: one row per item and payer.
pub fn lines(b: &Budget) -> Out<(RecordBatch, Arc<Schema>)> {
    let items = &b.items;
    let n: usize = items
        .split
        .iter()
        .map(|s| b.splits.get(*s as usize).map_or(0, |s| s.payers.len()))
        .sum();
    let percent_scale = b
        .splits
        .iter()
        .flat_map(|s| s.percents.iter().map(|p| p.scale()))
        .max()
        .unwrap_or(0);
    let e = b.explainer();
    let mut base = ItemCols::new(b, n);
    let mut payer = str_col(n);
    let mut percent = Money::new(n, percent_scale)?;
    let mut amount = Money::fen(n)?;
    let mut item_amount = Money::fen(n)?;
    for i in 0..items.len() {
        let Some(split) = b.splits.get(items.split[i] as usize) else {
            continue;
        };
        for (p, pct) in split.payers.iter().zip(&split.percents) {
            base.push(b, &e, i)?;
            payer.append_value(b.payers.get(*p as usize).map_or("", String::as_str));
            percent.push(*pct, percent_scale)?;
            let share = items
                .shares
                .get(*p as usize)
                .and_then(|c| c.get(i))
                .copied()
                .unwrap_or(0);
            amount.push_fen(share)?;
            item_amount.push_fen(items.amount[i])?;
        }
    }
    let (mut fields, mut cols) = base.head();
    fields.extend([
        Field::new("payer", DataType::Utf8, false),
        Money::field("percent", percent_scale),
        Money::field("amount", 2),
        Money::field("item_amount", 2),
    ]);
    cols.extend([
        Arc::new(payer.finish()) as ArrayRef,
        percent.finish(),
        amount.finish(),
        item_amount.finish(),
    ]);
    let (f, c) = base.tail();
    fields.extend(f);
    cols.extend(c);
    batch(fields, cols, metadata(b))
}

/// The item view: one row per item, one money column per payer, and an
/// explanation column when `explain` names a language.
pub fn items(b: &Budget, explain: Option<Lang>) -> Out<(RecordBatch, Arc<Schema>)> {
    let items = &b.items;
    let n = items.len();
    let payers: Vec<&str> = b.totals.by_payer.iter().map(|(p, _)| p.as_str()).collect();
    let e = b.explainer();
    let mut base = ItemCols::new(b, n);
    let mut amount = Money::fen(n)?;
    let mut per_payer: Vec<Money> = payers.iter().map(|_| Money::fen(n)).collect::<Out<_>>()?;
    let mut explanation = str_col(if explain.is_some() { n } else { 0 });
    for i in 0..n {
        base.push(b, &e, i)?;
        amount.push_fen(items.amount[i])?;
        for (k, col) in per_payer.iter_mut().enumerate() {
            let share = items
                .shares
                .get(k)
                .and_then(|c| c.get(i))
                .copied()
                .unwrap_or(0);
            col.push_fen(share)?;
        }
        if let Some(lang) = explain {
            explanation.append_value(e.sentence(i, lang).unwrap_or_default());
        }
    }
    let (mut fields, mut cols) = base.head();
    fields.push(Money::field("amount", 2));
    cols.push(amount.finish());
    const TAKEN: &[&str] = &[
        "item",
        "community",
        "person",
        "rule",
        "post",
        "months",
        "amount",
        "clause",
        "source",
        "explanation",
    ];
    for (p, col) in payers.iter().zip(per_payer) {
        let name = if TAKEN.contains(p) {
            format!("payer_{p}")
        } else {
            (*p).to_string()
        };
        fields.push(Money::field(&name, 2));
        cols.push(col.finish());
    }
    let (f, c) = base.tail();
    fields.extend(f);
    cols.extend(c);
    if explain.is_some() {
        fields.push(Field::new("explanation", DataType::Utf8, false));
        cols.push(Arc::new(explanation.finish()));
    }
    batch(fields, cols, metadata(b))
}

/// Which totals.
#[derive(Debug, Clone, Copy)]
pub enum By {
    /// Per payer.
    Payer,
    /// Per rule.
    Rule,
    /// Per community.
    Community,
    /// Per community and payer.
    CommunityPayer,
}

impl By {
    /// Read `payer`, `rule` or `community`.
    pub fn parse(s: &str) -> Option<By> {
        match s {
            "payer" => Some(By::Payer),
            "rule" => Some(By::Rule),
            "community" => Some(By::Community),
            "community,payer" => Some(By::CommunityPayer),
            _ => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            By::Payer => "payer",
            By::Rule => "rule",
            By::Community | By::CommunityPayer => "community",
        }
    }
    /// The diff's changes of this kind.
    pub fn changes(self, d: &BudgetDiff) -> &[Change] {
        match self {
            By::Payer => &d.by_payer,
            By::Rule => &d.by_rule,
            By::Community | By::CommunityPayer => &d.by_community,
        }
    }
}

/// Totals as a table: the key column (two, community and payer, for
/// `community,payer`) and `amount`.
pub fn totals(b: &Budget, by: By) -> Out<(RecordBatch, Arc<Schema>)> {
    if let By::CommunityPayer = by {
        let by = b.community_payer_fen();
        let n = by.len() * b.payers.len();
        let frame = b.input();
        let mut community = Ids::new(frame.communities.id.is_int(), n);
        let mut payer = str_col(n);
        let mut amount = Money::fen(n)?;
        for (c, row) in by.iter().enumerate() {
            let id = frame.community_id(c);
            for (k, fen) in row.iter().enumerate() {
                community.push(Some(&id));
                payer.append_value(&b.payers[k]);
                let fen = i64::try_from(*fen).map_err(|_| OutputError::TooLarge(Decimal::MAX))?;
                amount.push_fen(fen)?;
            }
        }
        return batch(
            vec![
                Field::new("community", community.data_type(), false),
                Field::new("payer", DataType::Utf8, false),
                Money::field("amount", 2),
            ],
            vec![
                community.finish(),
                Arc::new(payer.finish()),
                amount.finish(),
            ],
            metadata(b),
        );
    }
    let rows: Vec<(Id, Decimal)> = match by {
        By::Payer => b
            .totals
            .by_payer
            .iter()
            .map(|(k, v)| (Id::from(k.as_str()), *v))
            .collect(),
        By::Rule => b
            .totals
            .by_rule
            .iter()
            .map(|(k, v)| (Id::from(k.as_str()), *v))
            .collect(),
        By::Community | By::CommunityPayer => b.community_totals().collect(),
    };
    let mut key = Ids::new(
        !rows.is_empty() && rows.iter().all(|(k, _)| matches!(k, Id::Int(_))),
        rows.len(),
    );
    let mut amount = Money::fen(rows.len())?;
    for (k, v) in &rows {
        key.push(Some(k));
        amount.push(*v, 2)?;
    }
    batch(
        vec![
            Field::new(by.name(), key.data_type(), false),
            Money::field("amount", 2),
        ],
        vec![key.finish(), amount.finish()],
        metadata(b),
    )
}

/// A comparison as a table: the key, `before`, `after`, `change`.
pub fn diff(d: &BudgetDiff, by: By) -> Out<(RecordBatch, Arc<Schema>)> {
    let rows = by.changes(d);
    let mut key = Ids::new(
        !rows.is_empty() && rows.iter().all(|c| matches!(c.key, Id::Int(_))),
        rows.len(),
    );
    let (mut before, mut after, mut change) = (
        Money::fen(rows.len())?,
        Money::fen(rows.len())?,
        Money::fen(rows.len())?,
    );
    for c in rows {
        key.push(Some(&c.key));
        before.push(c.before, 2)?;
        after.push(c.after, 2)?;
        change.push(c.change, 2)?;
    }
    batch(
        vec![
            Field::new(by.name(), key.data_type(), false),
            Money::field("before", 2),
            Money::field("after", 2),
            Money::field("change", 2),
        ],
        vec![
            key.finish(),
            before.finish(),
            after.finish(),
            change.finish(),
        ],
        HashMap::new(),
    )
}

/// Hand a table to Python as a `pyarrow.Table`.
pub fn to_pyarrow<'py>(
    py: Python<'py>,
    built: (RecordBatch, Arc<Schema>),
) -> PyResult<Bound<'py, PyAny>> {
    let (batch, schema) = built;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}
