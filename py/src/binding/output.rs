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
use shequ::diff::{BudgetDiff, Change};
use shequ::{Budget, Lang};
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

/// Item columns shared by the two views.
struct ItemCols {
    item: Int64Builder,
    community: StringBuilder,
    person: StringBuilder,
    rule: StringBuilder,
    post: StringBuilder,
    months: Int64Builder,
    clause: StringBuilder,
    source: StringBuilder,
}

impl ItemCols {
    fn new(n: usize) -> Self {
        ItemCols {
            item: Int64Builder::with_capacity(n),
            community: str_col(n),
            person: str_col(n),
            rule: str_col(n),
            post: str_col(n),
            months: Int64Builder::with_capacity(n),
            clause: str_col(n),
            source: str_col(n),
        }
    }
    fn push(&mut self, index: usize, it: &shequ::Item) {
        self.item
            .append_value(i64::try_from(index).unwrap_or(i64::MAX));
        self.community.append_value(&it.community);
        self.person.append_option(it.person.as_deref());
        self.rule.append_value(&it.rule);
        self.post.append_option(it.post.as_deref());
        self.months.append_option(it.months.map(i64::from));
        self.clause.append_value(&it.provenance.clause);
        self.source.append_value(it.provenance.source.as_str());
    }
    fn head(&mut self) -> (Vec<Field>, Vec<ArrayRef>) {
        let fields = vec![
            Field::new("item", DataType::Int64, false),
            Field::new("community", DataType::Utf8, false),
            Field::new("person", DataType::Utf8, true),
            Field::new("rule", DataType::Utf8, false),
            Field::new("post", DataType::Utf8, true),
            Field::new("months", DataType::Int64, true),
        ];
        let cols: Vec<ArrayRef> = vec![
            Arc::new(self.item.finish()),
            Arc::new(self.community.finish()),
            Arc::new(self.person.finish()),
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
    let n: usize = b.items.iter().map(|i| i.shares.len()).sum();
    let percent_scale = b
        .items
        .iter()
        .flat_map(|i| i.shares.iter().map(|s| s.percent.scale()))
        .max()
        .unwrap_or(0);
    let mut base = ItemCols::new(n);
    let mut payer = str_col(n);
    let mut percent = Money::new(n, percent_scale)?;
    let mut amount = Money::fen(n)?;
    let mut item_amount = Money::fen(n)?;
    for line in b.lines() {
        base.push(line.item, line.of);
        payer.append_value(&line.share.payer);
        percent.push(line.share.percent, percent_scale)?;
        amount.push(line.share.amount, 2)?;
        item_amount.push(line.of.amount, 2)?;
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
    let n = b.items.len();
    let payers: Vec<&str> = b.totals.by_payer.iter().map(|(p, _)| p.as_str()).collect();
    let mut base = ItemCols::new(n);
    let mut amount = Money::fen(n)?;
    let mut per_payer: Vec<Money> = payers.iter().map(|_| Money::fen(n)).collect::<Out<_>>()?;
    let mut explanation = str_col(if explain.is_some() { n } else { 0 });
    for (i, it) in b.items.iter().enumerate() {
        base.push(i, it);
        amount.push(it.amount, 2)?;
        for (k, p) in payers.iter().enumerate() {
            let share = it
                .shares
                .iter()
                .filter(|s| &*s.payer == *p)
                .map(|s| s.amount)
                .sum();
            if let Some(col) = per_payer.get_mut(k) {
                col.push(share, 2)?;
            }
        }
        if let Some(lang) = explain {
            explanation.append_value(b.explain_item(i, lang).unwrap_or_default());
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
}

impl By {
    /// Read `payer`, `rule` or `community`.
    pub fn parse(s: &str) -> Option<By> {
        match s {
            "payer" => Some(By::Payer),
            "rule" => Some(By::Rule),
            "community" => Some(By::Community),
            _ => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            By::Payer => "payer",
            By::Rule => "rule",
            By::Community => "community",
        }
    }
    /// The budget's totals of this kind.
    pub fn totals(self, b: &Budget) -> &[(String, Decimal)] {
        match self {
            By::Payer => &b.totals.by_payer,
            By::Rule => &b.totals.by_rule,
            By::Community => &b.totals.by_community,
        }
    }
    /// The diff's changes of this kind.
    pub fn changes(self, d: &BudgetDiff) -> &[Change] {
        match self {
            By::Payer => &d.by_payer,
            By::Rule => &d.by_rule,
            By::Community => &d.by_community,
        }
    }
}

/// Totals as a two-column table: the key and `amount`.
pub fn totals(b: &Budget, by: By) -> Out<(RecordBatch, Arc<Schema>)> {
    let rows = by.totals(b);
    let mut key = str_col(rows.len());
    let mut amount = Money::fen(rows.len())?;
    for (k, v) in rows {
        key.append_value(k);
        amount.push(*v, 2)?;
    }
    batch(
        vec![
            Field::new(by.name(), DataType::Utf8, false),
            Money::field("amount", 2),
        ],
        vec![Arc::new(key.finish()), amount.finish()],
        metadata(b),
    )
}

/// A comparison as a table: the key, `before`, `after`, `change`.
pub fn diff(d: &BudgetDiff, by: By) -> Out<(RecordBatch, Arc<Schema>)> {
    let rows = by.changes(d);
    let mut key = str_col(rows.len());
    let (mut before, mut after, mut change) = (
        Money::fen(rows.len())?,
        Money::fen(rows.len())?,
        Money::fen(rows.len())?,
    );
    for c in rows {
        key.append_value(&c.key);
        before.push(c.before, 2)?;
        after.push(c.after, 2)?;
        change.push(c.change, 2)?;
    }
    batch(
        vec![
            Field::new(by.name(), DataType::Utf8, false),
            Money::field("before", 2),
            Money::field("after", 2),
            Money::field("change", 2),
        ],
        vec![
            Arc::new(key.finish()),
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
