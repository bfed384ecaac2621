"""Money out: Decimal scalars and Arrow decimal128(18, 2) columns, never
floats; pandas gets ArrowDtype columns, polars Decimal columns; the views
add up to the totals; explanations, notes and the notebook summary."""

from __future__ import annotations

import datetime
import json
import pickle
import threading
from decimal import Decimal
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import shequ


@pytest.fixture(scope="module")
def city() -> shequ.Budget:
    return shequ.sample("jilin").budget()


def test_money_is_decimal(city: shequ.Budget) -> None:
    assert isinstance(city.total, Decimal)
    assert all(isinstance(v, Decimal) for by in ("payer", "rule", "community") for v in city.totals(by).values())
    assert city.total == Decimal("8548575.00") and str(city.total) == "8548575.00"
    assert sum(city.totals("payer").values(), Decimal(0)) == city.total
    assert sum(city.totals("community").values(), Decimal(0)) == city.total
    assert sum(city.totals("rule").values(), Decimal(0)) == city.total


def test_arrow_views(city: shequ.Budget) -> None:
    lines, items = city.lines("arrow"), city.items("arrow")
    assert isinstance(lines, pa.Table) and isinstance(items, pa.Table)
    for t, col in [(lines, "amount"), (lines, "item_amount"), (items, "amount"), (items, "city"), (items, "district")]:
        assert t.schema.field(col).type == pa.decimal128(18, 2), col
    assert not any(pa.types.is_floating(f.type) for t in (lines, items) for f in t.schema)
    assert items.num_rows == len(city)
    assert lines.num_rows == sum(len(it["shares"]) for it in city.to_dict()["items"])
    assert pc.sum(lines["amount"]).as_py() == city.total
    assert pc.sum(items["amount"]).as_py() == city.total
    for payer, total in city.totals("payer").items():
        assert (pc.sum(pc.filter(lines["amount"], pc.equal(lines["payer"], payer))).as_py() or Decimal("0.00")) == total
        assert pc.sum(items[payer]).as_py() == total
    meta = lines.schema.metadata
    assert meta[b"shequ.policy"] == b"jilin-2011-13" and meta[b"shequ.year"] == b"2026"
    assert set(lines["source"].to_pylist()) <= {"stated", "assumed", "override", "input"}
    assert city.to_arrow().equals(items) and city.to_arrow("lines").equals(lines)


def test_pandas_views_are_exact(city: shequ.Budget) -> None:
    df = city.lines()
    assert isinstance(df, pd.DataFrame)
    assert str(df["amount"].dtype) == "decimal128(18, 2)[pyarrow]"
    total = df["amount"].sum()
    assert isinstance(total, Decimal) and total == city.total
    by_payer = df.groupby("payer")["amount"].sum()
    assert {k: v for k, v in by_payer.items() if v} == {k: v for k, v in city.totals().items() if v}
    items = city.to_pandas()
    assert (items["city"] + items["district"] + items["province"] == items["amount"]).all()
    assert city.items(explain="en")["explanation"].str.contains("clause").all()


def test_polars_views_are_exact(city: shequ.Budget) -> None:
    df = city.to_polars("lines")
    assert isinstance(df, pl.DataFrame)
    assert df.schema["amount"] == pl.Decimal(18, 2)
    assert df["amount"].sum() == city.total


def test_totals_and_diff_frames(city: shequ.Budget) -> None:
    t = city.totals_frame("rule", format="arrow")
    assert t.column_names == ["rule", "amount"] and t.schema.field("amount").type == pa.decimal128(18, 2)
    assert dict(zip(t["rule"].to_pylist(), t["amount"].to_pylist())) == city.totals("rule")
    assert list(city.totals_frame("community")["community"])[:2] == ["C001", "C002"]


def test_explanations(city: shequ.Budget) -> None:
    zh, en = city.explain("C001"), city.explain("C001", "en")
    assert "五(三)" in zh and "元" in zh
    assert "clause 五(三)" in en and "households × 1500 yuan per 100 households" in en
    with pytest.raises(KeyError):
        city.explain("C999")
    with pytest.raises(shequ.InputError):
        city.explain("C001", "fr")  # type: ignore[arg-type]
    assert "五(三)" in city.explain_item(0)
    with pytest.raises(IndexError):
        city.explain_item(10**6)


def test_notes_ratings_quota_and_dict(city: shequ.Budget) -> None:
    ex = city.exclusions
    assert ex and all(isinstance(n, shequ.Note) for n in ex)
    assert ex[0].code == "lower_post_not_paid" and ex[0].zh and ex[0].en
    assert city.warnings == []
    assert city.quota is not None and {c["rating"] for c in city.quota["caps"]} == {"excellent", "good"}
    assert city.ratings[0]["community"] == "C001"
    d = city.to_dict()
    assert d["totals"]["overall"] == "8548575.00" and len(d["items"]) == len(city)
    assert city.policy is not None and city.policy.id == "jilin-2011-13"
    assert city.document == "吉市发[2011]13号" and city.year == 2026 and city.as_of is None


def test_notebook_summary(city: shequ.Budget) -> None:
    html = city._repr_html_()
    assert "<table>" in html and "吉市发[2011]13号" in html
    assert "8,548,575.00" in html and "4,274,287.50" in html
    assert "社区年工作经费" in html and "lower_post_not_paid" in html
    assert "8,548,575.00" in repr(city)


def test_warnings_when_quota_is_broken(jilin: shequ.Policy) -> None:
    rows = [{"id": "C1", "households": 100, "rating": "excellent"}]
    with pytest.raises(shequ.QuotaExceededError) as info:
        jilin.budget(rows, year=2026)
    e = info.value
    assert (e.code, e.rating, e.count, e.cap, e.total) == ("quota_exceeded", "excellent", 1, 0, 1)
    assert isinstance(e, ValueError)
    b = jilin.budget(rows, year=2026, quota="warn")
    assert [w.code for w in b.warnings] == ["quota_exceeded"]


def test_compute_matches_the_tabular_api() -> None:
    s = shequ.sample("jiayuguan")
    a = s.budget()
    b = shequ.compute({"policy": s.policy, "year": s.year, "quota": "warn", "communities": s.communities, "people": s.people})
    assert a.to_dict() == b.to_dict()
    text = json.dumps({"policy": s.policy, "year": s.year, "communities": s.communities, "people": s.people, "quota": "warn"})
    assert shequ.compute(text).total == a.total


def test_threads_share_nothing_and_agree() -> None:
    """The interpreter is released while the core computes; budgets in
    threads agree with one computed alone."""
    s = shequ.sample("jiayuguan")
    c, p = pa.Table.from_pylist(s.communities), pa.Table.from_pylist(s.people)
    policy = shequ.Policy.builtin(s.policy)
    want = policy.budget(c, p, year=s.year, quota="warn").to_dict()
    got: list[dict[str, Any]] = []
    threads = [threading.Thread(target=lambda: got.append(policy.budget(c, p, year=s.year, quota="warn").to_dict())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 4


def test_errors_pickle_and_keep_their_fields() -> None:
    try:
        shequ.Policy.builtin("jilin-2011-13").budget([{"id": "C7", "households": -1}], year=2026)
    except shequ.InputError as e:
        back = pickle.loads(pickle.dumps(e))
        assert (back.code, back.record_id, back.row, back.field, str(back)) == (e.code, "C7", 0, "households", str(e))
        assert back.record == "community"
    else:
        raise AssertionError("expected an InputError")


def test_samples_and_policies() -> None:
    assert set(shequ.SAMPLE_IDS) >= {"jilin", "jiayuguan"}
    with pytest.raises(shequ.InputError):
        shequ.sample("atlantis")
    ids = {p["id"] for p in shequ.builtin_policies()}
    assert ids == set(shequ.Policy.builtin_ids()) >= {"jilin-2011-13", "jiayuguan-2020-97"}
    for pid in ids:
        p = shequ.Policy.builtin(pid)
        assert p.title and p.title_en and p.document and p.version
    assert "households" in shequ.COMMUNITY_COLUMNS and "start" in shequ.PEOPLE_COLUMNS and "amount" in shequ.ADJUSTMENT_COLUMNS
    assert shequ.format_yuan(Decimal("5")) == "5.00" and shequ.format_yuan("0.5") == "0.50"
    assert isinstance(datetime.date.today(), datetime.date)


def test_a_panic_is_an_exception_not_an_abort() -> None:
    with pytest.raises(shequ.InternalError) as info:
        shequ._native._panic_for_tests("boom")
    assert info.value.code == "internal_error" and "boom" in str(info.value)
    # The interpreter and the module are still fine afterwards.
    assert shequ.sample("jilin").budget().total == Decimal("8548575.00")
