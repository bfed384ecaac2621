"""Hypothesis properties of budgets computed through the Python API:
payer splits conserve every fen, totals agree with each other and with the
Arrow views, and more households never mean less money."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shequ

JILIN = shequ.Policy.builtin("jilin-2011-13")
JIAYUGUAN = shequ.Policy.builtin("jiayuguan-2020-97")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

households = st.integers(min_value=0, max_value=20_000)
dates = st.dates(min_value=datetime.date(2005, 1, 1), max_value=datetime.date(2026, 12, 31))


@st.composite
def city(draw: Any, posts: list[str], ratings: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    n = draw(st.integers(min_value=1, max_value=8))
    communities = [
        {"id": f"C{i}", "households": draw(households), "rating": draw(st.sampled_from(ratings)) if ratings else None}
        for i in range(n)
    ]
    people = []
    for k in range(draw(st.integers(min_value=0, max_value=12))):
        start = draw(dates)
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=datetime.date(2027, 12, 31))))
        person = {
            "id": f"P{k}",
            "community": f"C{draw(st.integers(min_value=0, max_value=n - 1))}",
            "serving": draw(st.booleans()),
            "post": draw(st.sampled_from(posts)),
            "start": start,
            "end": end,
        }
        people.append(person)
        if draw(st.booleans()):  # a second post, held by the same person
            people.append({**person, "post": draw(st.sampled_from(posts)), "start": draw(dates), "end": None})
    return communities, people


def check_conservation(budget: shequ.Budget) -> None:
    d = budget.to_dict()
    for it in d["items"]:
        assert sum(Decimal(s["amount"]) for s in it["shares"]) == Decimal(it["amount"]), it
    total = budget.total
    for by in ("payer", "rule", "community"):
        assert sum(budget.totals(by).values(), Decimal(0)) == total, by
    lines = budget.lines("arrow")
    assert (pc.sum(lines["amount"]).as_py() or Decimal(0)) == total
    for amount in lines["amount"].to_pylist():
        assert amount == amount.quantize(Decimal("0.01"))


@SETTINGS
@given(city(["director", "deputy_director", "assistant", "member"], ["excellent", "good", "ordinary"]))
def test_jilin_splits_conserve_every_fen(data: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    communities, people = data
    check_conservation(JILIN.budget(communities, people, year=2026, quota="warn"))


@SETTINGS
@given(
    city(["deputy_director", "supervision_director", "committee_member", "group_leader", "group_member"], []),
    st.sampled_from([None, datetime.date(2026, 1, 1), datetime.date(2026, 6, 15), datetime.date(2026, 12, 31)]),
)
def test_jiayuguan_splits_conserve_every_fen(data: tuple[list[dict[str, Any]], list[dict[str, Any]]], as_of: datetime.date | None) -> None:
    communities, people = data
    for c in communities:
        c.pop("rating")
    check_conservation(JIAYUGUAN.budget(communities, people, year=2026, as_of=as_of))


@SETTINGS
@given(
    st.lists(households, min_size=1, max_size=6),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2),
)
def test_uneven_splits_conserve_every_fen(hh: list[int], city_share: Decimal) -> None:
    """A split such as 33.33 / 66.67 rounds each share, and the shares still
    add up to the item."""
    policy = JILIN.with_values({"work_funds.split.city": city_share, "work_funds.split.district": Decimal(100) - city_share})
    communities = [{"id": f"C{i}", "households": h, "rating": "ordinary"} for i, h in enumerate(hh)]
    check_conservation(policy.budget(communities, year=2026))


@SETTINGS
@given(
    st.lists(households, min_size=1, max_size=6),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=1, max_value=5_000),
    st.sampled_from(["proportional", "per_full_unit", "per_started_unit"]),
)
def test_more_households_never_less_money(hh: list[int], which: int, more: int, basis: str) -> None:
    policy = JILIN.with_values({"work_funds.basis": basis})
    communities: list[dict[str, Any]] = [{"id": f"C{i}", "households": h, "rating": "ordinary"} for i, h in enumerate(hh)]
    k = which % len(communities)
    before = policy.budget(communities, year=2026)
    communities[k] = {**communities[k], "households": communities[k]["households"] + more}
    after = policy.budget(communities, year=2026)
    cid = f"C{k}"
    assert after.totals("community")[cid] >= before.totals("community")[cid]
    assert after.total >= before.total
    for payer, amount in after.totals("payer").items():
        assert amount >= before.totals("payer")[payer]
    # Nobody else's money moves.
    for other, amount in before.totals("community").items():
        if other != cid:
            assert after.totals("community")[other] == amount
