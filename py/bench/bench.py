"""A realistic city's budget, timed six ways (issue 15: "a realistic benchmark first").

    python py/bench/bench.py [--communities 1000 10000 100000] [--seed 1] [--rounds 3] [--runs 3]
                             [--loop | --no-loop] [--no-rust] [--no-rss] [--json]
    python py/bench/bench.py --city synthetic [...]   # the older synthetic city (bench_synthetic.py)

**The city** is ``shequ._native.realistic_tables(n, seed)``
(``shequ::realistic::city``, documented in ``core/src/realistic.rs``): n
communities with int64 ids in no order, about 31 people rows each (100 000
communities: 3.1 million rows), one row per post held — a director and 7–9
other committee members, 16–24 residents'-group members, about one person
in twelve holding two posts as two rows with one id — in the blocks of two
registers exported one after the other, with starts over 2010–2026 (some on
29 February), a few posts ended (some during 2026) and 20% serving.

**The policy** is ``core/benches/realistic-city.toml``, a composite for
benchmarking: Jilin's work funds (1512.5 per 100 households, a benchmark
value so that items round to the fen and 50/50 splits leave an odd fen),
rating bonus, monthly stipends (director 1200, others 1100) and rating
uplifts, all city/district 50/50, under the 10% / 30% rating quota; and
Jiayuguan's seniority allowance for non-serving residents'-group members
(leader 300, member 200, +50 per full year, month by month, highest post
only, the city 100%). Budget year 2026.

**The paths**, each giving the totals per community and payer:

1. *shequ from Arrow*: the pyarrow Tables (int64 ids) → ``Policy.budget`` →
   ``budget.totals_frame(by=("community", "payer"))`` (until the columnar
   engine, ``budget.lines("arrow")`` grouped with pyarrow's ``group_by``);
   the two steps are also timed apart.
2. *shequ from pandas*: the same from pandas DataFrames (``to_pandas``,
   dates as ``datetime64``, as ``read_csv(parse_dates=...)`` gives them).
3. *shequ, text ids*: the Arrow tables with every id cast to zero-padded
   text (the issue's goal: int64 ids within 10% of text ids).
4. *pandas peer*: the same rules in vectorised pandas / numpy on float64,
   from the same DataFrames, written as a careful analyst would — see
   :func:`pandas_peer`. It is the competitor.
5. *Rust core alone*: ``Policy::budget`` on the same city already built as
   ``shequ::Input`` (``py/bench/core_alone.rs``), with the system allocator
   and with mimalloc (the extension's); the binary is built once per
   allocator, the city once per process, and only the budget is timed.
   Compared by total, payer and community (``Budget.totals``).
6. *plain Python + decimal*: the exact reference, a loop over the rows; at
   1000 communities or fewer unless ``--loop`` / ``--no-loop`` says.

Every path runs ``--runs`` times per round (the loop once), the rounds one
after the other, every size in every round (this machine has slow spells
of seconds: a path timed only inside one would be compared with paths timed
outside it); in a round, shequ from pandas comes first (it pays for the
memory the previous paths gave back), then the int- and text-id Arrow
paths by turns, run for run. Every path must give the same totals per community and payer,
to the fen, in every round: the script asserts it. It prints each path's
best and median over all runs, the ratios the issue sets goals for (pandas
peer / shequ from Arrow ≥ 10× at 100 000 communities; int / text ids ≤ 1.1×;
time per people row at the largest size / at 10 000 ≤ 1.2×), each from the
best times of all rounds and round by round, and the peak memory (RSS) of a
shequ budget and of the pandas peer, each measured in a child process of
its own. Results go to ``BENCHMARKS.md`` by hand (``--json`` for the raw
numbers).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
POLICY_FILE = REPO / "core" / "benches" / "realistic-city.toml"
YEAR = 2026
PAYERS = ("city", "district")

# ---------------------------------------------------------------- the rules
# As core/benches/realistic-city.toml has them for 2026 (py/tests/test_bench.py
# checks the peer and the loop against shequ on hand-checked cases).

WORK_FUNDS_PER_100 = "1512.5"  # yuan per 100 households a year (from 2024)
RATING_BONUS = {"excellent": 10000, "good": 5000}
STIPEND = {"director": 1200, "deputy_director": 1100, "assistant": 1100, "member": 1100}
UPLIFT = {
    "excellent": {"director": 300, "deputy_director": 200, "assistant": 200, "member": 200},
    "good": {"director": 200, "deputy_director": 150, "assistant": 150, "member": 150},
}
GROUP_ALLOWANCE = {"group_leader": 300, "group_member": 200}
INCREMENT = 50  # per full year of service, group allowance only
POSTS = (*STIPEND, *GROUP_ALLOWANCE)
# Each rule's payer split, in the policy's payer order (the order breaks
# ties of the largest-remainder rule: the earlier payer first).
SPLITS: dict[str, tuple[tuple[str, int], ...]] = {
    "work_funds": (("city", 50), ("district", 50)),
    "rating_bonus": (("city", 50), ("district", 50)),
    "stipend": (("city", 50), ("district", 50)),
    "uplift_excellent": (("city", 50), ("district", 50)),
    "uplift_good": (("city", 50), ("district", 50)),
    "group_allowance": (("city", 100),),
}
QUOTA = {"excellent": 10, "good": 30}  # percent of all communities, floor


class Totals(NamedTuple):
    """Totals per community and payer, in whole fen, sorted by community
    then payer: the form every path's result is compared in."""

    community: npt.NDArray[np.int64]
    payer: npt.NDArray[np.int64]  # index in PAYERS
    fen: npt.NDArray[np.int64]

    @staticmethod
    def of(community: Any, payer: Any, fen: Any) -> Totals:
        c = np.asarray(community, dtype=np.int64)
        p = np.searchsorted(np.array(PAYERS), np.asarray(payer, dtype=object).astype(str)).astype(np.int64)
        f = np.asarray(fen, dtype=np.int64)
        keep = f != 0
        c, p, f = c[keep], p[keep], f[keep]
        order = np.lexsort((p, c))
        return Totals(c[order], p[order], f[order])

    def same_as(self, other: Totals) -> bool:
        return all(np.array_equal(a, b) for a, b in zip(self, other))

    def first_difference(self, other: Totals) -> str:
        a = {(int(c), int(p)): int(f) for c, p, f in zip(*self)}
        b = {(int(c), int(p)): int(f) for c, p, f in zip(*other)}
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                return f"community {key[0]}, payer {PAYERS[key[1]]}: {a.get(key)} against {b.get(key)} fen"
        return "none"

    def overall(self) -> int:
        return int(self.fen.sum())


def fen_of_decimal(column: Any) -> npt.NDArray[np.int64]:
    """A pyarrow decimal column (yuan, 2 decimals) as whole fen, exactly."""
    import pyarrow as pa
    import pyarrow.compute as pc

    scaled = pc.multiply(pc.cast(column, pa.decimal128(20, 2)), pa.scalar(Decimal(100), pa.decimal128(3, 0)))
    return np.asarray(pc.cast(scaled, pa.int64()).to_numpy(), dtype=np.int64)


# ---------------------------------------------------------------- shequ


def shequ_totals(budget: Any) -> Any:
    """Totals per community and payer from a budget, through the public
    API (``totals_frame(by=("community", "payer"))``)."""
    return budget.totals_frame(by=("community", "payer"), format="arrow")


def totals_of_shequ(grouped: Any) -> Totals:
    import pyarrow as pa
    import pyarrow.compute as pc

    return Totals.of(
        pc.cast(grouped["community"], pa.int64()).to_numpy(),
        grouped["payer"].to_pylist(),
        fen_of_decimal(grouped["amount"]),
    )


# ---------------------------------------------------------------- the pandas peer


def round_fen(yuan: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Yuan (non-negative float64) rounded to the fen half away from zero
    (四舍五入), as whole fen. ``np.round`` rounds half to even, so it cannot
    be used; the 1e-6 fen absorbs a product that float64 holds a hair
    below its true value (none here: the amounts are exact in binary)."""
    return np.floor(yuan * 100 + 0.5 + 1e-6).astype(np.int64)


def split_fen(fen: npt.NDArray[np.int64], percents: Sequence[int]) -> npt.NDArray[np.int64]:
    """Split whole fen by whole-number percentages adding up to 100, so the
    parts add up exactly (shequ's rule, ``core/src/money.rs``): each part cut
    down to the fen, the fen left over one each to the largest remainders,
    the earlier payer first on ties. One column per payer."""
    pct = np.asarray(percents, dtype=np.int64)
    if len(pct) == 1:
        return np.array(fen[:, None], dtype=np.int64)
    product = fen[:, None] * pct[None, :]
    parts = product // 100
    left = fen - parts.sum(axis=1)
    order = np.argsort(-(product % 100), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(len(pct)), order.shape), axis=1)
    parts += rank < left[:, None]
    return parts


def pandas_peer(communities: Any, people: Any) -> Totals:
    """The bench policy in vectorised pandas and numpy, on float64: what a
    careful analyst would write without shequ, with the checks shequ makes
    that are cheap in pandas (duplicate or unknown ids, negative
    households, unknown posts, ends before starts, the rating quota; not
    that rows of one person agree).

    - Work funds and bonus: a column each per community.
    - Monthly rules: one column per month, True when the post is held on
      its first day (numpy ``datetime64[D]``: start on or before it, end
      absent or on or after it); full years of service on the 1st of month
      m are ``2026 − start year``, less one if the start's (month, day)
      comes after (m, 1) — a 29 February start needs no case of its own on
      a 1st. The month's rate is 0 where not held; the highest post per
      person and month is a ``groupby(id).max()`` over the twelve columns
      (a person's rows share a community, so its max is the community);
      the months summed give the person's item.
    - Each item rounded to the fen half away from zero, split by the largest
      remainder, summed per community and payer.
    """
    import pandas as pd

    c_id = communities["id"].to_numpy(np.int64)
    households = communities["households"].to_numpy(np.float64)
    rating = communities["rating"]
    if communities["id"].duplicated().any():
        raise ValueError("duplicate community id")
    if (households < 0).any():
        raise ValueError("negative households")
    n = len(communities)
    for r, percent in QUOTA.items():
        if int((rating == r).sum()) > n * percent // 100:
            raise ValueError(f"more {r} communities than the quota allows")
    if not people["post"].isin(POSTS).all():
        raise ValueError("unknown post")
    if not people["community"].isin(communities["id"]).all():
        raise ValueError("unknown community")
    start = people["start"].to_numpy("datetime64[D]")
    end = people["end"].to_numpy("datetime64[D]")  # NaT: still held
    if (end < start).any():
        raise ValueError("a post ends before it starts")

    items: list[pd.DataFrame] = []  # community, rule, fen

    def item(rule: str, community: Any, fen: npt.NDArray[np.int64]) -> None:
        keep = fen > 0
        items.append(pd.DataFrame({"community": np.asarray(community)[keep], "rule": rule, "fen": fen[keep]}))

    item("work_funds", c_id, round_fen(households * float(WORK_FUNDS_PER_100) / 100))
    item("rating_bonus", c_id, round_fen(rating.map(RATING_BONUS).fillna(0).to_numpy(np.float64)))

    firsts = np.array([f"{YEAR}-{m:02d}-01" for m in range(1, 13)], dtype="datetime64[D]")
    held = (start[:, None] <= firsts[None, :]) & ~(end[:, None] < firsts[None, :])
    months = [f"m{m}" for m in range(1, 13)]
    post = people["post"]

    # Committee: the stipend and the uplift of its community's rating.
    committee = post.isin(STIPEND).to_numpy()
    c_rows = people.loc[committee, ["id", "community", "post"]]
    c_rating = c_rows["community"].map(pd.Series(rating.to_numpy(), index=c_id))
    c_held = held[committee]
    stipend = c_held * c_rows["post"].map(STIPEND).to_numpy(np.float64)[:, None]
    uplift = np.zeros(len(c_rows))
    for r, amounts in UPLIFT.items():
        uplift += np.where(c_rating == r, c_rows["post"].map(amounts).to_numpy(np.float64), 0.0)
    wide = pd.DataFrame(np.hstack([stipend, c_held * uplift[:, None]]), columns=[*months, *(f"u{m}" for m in months)])
    wide["id"] = c_rows["id"].to_numpy()
    wide["community"] = c_rows["community"].to_numpy()
    best = wide.groupby("id", sort=False).max()  # highest post per person and month
    item("stipend", best["community"], round_fen(best[months].to_numpy().sum(axis=1)))
    uplifted = best[[f"u{m}" for m in months]].to_numpy().sum(axis=1)
    best_rating = best["community"].map(pd.Series(rating.to_numpy(), index=c_id)).to_numpy()
    for r in UPLIFT:
        on = best_rating == r
        item(f"uplift_{r}", best["community"].to_numpy()[on], round_fen(uplifted[on]))

    # Residents' groups: non-serving members, base + 50 per full year.
    group = (post.isin(GROUP_ALLOWANCE) & ~people["serving"]).to_numpy()
    g_rows = people.loc[group, ["id", "community", "post"]]
    s = start[group]
    s_year = s.astype("datetime64[Y]").astype(np.int64) + 1970
    s_month = s.astype("datetime64[M]").astype(np.int64) % 12 + 1
    s_day = (s - s.astype("datetime64[M]")).astype(np.int64) + 1
    m = np.arange(1, 13)[None, :]
    not_yet = (s_month[:, None] > m) | ((s_month[:, None] == m) & (s_day[:, None] > 1))
    years = YEAR - s_year[:, None] - not_yet
    rate = g_rows["post"].map(GROUP_ALLOWANCE).to_numpy(np.float64)[:, None] + INCREMENT * years
    wide = pd.DataFrame(np.where(held[group], rate, 0.0), columns=months)
    wide["id"] = g_rows["id"].to_numpy()
    wide["community"] = g_rows["community"].to_numpy()
    best = wide.groupby("id", sort=False).max()
    item("group_allowance", best["community"], round_fen(best[months].to_numpy().sum(axis=1)))

    # Each item split between its payers, then summed per community and payer.
    all_items = pd.concat(items, ignore_index=True)
    shares = np.zeros((len(all_items), len(PAYERS)), dtype=np.int64)
    rule = all_items["rule"].to_numpy()
    fen = all_items["fen"].to_numpy(np.int64)
    for rule_id, split in SPLITS.items():
        on = rule == rule_id
        columns = [PAYERS.index(p) for p, _ in split]
        shares[np.ix_(on, columns)] = split_fen(fen[on], [pct for _, pct in split])
    by_community = pd.DataFrame(shares, columns=list(PAYERS)).groupby(all_items["community"].to_numpy()).sum()
    long = by_community.stack()
    return Totals.of(long.index.get_level_values(0), long.index.get_level_values(1), long.to_numpy())


# ---------------------------------------------------------------- plain Python

FEN = Decimal("0.01")


def full_years(start: datetime.date, day: datetime.date) -> int:
    """Anniversaries of ``start`` reached by ``day`` (29 Feb → 28 Feb)."""
    years = day.year - start.year
    month, dom = start.month, start.day
    if (month, dom) == (2, 29) and not (day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)):
        dom = 28
    if (day.month, day.day) < (month, dom):
        years -= 1
    return max(years, 0)


def split_decimal(amount: Decimal, percents: Sequence[int]) -> list[Decimal]:
    """The largest-remainder split of ``core/src/money.rs``, in Decimal."""
    exact = [amount * p / 100 for p in percents]
    parts = [e.quantize(FEN, rounding=ROUND_DOWN) for e in exact]
    left = int((amount - sum(parts)) / FEN)
    order = sorted(range(len(parts)), key=lambda i: -(exact[i] - parts[i]))  # stable: earlier first
    for i in range(left):
        parts[order[i % len(parts)]] += FEN
    return parts


def plain_python(communities_table: Any, people_table: Any) -> Totals:
    """The bench policy in a plain loop with ``decimal``, from the same
    Arrow tables (read into dicts: timed): the exact reference."""
    communities = communities_table.to_pylist()
    people = people_table.to_pylist()
    rating: dict[int, str] = {}
    for c in communities:
        if c["id"] in rating:
            raise ValueError(f"duplicate community {c['id']}")
        if c["households"] < 0:
            raise ValueError(f"negative households in {c['id']}")
        rating[c["id"]] = c["rating"]
    for r, percent in QUOTA.items():
        if sum(1 for x in rating.values() if x == r) > len(rating) * percent // 100:
            raise ValueError(f"more {r} communities than the quota allows")
    totals: dict[tuple[int, str], Decimal] = {}

    def pay(community: int, rule: str, raw: Decimal) -> None:
        amount = raw.quantize(FEN, rounding=ROUND_HALF_UP)
        if not amount:
            return
        split = SPLITS[rule]
        for (payer, _), part in zip(split, split_decimal(amount, [p for _, p in split])):
            totals[(community, payer)] = totals.get((community, payer), Decimal(0)) + part

    for c in communities:
        pay(c["id"], "work_funds", Decimal(c["households"]) * Decimal(WORK_FUNDS_PER_100) / 100)
        if c["rating"] in RATING_BONUS:
            pay(c["id"], "rating_bonus", Decimal(RATING_BONUS[c["rating"]]))
    persons: dict[int, dict[str, Any]] = {}
    for row in people:
        if row["community"] not in rating:
            raise ValueError(f"unknown community {row['community']}")
        if row["post"] not in POSTS:
            raise ValueError(f"unknown post {row['post']}")
        if row["end"] is not None and row["end"] < row["start"]:
            raise ValueError("a post ends before it starts")
        p = persons.setdefault(row["id"], {"community": row["community"], "serving": row["serving"], "posts": []})
        p["posts"].append((row["post"], row["start"], row["end"]))
    firsts = [datetime.date(YEAR, m, 1) for m in range(1, 13)]
    for p in persons.values():
        r = rating[p["community"]]
        stipend = uplift = allowance = Decimal(0)
        for first in firsts:
            held = [post for post, start, end in p["posts"] if start <= first and (end is None or first <= end)]
            committee = [post for post in held if post in STIPEND]
            if committee:
                stipend += max(STIPEND[post] for post in committee)
                if r in UPLIFT:
                    uplift += max(UPLIFT[r][post] for post in committee)
            if not p["serving"]:
                rates = [
                    GROUP_ALLOWANCE[post] + INCREMENT * full_years(start, first)
                    for post, start, end in p["posts"]
                    if post in GROUP_ALLOWANCE and start <= first and (end is None or first <= end)
                ]
                if rates:
                    allowance += max(rates)
        pay(p["community"], "stipend", stipend)
        if r in UPLIFT:
            pay(p["community"], f"uplift_{r}", uplift)
        pay(p["community"], "group_allowance", allowance)
    keys = sorted(totals)
    return Totals.of([k[0] for k in keys], [k[1] for k in keys], [int(totals[k] / FEN) for k in keys])


# ---------------------------------------------------------------- Rust alone


def build_core_alone(workdir: Path) -> dict[str, Path]:
    """The core-alone example built with each allocator, copied to
    ``workdir`` (cargo writes both to one path). Empty if cargo is not there
    or the build fails."""
    binaries: dict[str, Path] = {}
    for allocator, features in (("system", []), ("mimalloc", ["--features", "bench-mimalloc"])):
        cmd = ["cargo", "build", "--quiet", "--release", "-p", "shequ-py", *features, "--example", "core_alone", "--message-format=json"]
        try:
            out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            print(f"(Rust core alone not measured: {e})", file=sys.stderr)
            return {}
        for line in out.stdout.splitlines():
            message = json.loads(line)
            if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "core_alone" and message.get("executable"):
                binaries[allocator] = workdir / f"core_alone_{allocator}"
                shutil.copy2(message["executable"], binaries[allocator])
    return binaries


def rust_core_alone(binary: Path, allocator: str, communities: int, seed: int, runs: int, workdir: Path) -> tuple[dict[str, Any], dict[int, int]]:
    """One process of the core-alone example: its JSON line, and its totals
    by community in fen."""
    env = dict(os.environ)
    if allocator == "mimalloc":
        # The extension's setting (shequ/__init__.py): freed memory kept 10 s.
        env.setdefault("MIMALLOC_PURGE_DELAY", "10000")
    totals_file = workdir / f"core_totals_{allocator}_{communities}.csv"
    cmd = [str(binary), str(communities), str(runs), "--seed", str(seed), "--totals", str(totals_file)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    by_community: dict[int, int] = {}
    with open(totals_file, encoding="utf-8") as f:
        next(f)
        for line in f:
            community, amount = line.rstrip("\n").split(",")
            by_community[int(community)] = int(Decimal(amount) / FEN)
    return result, by_community


def check_core_alone(result: dict[str, Any], by_community: dict[int, int], want: Totals) -> None:
    """The core alone's totals (overall, by payer, by community: what
    ``Budget.totals`` gives) against the Arrow path's."""
    assert int(Decimal(result["total"]) / FEN) == want.overall(), "Rust core total differs"
    for i, payer in enumerate(PAYERS):
        assert int(Decimal(result["by_payer"].get(payer, "0")) / FEN) == int(want.fen[want.payer == i].sum()), f"Rust core {payer} total differs"
    per_community: dict[int, int] = {}
    for c, f in zip(want.community.tolist(), want.fen.tolist()):
        per_community[c] = per_community.get(c, 0) + f
    assert {c: f for c, f in by_community.items() if f} == per_community, "Rust core totals by community differ"


# ---------------------------------------------------------------- memory


def rss_child(path: str, communities: int, seed: int) -> None:
    """In a child process: build the tables, then run one path once and
    print the resident memory before it and its peak (VmHWM, reset first
    where the kernel allows, so that building the tables does not count)."""
    import shequ
    from shequ import _native

    c_tab, p_tab = _native.realistic_tables(communities, seed)
    policy = shequ.Policy.from_toml(str(POLICY_FILE))
    c_df = p_df = None
    if path == "pandas peer":
        c_df, p_df = c_tab.to_pandas(), p_tab.to_pandas(date_as_object=False)
        del c_tab, p_tab
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current RSS
        reset = True
    except OSError:
        reset = False
    before = _status_kb("VmRSS")
    t = time.perf_counter()
    if path == "pandas peer":
        pandas_peer(c_df, p_df)
    elif path == "shequ budget only":
        policy.budget(c_tab, p_tab, year=YEAR).total  # noqa: B018
    else:
        shequ_totals(policy.budget(c_tab, p_tab, year=YEAR))
    seconds = time.perf_counter() - t
    peak = _status_kb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"path": path, "before_mb": before / 1024, "peak_mb": peak / 1024, "peak_reset": reset, "seconds": seconds}))


def _status_kb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_rss(path: str, communities: int, seed: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", path, "--communities", str(communities), "--seed", str(seed)],
        capture_output=True, text=True, check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- main


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pandas as pd
    import pyarrow as pa

    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__}, numpy {np.__version__}"
    )


ARROW = "shequ from Arrow"
ARROW_BUDGET = "  of which Policy.budget"
ARROW_TOTALS = "  of which totals_frame(community, payer)"
PANDAS = "shequ from pandas"
TEXT = "shequ from Arrow, text ids"
PEER = "pandas peer (float64, vectorised)"
LOOP = "plain Python + decimal"
RUST = "Rust core alone,"


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        # Free the previous run's result first: freeing a budget is not
        # part of computing the next one.
        result = None
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


class City:
    """One size's tables in every form the paths take, built before timing."""

    def __init__(self, communities: int, seed: int) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        from shequ import _native

        t = time.perf_counter()
        self.c_tab, self.p_tab = _native.realistic_tables(communities, seed)
        self.generate_s = time.perf_counter() - t
        self.c_df = self.c_tab.to_pandas()
        self.p_df = self.p_tab.to_pandas(date_as_object=False)

        def padded(table: Any, column: str, width: int) -> Any:
            i = table.column_names.index(column)
            text = pc.utf8_lpad(pc.cast(table[column], pa.string()), width, "0")
            return table.set_column(i, column, text)

        self.c_text = padded(self.c_tab, "id", 9)
        self.p_text = padded(padded(self.p_tab, "id", 10), "community", 9)
        self.communities = communities
        self.rows = self.p_tab.num_rows
        self.people = int(self.p_df["id"].nunique())


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", choices=["realistic", "synthetic"], default="realistic", help="synthetic: the older bench (bench_synthetic.py), its own options")
    ap.add_argument("--communities", type=int, nargs="+", default=[10_000], help="one size or several (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every path and size, one after the other (default 3)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each path per round, the loop's once (default 3)")
    loop = ap.add_mutually_exclusive_group()
    loop.add_argument("--loop", action="store_true", help="run the plain-Python loop at every size")
    loop.add_argument("--no-loop", action="store_true", help="never run the plain-Python loop")
    ap.add_argument("--no-rust", action="store_true", help="skip the Rust core alone (no cargo)")
    ap.add_argument("--no-rss", action="store_true", help="skip the memory measurements")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument("--rss-child", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args(argv)
    if args.city == "synthetic":
        sys.argv = [str(HERE / "bench_synthetic.py"), *[a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("--city", "synthetic")]]
        runpy.run_path(str(HERE / "bench_synthetic.py"), run_name="__main__")
        return
    if rest:
        ap.error(f"unrecognised arguments: {' '.join(rest)}")
    if args.rss_child:
        rss_child(args.rss_child, args.communities[0], args.seed)
        return
    if min(args.rounds, args.runs, *args.communities) < 1:
        ap.error("--rounds, --runs and --communities must be at least 1")

    import pandas as pd  # noqa: F401  (imported before timing)

    import shequ

    policy = shequ.Policy.from_toml(str(POLICY_FILE))
    sizes = list(dict.fromkeys(args.communities))
    print(f"machine: {machine()}")
    print(f"policy: {POLICY_FILE.relative_to(REPO)} ({policy.document}), year {YEAR}, seed {args.seed}")
    cities: dict[int, City] = {}
    want: dict[int, Totals] = {}
    for n in sizes:
        city = cities[n] = City(n, args.seed)
        want[n] = totals_of_shequ(shequ_totals(policy.budget(city.c_tab, city.p_tab, year=YEAR)))
        print(f"{n} communities: {city.rows} people rows, {city.people} people; tables generated in {city.generate_s:.3f} s; total {Decimal(want[n].overall()) * FEN} yuan")
    with_loop = {n: (args.loop or n <= 1000) and not args.no_loop for n in sizes}

    times: dict[int, dict[str, list[float]]] = {n: {} for n in sizes}
    rounds: list[dict[int, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        core_alone = {} if args.no_rust else build_core_alone(workdir)
        for r in range(args.rounds):
            print(f"round {r + 1} of {args.rounds}", file=sys.stderr)
            this_round: dict[int, dict[str, float]] = {}
            for n in sizes:
                city, best = cities[n], this_round.setdefault(n, {})

                def run(name: str, fn: Callable[[], Any], runs: int) -> Any:
                    ts, result = timed(fn, runs)
                    times[n].setdefault(name, []).extend(ts)
                    best[name] = min(ts)
                    return result

                def check(name: str, got: Totals) -> None:
                    assert got.same_as(want[n]), f"{name}, {n} communities, round {r + 1}: totals differ ({got.first_difference(want[n])})"

                def from_arrow(c: Any = city.c_tab, p: Any = city.p_tab, name: str = ARROW) -> tuple[Any, Any]:
                    t = time.perf_counter()
                    budget = policy.budget(c, p, year=YEAR)
                    t1 = time.perf_counter()
                    grouped = shequ_totals(budget)
                    if name == ARROW:
                        times[n][ARROW_BUDGET].append(t1 - t)
                        times[n][ARROW_TOTALS].append(time.perf_counter() - t1)
                    # The budget is returned too, so that it is freed after
                    # the timing (as in every path of the earlier bench).
                    return grouped, budget

                def from_pandas() -> tuple[Any, Any]:
                    budget = policy.budget(city.c_df, city.p_df, year=YEAR)
                    return shequ_totals(budget), budget

                for name in (ARROW, ARROW_BUDGET, ARROW_TOTALS):
                    times[n].setdefault(name, [])
                # shequ from pandas first: the first shequ path of a round
                # pays for memory the other paths gave back. Then the int-
                # and text-id paths run by turns, each after a shequ run,
                # so that their ratio compares like with like.
                check(PANDAS, totals_of_shequ(run(PANDAS, from_pandas, args.runs)[0]))
                for _ in range(args.runs):
                    check(ARROW, totals_of_shequ(run(ARROW, from_arrow, 1)[0]))
                    check(TEXT, totals_of_shequ(run(TEXT, lambda: from_arrow(city.c_text, city.p_text, TEXT), 1)[0]))
                best[ARROW], best[TEXT] = min(times[n][ARROW][-args.runs :]), min(times[n][TEXT][-args.runs :])
                check(PEER, run(PEER, lambda: pandas_peer(city.c_df, city.p_df), args.runs))
                if with_loop[n]:
                    check(LOOP, run(LOOP, lambda: plain_python(city.c_tab, city.p_tab), 1))
                for allocator, binary in core_alone.items():
                    result, by_community = rust_core_alone(binary, allocator, n, args.seed, args.runs, workdir)
                    check_core_alone(result, by_community, want[n])
                    name = f"{RUST} {allocator} malloc"
                    times[n].setdefault(name, []).extend(result["times_s"])
                    best[name] = result["best_s"]
                for name in (ARROW_BUDGET, ARROW_TOTALS):
                    best[name] = min(times[n][name][-args.runs :])
            rounds.append(this_round)

    memory: dict[int, dict[str, Any]] = {}
    if not args.no_rss:
        for n in sizes:
            memory[n] = {path: measure_rss(path, n, args.seed) for path in ("shequ from Arrow", "shequ budget only", "pandas peer")}

    report(args, sizes, cities, want, times, rounds, memory)


def report(
    args: argparse.Namespace,
    sizes: list[int],
    cities: dict[int, City],
    want: dict[int, Totals],
    times: dict[int, dict[str, list[float]]],
    rounds: list[dict[int, dict[str, float]]],
    memory: dict[int, dict[str, Any]],
) -> None:
    results: dict[int, dict[str, dict[str, Any]]] = {}
    for n in sizes:
        city = cities[n]
        print(f"\n{n} communities, {city.rows} people rows: best and median of every run, {args.rounds} round(s)")
        results[n] = {}
        for name, ts in times[n].items():
            results[n][name] = {"best_s": min(ts), "median_s": statistics.median(ts), "runs": len(ts), "best_ns_per_row": min(ts) / city.rows * 1e9}
            print(f"  {name:<40} best {min(ts):8.3f} s   median {statistics.median(ts):8.3f} s   ({len(ts)} runs; best {min(ts) / city.rows * 1e9:6.0f} ns per people row)")
        print(f"  every path's total: {Decimal(want[n].overall()) * FEN} yuan (and the same per community and payer)")
        for path, m in memory.get(n, {}).items():
            print(f"  peak RSS, {path:<22} {m['peak_mb']:8.0f} MB ({m['peak_mb'] - m['before_mb']:+.0f} MB over the {m['before_mb']:.0f} MB before it; {m['seconds']:.2f} s)")

    ratios: dict[str, dict[str, Any]] = {}
    print(f"\n{'ratio':<66} {'all runs':>9}   each round")

    def ratio(label: str, top: Callable[[dict[int, dict[str, float]]], float | None], goal: str) -> None:
        overall = top({n: {k: v["best_s"] for k, v in results[n].items()} for n in sizes})
        if overall is None:
            return
        each = [x for x in (top(rd) for rd in rounds) if x is not None]
        ratios[label] = {"all_runs": overall, "rounds": each}
        print(f"{label:<66} {overall:8.2f}x   {'  '.join(f'{x:.2f}x' for x in each)}   {goal}")

    def quotient(n: int, a: str, b: str) -> Callable[[dict[int, dict[str, float]]], float | None]:
        return lambda best: best[n][a] / best[n][b] if a in best.get(n, {}) and b in best.get(n, {}) else None

    for n in sizes:
        ratio(f"{n}: {PEER} / {ARROW}", quotient(n, PEER, ARROW), "(goal >= 10x at 100000)")
        ratio(f"{n}: {ARROW} / {TEXT}", quotient(n, ARROW, TEXT), "(goal <= 1.10x: int ids as fast as text)")
        ratio(f"{n}: {PANDAS} / {ARROW}", quotient(n, PANDAS, ARROW), "")
        ratio(f"{n}: {ARROW} / {RUST} mimalloc malloc", quotient(n, ARROW, f"{RUST} mimalloc malloc"), "")
        ratio(f"{n}: {LOOP} / {ARROW}", quotient(n, LOOP, ARROW), "")
    large = max(sizes)
    if 10_000 in sizes and large > 10_000:
        per_row = float(cities[large].rows / cities[10_000].rows)

        def growth(name: str) -> Callable[[dict[int, dict[str, float]]], float | None]:
            def of(best: dict[int, dict[str, float]]) -> float | None:
                if name not in best.get(large, {}) or name not in best.get(10_000, {}):
                    return None
                return best[large][name] / best[10_000][name] / per_row

            return of

        for name in (ARROW, ARROW_BUDGET, PANDAS, TEXT, PEER, f"{RUST} mimalloc malloc", f"{RUST} system malloc"):
            goal = "(goal <= 1.2x)" if name == ARROW else ""
            ratio(f"per people row, {large} / 10000: {name.strip()}", growth(name), goal)
    if args.json:
        print(json.dumps({
            "machine": machine(), "seed": args.seed, "sizes": {n: {"rows": cities[n].rows, "people": cities[n].people, "generate_s": cities[n].generate_s, "total_fen": want[n].overall()} for n in sizes},
            "results": results, "rounds": rounds, "ratios": ratios, "memory": memory,
        }, indent=2))


if __name__ == "__main__":
    main()
