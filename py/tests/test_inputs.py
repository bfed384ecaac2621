"""Tables in: pandas, polars, pyarrow and lists of dicts give the same
budget; dates as date, text or Arrow dates; bad cells give one clear
exception naming the record, row and field."""

from __future__ import annotations

import datetime
import multiprocessing
import os
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import shequ


def totals(b: shequ.Budget) -> dict[str, dict[str, Decimal]]:
    return {by: b.totals(by) for by in ("payer", "rule", "community")}


def test_every_table_form_gives_the_same_budget(
    jilin: shequ.Policy, communities: list[dict[str, Any]], people: list[dict[str, Any]]
) -> None:
    want = totals(jilin.budget(communities, people, year=2026))
    c_df, p_df = pd.DataFrame(communities), pd.DataFrame(people)
    forms = {
        "pandas": (c_df, p_df),
        "polars": (pl.DataFrame(communities), pl.from_pandas(p_df.astype({"start": str}))),
        "pyarrow": (pa.Table.from_pandas(c_df), pa.Table.from_pandas(p_df.astype({"start": str}))),
        "record batch": (pa.RecordBatch.from_pandas(c_df), pa.Table.from_pandas(p_df.astype({"start": str})).to_batches()[0]),
        # NaN in a flag column is refused (issue 16): the records say None.
        "dict of columns": ({k: list(c_df[k]) for k in c_df.columns}, p_df.astype(object).where(p_df.notna(), None).to_dict("records")),
        "tuple and generator": (tuple(communities), (p for p in people)),
        "chunked arrow": (pa.concat_tables([pa.Table.from_pylist(communities[:1]), pa.Table.from_pylist(communities[1:])]), people),
    }
    for name, (c, p) in forms.items():
        assert totals(jilin.budget(c, p, year=2026)) == want, name
    assert want["payer"]["city"] > 0
    # A float NaN where a flag belongs is a flag nobody gave: refused, named.
    with pytest.raises(shequ.InputError) as e:
        jilin.budget(communities, p_df.to_dict("records"), year=2026)
    assert (e.value.code, e.value.field) == ("invalid_number", "serving")


def test_dates_as_date_text_datetime_and_arrow(jiayuguan: shequ.Policy) -> None:
    c = [{"id": "C1", "households": 1000}]
    base = {"id": "P1", "community": "C1", "post": "group_leader"}
    starts: list[Any] = [
        datetime.date(2020, 2, 29),
        "2020-02-29",
        "2020-02-29 00:00:00",
        datetime.datetime(2020, 2, 29, 8, 30),
        pd.Timestamp("2020-02-29"),
        np.datetime64("2020-02-29"),
    ]
    budgets = [jiayuguan.budget(c, [{**base, "start": s}], year=2026).total for s in starts]
    assert len(set(budgets)) == 1 and budgets[0] > 0
    arrow_kinds = [pa.date32(), pa.date64(), pa.timestamp("s"), pa.timestamp("us", tz="Asia/Shanghai"), pa.string()]
    for t in arrow_kinds:
        value = "2020-02-29" if t == pa.string() else datetime.datetime(2020, 2, 29)
        people = pa.table({**{k: [v] for k, v in base.items()}, "start": pa.array([value], type=t if t != pa.string() else None)})
        assert jiayuguan.budget(c, people, year=2026).total == budgets[0], str(t)
    # pandas datetime64 columns, with and without a time zone
    df = pd.DataFrame([{**base, "start": "2020-02-29"}])
    df["start"] = pd.to_datetime(df["start"])
    assert jiayuguan.budget(c, df, year=2026).total == budgets[0]
    df["start"] = df["start"].dt.tz_localize("Asia/Shanghai")
    assert jiayuguan.budget(c, df, year=2026).total == budgets[0]


def test_arrow_dates_before_and_after_1970_read_as_their_text(jiayuguan: shequ.Policy) -> None:
    days = ["1965-05-01", "1969-12-31", "1970-01-01", "2000-02-29", "2020-02-29"]
    c = [{"id": f"C{k}", "households": 1000} for k in range(len(days))]
    rows = [{"id": f"P{k}", "community": f"C{k}", "post": "group_leader", "start": d} for k, d in enumerate(days)]
    as_text = jiayuguan.budget(c, rows, year=2026).totals("community")
    dates = pa.array([datetime.date.fromisoformat(d) for d in days], type=pa.date32())
    table = pa.Table.from_pylist(rows).set_column(3, "start", dates)
    assert table.schema.field("start").type == pa.date32()
    assert jiayuguan.budget(c, table, year=2026).totals("community") == as_text
    assert len(set(as_text.values())) > 1


def test_household_counts_in_every_numeric_form(jilin: shequ.Policy) -> None:
    want = jilin.budget([{"id": "C1", "households": 2750, "rating": "ordinary"}], year=2026).total
    for h in [2750.0, "2750", Decimal("2750"), np.int64(2750), np.float64(2750.0), np.int32(2750)]:
        got = jilin.budget([{"id": "C1", "households": h, "rating": "ordinary"}], year=2026).total
        assert got == want, repr(h)
    for t in [pa.int8(), pa.int16(), pa.uint16(), pa.int32(), pa.uint64(), pa.float32(), pa.decimal128(10, 0), pa.decimal256(40, 2)]:
        if t == pa.int8():
            continue  # 2750 does not fit
        table = pa.table({"id": ["C1"], "households": pa.array([2750], type=t), "rating": ["ordinary"]})
        assert jilin.budget(table, year=2026).total == want, str(t)
    nullable = pd.DataFrame({"id": ["C1"], "households": pd.array([2750], dtype="Int64"), "rating": ["ordinary"]})
    assert jilin.budget(nullable, year=2026).total == want
    categorical = pd.DataFrame({"id": ["C1"], "households": [2750], "rating": pd.Categorical(["ordinary"])})
    assert jilin.budget(categorical, year=2026).total == want


def expect_input_error(call: Any, code: str, field: str | None = None, record_id: str | None = None, row: int | None = None) -> shequ.InputError:
    with pytest.raises(shequ.InputError) as info:
        call()
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, shequ.ShequError)
    assert e.code == code, str(e)
    if field is not None:
        assert e.field == field, str(e)
    if record_id is not None:
        assert e.record_id == record_id, str(e)
    if row is not None:
        assert e.row == row, str(e)
    return e


BAD_HOUSEHOLDS: list[tuple[Any, str]] = [
    (float("nan"), "missing_field"),
    (None, "missing_field"),
    (pd.NA, "missing_field"),
    (-1, "negative_households"),
    (-1.0, "negative_households"),
    (2750.5, "fractional_households"),
    (Decimal("2750.5"), "fractional_households"),
    ("2750.5", "fractional_households"),
    ("lots", "invalid_number"),
    (True, "invalid_number"),
    (float("inf"), "fractional_households"),
    (10**30, "invalid_number"),
    (10**9, "absurd_households"),
]


@pytest.mark.parametrize("value,code", BAD_HOUSEHOLDS, ids=[repr(v) for v, _ in BAD_HOUSEHOLDS])
def test_bad_household_counts_name_the_row(jilin: shequ.Policy, value: Any, code: str) -> None:
    rows = [{"id": "C1", "households": 100, "rating": "ordinary"}, {"id": "C2", "households": value, "rating": "ordinary"}]
    expect_input_error(lambda: jilin.budget(rows, year=2026), code, "households", "C2", 1)


def test_bad_households_in_dataframes(jilin: shequ.Policy) -> None:
    df = pd.DataFrame({"id": ["C1", "C2"], "households": [100.0, float("nan")], "rating": ["ordinary"] * 2})
    expect_input_error(lambda: jilin.budget(df, year=2026), "missing_field", "households", "C2", 1)
    df = pd.DataFrame({"id": ["C1", "C2"], "households": [100.0, 12.5], "rating": ["ordinary"] * 2})
    expect_input_error(lambda: jilin.budget(df, year=2026), "fractional_households", "households", "C2", 1)
    ldf = pl.DataFrame({"id": ["C1", "C2"], "households": [100, -4], "rating": ["ordinary"] * 2})
    expect_input_error(lambda: jilin.budget(ldf, year=2026), "negative_households", "households", "C2", 1)
    table = pa.table({"id": ["C1", "C2"], "households": pa.array([1, None], pa.int64()), "rating": ["ordinary"] * 2})
    expect_input_error(lambda: jilin.budget(table, year=2026), "missing_field", "households", "C2", 1)


def test_bad_people_rows(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    def people(**change: Any) -> list[dict[str, Any]]:
        ok = {"id": "P1", "community": "C1", "post": "director", "start": "2020-01-01"}
        return [ok, {**ok, "id": "P2", "post": "member", **change}]

    def run(p: Any) -> Callable[[], Any]:
        return lambda: jilin.budget(communities, p, year=2026)

    expect_input_error(run(people(post="mayor")), "unknown_post", "post", "P2")
    expect_input_error(run(people(start="2020-02-30")), "invalid_date", "start", "P2", 1)
    expect_input_error(run(people(start="last spring")), "invalid_date", "start", "P2", 1)
    expect_input_error(run(people(start=None)), "missing_field", "start", "P2", 1)
    expect_input_error(run(people(start=20200101.5)), "invalid_date", "start", "P2", 1)
    expect_input_error(run(people(community="C9")), "unknown_community", "community", "P2")
    expect_input_error(run(people(end="2019-01-01")), "start_after_end", None, "P2")
    expect_input_error(run(people(serving="perhaps")), "invalid_number", "serving", "P2", 1)
    expect_input_error(run(people(id="")), "empty_id", "id", None, 1)
    expect_input_error(run([{"id": "P1", "community": "C1", "posts": []}]), "no_posts", "posts", "P1", 0)
    # Two rows of one person that disagree.
    expect_input_error(run(people(id="P1", community="C2")), "conflicting_rows", "community", "P1", 1)
    # A person record with a list of posts is named by its own position.
    nested = [
        {"id": "P1", "community": "C1", "posts": [{"post": "director", "start": "2020-01-01"}, {"post": "member", "start": "2020-01-01"}]},
        {"id": "P2", "community": "C1", "posts": [{"post": "member", "start": "2020-01-01"}, {"post": "assistant", "start": "2020-01-01"}]},
        {"id": "P1", "community": "C2", "posts": [{"post": "member", "start": "2021-01-01"}]},
    ]
    expect_input_error(run(nested), "conflicting_rows", "community", "P1", 2)


def test_duplicate_ids(jilin: shequ.Policy) -> None:
    rows = [{"id": "C1", "households": 1, "rating": "ordinary"}, {"id": "C1", "households": 2, "rating": "ordinary"}]
    expect_input_error(lambda: jilin.budget(rows, year=2026), "duplicate_id", None, "C1")
    expect_input_error(lambda: jilin.budget(pd.DataFrame(rows), year=2026), "duplicate_id", None, "C1")


def test_money_must_be_exact(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    adj = [{"community": "C1", "amount": 0.1, "reason": "float"}]
    expect_input_error(lambda: jilin.budget(communities, adjustments=adj, year=2026), "invalid_number", "amount", None, 0)
    ok = [{"community": "C1", "amount": "1234.56", "reason": "rent"}, {"community": "C2", "amount": Decimal("-0.01"), "reason": "fix"}]
    base = jilin.budget(communities, year=2026).total
    assert jilin.budget(communities, adjustments=ok, year=2026).total == base + Decimal("1234.55")
    df = pd.DataFrame(ok)  # an object column of str and Decimal: read cell by cell
    assert jilin.budget(communities, adjustments=df, year=2026).total == base + Decimal("1234.55")


def test_mixed_type_pandas_columns_and_named_index(jilin: shequ.Policy) -> None:
    df = pd.DataFrame({"id": ["C1", 2], "households": [100, "200"], "rating": ["ordinary", "ordinary"]})
    b = jilin.budget(df, year=2026)
    assert set(b.totals("community")) == {"C1", "2"}
    indexed = pd.DataFrame({"id": ["C1", "C2"], "households": [100, 200], "rating": ["ordinary"] * 2}).set_index("id")
    assert set(jilin.budget(indexed, year=2026).totals("community")) == {"C1", "C2"}


def test_unreadable_tables_are_type_errors(jilin: shequ.Policy) -> None:
    with pytest.raises(TypeError, match="communities"):
        jilin.budget(42, year=2026)
    with pytest.raises(TypeError, match="households"):
        jilin.budget(pa.table({"id": ["C1"], "households": [[1, 2]]}), year=2026)
    with pytest.raises(TypeError, match="year"):
        jilin.budget([], year="2026")  # type: ignore[arg-type]
    # A row that is not a mapping is an input error naming the row.
    expect_input_error(lambda: jilin.budget([{"id": "C1", "households": 1}, 7], year=2026), "missing_field", "(row)", None, 1)
    # Columns shequ does not read are ignored, whatever their type.
    extra = pa.table({"id": ["C1"], "households": [1], "rating": ["ordinary"], "notes": [[1, 2]]})
    assert jilin.budget(extra, year=2026).total > 0


def test_options_are_checked(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    expect_input_error(lambda: jilin.budget(communities, year=2026, quota="maybe"), "bad_request")  # type: ignore[arg-type]
    expect_input_error(lambda: jilin.budget(communities, year=2026, ratings="vibes"), "bad_request")  # type: ignore[arg-type]
    expect_input_error(lambda: jilin.budget(communities, year=2026, as_of="2026-13-01"), "invalid_date", "as_of")
    expect_input_error(lambda: jilin.budget(communities, year=1800), "out_of_range", "year")
    ytd = jilin.budget(communities, [{"id": "P1", "community": "C1", "post": "director", "start": "2020-01-01"}], year=2026, as_of=datetime.date(2026, 3, 1))
    assert ytd.as_of == datetime.date(2026, 3, 1)
    assert ytd.totals("rule")["stipend"] == Decimal("3600.00")  # Jan–Mar × 1200
    expect_input_error(lambda: jilin.budget([{"id": "C1", "households": 5000, "rating": "ordinary"}], year=2026, max_households=4000), "absurd_households")


def test_people_as_person_objects_with_posts(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    flat = [
        {"id": "P1", "community": "C1", "post": "director", "start": "2015-01-01"},
        {"id": "P1", "community": "C1", "post": "member", "start": "2012-03-01"},
    ]
    nested = [{"id": "P1", "community": "C1", "posts": [{"post": "director", "start": "2015-01-01"}, {"post": "member", "start": "2012-03-01"}]}]
    a, b = jilin.budget(communities, flat, year=2026), jilin.budget(communities, nested, year=2026)
    assert totals(a) == totals(b)
    assert "lower_post_not_paid" in {n.code for n in a.exclusions}


def test_columns_shequ_does_not_read_are_warned_about(jiayuguan: shequ.Policy) -> None:
    # A misspelt `serving` column would pay everyone: the budget says so.
    c = [{"id": "C1", "households": 1000, "office_aera": "300"}]
    p = [{"id": "P1", "community": "C1", "post": "group_member", "start": "2026-01-01", "servng": True}]
    forms: dict[str, tuple[Any, Any]] = {
        "dicts": (c, p),
        "pandas": (pd.DataFrame(c), pd.DataFrame(p)),
        "polars": (pl.DataFrame(c), pl.DataFrame(p)),
        "pyarrow": (pa.Table.from_pylist(c), pa.Table.from_pylist(p)),
    }
    for name, (cs, ps) in forms.items():
        b = jiayuguan.budget(cs, ps, year=2026)
        unknown = [w.en for w in b.warnings if w.code == "unknown_column"]
        assert unknown == [
            "column `office_aera` of communities is not one shequ reads and was ignored (did you mean `office_area`?)",
            "column `servng` of people is not one shequ reads and was ignored (did you mean `serving`?)",
        ], name
        assert b.total == Decimal("2400.00"), name
        # The compliance report of the same tables says the same.
        report = jiayuguan.compliance(cs, ps, year=2026)
        assert [w.en for w in report.warnings] == unknown, name
        assert "2 warnings" in repr(report), name
    # Person records with a `posts` list: a person field in a post record.
    nested = [{"id": "P1", "community": "C1", "posts": [{"post": "group_member", "start": "2026-01-01", "serving": True}]}]
    b = jiayuguan.budget([{"id": "C1", "households": 1000}], nested, year=2026)
    assert [w.en for w in b.warnings] == [
        "column `serving` of posts (of a person record) is not one shequ reads and was ignored (did you mean `serving`?)"
    ]
    clean = jiayuguan.budget([{"id": "C1", "households": 1000}], [{k: v for k, v in p[0].items() if k != "servng"}], year=2026)
    assert clean.warnings == []
    assert jiayuguan.compliance([{"id": "C1", "households": 1000}], year=2026).warnings == []


def test_long_arrow_tables_in_several_batches(jilin: shequ.Policy) -> None:
    # A city large enough for the core's two threads, its people in three
    # Arrow batches: the budget and the first bad row are those of the same
    # rows as dicts.
    n = 45_001
    communities = [{"id": f"C{k:03}", "households": 1000 + k, "rating": "ordinary"} for k in range(300)]
    people = [
        {"id": f"P{i:06}", "community": f"C{i % 300:03}", "post": "member", "start": "2020-01-01"} for i in range(n)
    ]

    def in_batches(rows: list[dict[str, Any]]) -> pa.Table:
        table = pa.Table.from_pylist(rows)
        return pa.Table.from_batches([*table.slice(0, 10).to_batches(), *table.slice(10, 30_000).to_batches(), *table.slice(30_010).to_batches()])

    batches = in_batches(people)
    assert batches.num_rows == n and len(batches.to_batches()) == 3
    want = jilin.budget(communities, people, year=2026).totals()
    assert jilin.budget(pa.Table.from_pylist(communities), batches, year=2026).totals() == want
    for bad in ([40_000], [31_000, 40_000], [5, 44_000]):
        rows = [dict(p) for p in people]
        for i in bad:
            rows[i]["start"] = "2020-02-30"
        expect_input_error(
            lambda: jilin.budget(communities, in_batches(rows), year=2026),
            "invalid_date",
            "start",
            f"P{bad[0]:06}",
            bad[0],
        )


def _large_city_total_in_a_child(communities: int) -> str:
    tables = shequ._native.synthetic_tables("jiayuguan-2020-97", communities, 1)
    return str(shequ.Policy.builtin("jiayuguan-2020-97").budget(*tables, year=2026).total)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_child_forked_after_a_large_budget_computes_one_too(jiayuguan: shequ.Policy) -> None:
    # 1000 communities of 29 people: large enough for the core's two
    # threads, which a forked child does not inherit (it must not wait for
    # them, but compute on its own thread).
    tables = shequ._native.synthetic_tables("jiayuguan-2020-97", 1000, 1)
    want = str(jiayuguan.budget(*tables, year=2026).total)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(_large_city_total_in_a_child, (1000,)).get(timeout=120)
    assert got == want
