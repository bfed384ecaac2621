"""The benchmark (``py/bench/bench.py``) on a small realistic city: every
path gives the same totals per community and payer, to the fen, round after
round (the script asserts it), and its competitors — the pandas peer and
the plain-Python loop — give shequ's totals on hand-checked cases. The
times themselves are not checked here (see BENCHMARKS.md)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from conftest import REPO

import shequ

BENCH = REPO / "py" / "bench" / "bench.py"


def load_bench() -> Any:
    spec = importlib.util.spec_from_file_location("shequ_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_bench()


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_every_path_gives_the_same_totals_round_after_round() -> None:
    out = run_bench("--communities", "40", "80", "--rounds", "2", "--runs", "1", "--no-rust", "--no-rss", "--json")
    assert out.returncode == 0, out.stderr
    assert "round 2 of 2" in out.stderr
    for label in ("shequ from Arrow", "shequ from pandas", "text ids", "pandas peer", "plain Python + decimal"):
        assert label in out.stdout
    assert "40: pandas peer (float64, vectorised) / shequ from Arrow" in out.stdout
    assert "80: shequ from Arrow / shequ from Arrow, text ids" in out.stdout
    report = json.loads(out.stdout[out.stdout.index("\n{") :])
    assert len(report["rounds"]) == 2
    assert report["results"]["80"]["pandas peer (float64, vectorised)"]["runs"] == 2
    assert report["results"]["40"]["plain Python + decimal"]["runs"] == 2
    assert report["sizes"]["80"]["rows"] > 80 * 28


def test_the_synthetic_bench_is_still_there() -> None:
    out = run_bench("--city", "synthetic", "--communities", "20", "--rounds", "1", "--runs", "1", "--no-rust")
    assert out.returncode == 0, out.stderr
    assert "plain Python loop, same output / shequ from Arrow" in out.stdout


def test_bad_options_are_refused() -> None:
    out = run_bench("--rounds", "0", "--no-rust")
    assert out.returncode == 2
    assert "at least 1" in out.stderr


def test_realistic_tables_have_int_ids_and_arrow_dates() -> None:
    communities, people = shequ._native.realistic_tables(50, 3)
    assert communities.schema.field("id").type == pa.int64()
    assert people.schema.field("id").type == pa.int64()
    assert people.schema.field("community").type == pa.int64()
    assert people.schema.field("start").type == pa.date32()
    assert people.schema.field("end").nullable and people.schema.field("serving").type == pa.bool_()
    assert people.column("end").null_count < people.num_rows
    again = shequ._native.realistic_tables(50, 3)
    assert communities.equals(again[0]) and people.equals(again[1])
    assert set(people.column("community").to_pylist()) == set(communities.column("id").to_pylist())


def test_split_and_rounding_helpers_follow_shequ() -> None:
    # core/src/money.rs: 0.01 split 50/50 gives the first payer the fen;
    # 100.01 split 70/30 gives 70.01 and 30.00.
    assert bench.split_fen(np.array([1, 3, 4157863]), [50, 50]).tolist() == [[1, 0], [2, 1], [2078932, 2078931]]
    assert bench.split_fen(np.array([10001]), [70, 30]).tolist() == [[7001, 3000]]
    assert bench.split_fen(np.array([2]), [33, 33, 34]).tolist() == [[1, 0, 1]]
    assert bench.split_decimal(Decimal("0.02"), [33, 33, 34]) == [Decimal("0.01"), Decimal("0.00"), Decimal("0.01")]
    # Half away from zero, not half to even.
    assert bench.round_fen(np.array([41578.625, 0.005, 0.0049, 0.015])).tolist() == [4157863, 1, 0, 2]


# Ten communities, so that one may be excellent and three good (the quota).
COMMUNITIES = pd.DataFrame(
    {
        "id": np.arange(100_001, 100_011, dtype=np.int64),
        "name": [f"社区{i}" for i in range(10)],
        "district": "船营区",
        "households": [2749, 2750] + [1000] * 8,
        "rating": ["excellent", "good"] + ["ordinary"] * 8,
    }
)
# (id, community, post, start, end, serving)
ROWS = [
    # A director who also leads a group from a 29 February: stipend and
    # uplift as director; the allowance 350 in Jan–Feb (1 full year) and 400
    # from March (the anniversary on 28 February), 4700.
    (1_000_000_001, 100_001, "director", "2015-03-10", None, False),
    (1_000_000_001, 100_001, "group_leader", "2024-02-29", None, False),
    # A member since 2012-07-01 who leads a group since 2023: the member post
    # pays more with its years (850 to June, 900 from July) than the leader
    # post (400, then 450): 10500, the leader post not paid.
    (1_000_000_002, 100_001, "group_member", "2012-07-01", None, False),
    (1_000_000_002, 100_001, "group_leader", "2023-01-15", None, False),
    # A deputy who left on 15 June: paid January to June.
    (1_000_000_003, 100_002, "deputy_director", "2020-05-20", "2026-06-15", False),
    # A serving group leader: no allowance.
    (1_000_000_004, 100_002, "group_leader", "2018-01-01", None, True),
    # Starts on 1 March 2026: ten months at 200.
    (1_000_000_005, 100_002, "group_member", "2026-03-01", None, False),
    # Two committee posts at 1100: one stipend.
    (1_000_000_006, 100_003, "member", "2019-11-30", None, False),
    (1_000_000_006, 100_003, "assistant", "2021-01-01", None, False),
    # Left before the year.
    (1_000_000_007, 100_003, "group_member", "2010-01-01", "2025-12-31", False),
]
PEOPLE = pd.DataFrame(
    {
        "id": np.array([r[0] for r in ROWS], dtype=np.int64),
        "community": np.array([r[1] for r in ROWS], dtype=np.int64),
        "name": "王芳",
        "post": [r[2] for r in ROWS],
        "start": pd.to_datetime([r[3] for r in ROWS]),
        "end": pd.to_datetime([r[4] for r in ROWS]),
        "serving": [r[5] for r in ROWS],
    }
)
# Work funds: 2749 × 15.125 = 41578.625 → 41578.63 (city takes the odd fen);
# 2750 × 15.125 = 41593.75; 1000 × 15.125 = 15125.
WANT = {
    (100_001, "city"): "20789.32" "+5000+7200+1800+4700+10500",
    (100_001, "district"): "20789.31" "+5000+7200+1800",
    (100_002, "city"): "20796.88" "+2500+3300+450+2000",
    (100_002, "district"): "20796.87" "+2500+3300+450",
    (100_003, "city"): "7562.50" "+6600",
    (100_003, "district"): "7562.50" "+6600",
    **{(c, p): "7562.50" for c in range(100_004, 100_011) for p in ("city", "district")},
}


def want_totals() -> Any:
    keys = sorted(WANT)
    fen = [int(sum(Decimal(x) for x in WANT[k].split("+")) * 100) for k in keys]
    return bench.Totals.of([k[0] for k in keys], [k[1] for k in keys], fen)


@pytest.mark.parametrize("path", ["shequ", "pandas peer", "plain Python"])
def test_every_path_gives_the_hand_checked_totals(path: str) -> None:
    want = want_totals()
    communities, people = pa.Table.from_pandas(COMMUNITIES), pa.Table.from_pandas(PEOPLE)
    if path == "shequ":
        policy = shequ.Policy.from_toml(str(bench.POLICY_FILE))
        budget = policy.budget(communities, people, year=2026)
        assert [n.code for n in budget.exclusions if n.person == 1_000_000_004] == ["serving_not_eligible"]
        got = bench.totals_of_shequ(bench.shequ_totals(budget))
    elif path == "pandas peer":
        got = bench.pandas_peer(COMMUNITIES, PEOPLE)
    else:
        for column in ("start", "end"):
            i = people.column_names.index(column)
            people = people.set_column(i, column, people.column(column).cast(pa.date32()))
        got = bench.plain_python(communities, people)
    assert got.same_as(want), got.first_difference(want)


def test_the_peer_refuses_what_shequ_refuses() -> None:
    over_quota = COMMUNITIES.assign(rating=["excellent", "excellent"] + ["ordinary"] * 8)
    with pytest.raises(ValueError, match="quota"):
        bench.pandas_peer(over_quota, PEOPLE)
    with pytest.raises(ValueError, match="unknown post"):
        bench.pandas_peer(COMMUNITIES, PEOPLE.assign(post="secretary"))
    with pytest.raises(ValueError, match="unknown community"):
        bench.pandas_peer(COMMUNITIES.iloc[1:], PEOPLE)
