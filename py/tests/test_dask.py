"""shequ.dask on a dask.distributed LocalCluster of two worker processes
(issue 19): totals, plans and sweeps over partitioned dask DataFrames equal
the single-process ones to the fen, for the bench policy with its 10% / 30%
rating quota (city-wide, so resolved once on the whole city), with ratings
given and assigned from scores. Bounded: a few hundred communities, every
wait with a timeout."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

import shequ
from conftest import REPO

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")
import shequ.dask  # noqa: E402

YEAR = 2026


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        memory_limit="2GiB",
        silence_logs=40,
    )
    c = distributed.Client(cluster, timeout="60s")
    try:
        yield c
    finally:
        c.close(timeout=30)
        cluster.close(timeout=30)


@pytest.fixture(scope="module")
def bench() -> shequ.Policy:
    return shequ.Policy.from_toml(REPO / "core" / "benches" / "realistic-city.toml")


@pytest.fixture(scope="module")
def tables() -> tuple[Any, Any]:
    c, p = shequ._native.realistic_tables(400, 11)
    return c.to_pandas(), p.to_pandas()


def parted(c: Any, p: Any, n: int = 4) -> tuple[Any, Any]:
    return dd.from_pandas(c, npartitions=n), dd.from_pandas(p, npartitions=n)


def test_totals_equal_one_process_to_the_fen_under_the_quota(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    one = bench.budget(c, p, year=YEAR)
    assert one.quota is not None and all(cap["within"] for cap in one.quota["caps"])
    dc, dp = parted(c, p)
    assert shequ.dask.totals(bench, dc, dp, year=YEAR) == one.totals()
    assert shequ.dask.totals(bench, dc, dp, year=YEAR, by="rule") == one.totals("rule")
    by_community = shequ.dask.totals(bench, dc, dp, year=YEAR, by="community")
    assert by_community == one.totals("community")
    assert all(isinstance(v, Decimal) for v in by_community.values())


def test_ratings_from_scores_are_assigned_on_the_whole_city(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    # No ratings, a score each (with ties): the top 10% excellent, the next
    # 30% good, of all 400 communities, not of each partition.
    scored = c.drop(columns=["rating"]).assign(score=[str(50 + (i * 37) % 50) for i in range(len(c))])
    one = bench.budget(scored, p, year=YEAR)
    assert one.quota is not None and one.quota["ratings_from"] == "assigned"
    dc, dp = parted(scored, p, n=5)
    assert shequ.dask.totals(bench, dc, dp, year=YEAR) == one.totals()
    assert shequ.dask.totals(bench, dc, dp, year=YEAR, by="rule") == one.totals("rule")


def test_a_quota_breach_is_the_whole_citys(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    # 41 excellent of 400: one over floor(10% × 400). Each partition of
    # about 100 has some 10: alone, none would be over its own cap of 10.
    over = c.assign(rating=["excellent" if i < 41 else "ordinary" for i in range(len(c))])
    with pytest.raises(shequ.QuotaExceededError):
        bench.budget(over, p, year=YEAR)
    dc, dp = parted(over, p)
    with pytest.raises(shequ.QuotaExceededError) as e:
        shequ.dask.totals(bench, dc, dp, year=YEAR)
    assert (e.value.count, e.value.cap, e.value.total) == (41, 40, 400)
    warned = shequ.dask.totals(bench, dc, dp, year=YEAR, quota="warn")
    assert warned == bench.budget(over, p, year=YEAR, quota="warn").totals()


def sort(df: Any) -> Any:
    keys = [k for k in ("scenario", "year", "payer", "rule", "district") if k in df.columns]
    return df.sort_values(keys).reset_index(drop=True)


def test_plans_and_sweeps_equal_one_process(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    years = range(2026, 2029)
    assumptions = {"households": [{"percent": "2"}], "growth": [{"path": "stipend.amounts.director", "percent": "5", "from": 2027}]}
    dc, dp = parted(c, p, n=3)
    one = bench.plan(c, p, years=years, assumptions=assumptions)
    spread = shequ.dask.plan(bench, dc, dp, years=years, assumptions=assumptions)
    assert spread.years == one.years
    assert sort(spread.totals()).equals(sort(one.totals()))
    assert sort(spread.changes()).equals(sort(one.changes()))
    for y in years:
        assert spread.total(y) == one.total(y)
    with pytest.raises(ValueError):
        spread.budget(2027)
    scenarios = {"rate": {"work_funds.rate": "1800 from 2027-07-01"}, "uplift": {"uplift_good.amounts.director": "250"}}
    s_one = bench.sweep(scenarios, c, p, years=years)
    s_spread = shequ.dask.sweep(bench, scenarios, dc, dp, years=years)
    assert s_spread.scenarios == ["baseline", "rate", "uplift"]
    assert sort(s_spread.totals()).equals(sort(s_one.totals()))
    assert sort(s_spread.diff()).equals(sort(s_one.diff()))
    assert s_spread.plan("rate").total(2027) == s_one.plan("rate").total(2027)


def test_a_person_under_two_communities_is_found_across_partitions(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    row = p.iloc[[0]].copy()
    other = int(c["id"].iloc[-1]) if int(c["id"].iloc[-1]) != int(row["community"].iloc[0]) else int(c["id"].iloc[0])
    row["community"] = other
    row["post"] = "group_member"
    import pandas as pd

    bad = pd.concat([p, row], ignore_index=True)
    with pytest.raises(shequ.InputError) as one:
        bench.budget(c, bad, year=YEAR)
    assert one.value.code == "conflicting_rows"
    dc, dp = parted(c, bad)
    with pytest.raises(shequ.InputError) as spread:
        shequ.dask.totals(bench, dc, dp, year=YEAR)
    assert spread.value.code == "conflicting_rows"


def test_already_partitioned_tables_skip_the_shuffle(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    pc, pp, _ = shequ.dask.partition_by_community(*parted(c, p), npartitions=3)
    assert pc.npartitions == pp.npartitions == 3
    got = shequ.dask.totals(bench, pc, pp, year=YEAR, partitioned=True)
    assert got == bench.budget(c, p, year=YEAR).totals()


def test_a_scenario_changing_the_quota_is_checked_on_the_whole_city(client: Any, bench: shequ.Policy, tables: tuple[Any, Any]) -> None:
    c, p = tables
    # 40 excellent of 400: within 10%, over a scenario's 9% (cap 36),
    # though each partition of about 100 alone would be within its own 9.
    rated = c.assign(rating=["excellent" if i % 10 == 0 else "ordinary" for i in range(len(c))])
    tight = {"tight": {"rating_quota.caps.excellent": "9"}}
    with pytest.raises(shequ.QuotaExceededError):
        bench.sweep(tight, rated, p, years=[YEAR])
    dc, dp = parted(rated, p)
    with pytest.raises(shequ.QuotaExceededError) as e:
        shequ.dask.sweep(bench, tight, dc, dp, years=[YEAR])
    assert (e.value.count, e.value.cap, e.value.total) == (40, 36, 400)
    # A scenario that leaves the ratings alone is not resolved again, and
    # the sweep still equals one process's.
    loose = {"rate": {"work_funds.rate": "1800"}}
    assert sort(shequ.dask.sweep(bench, loose, dc, dp, years=[YEAR]).totals()).equals(sort(bench.sweep(loose, rated, p, years=[YEAR]).totals()))
