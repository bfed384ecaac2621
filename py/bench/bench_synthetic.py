"""A province-sized budget, timed four ways: the synthetic city of
BENCHMARKS.md's first seven sessions, kept so that their numbers can be
measured again (``py/bench/bench.py`` measures the realistic city).

    python py/bench/bench.py --city synthetic [--communities 10000] [--rounds 3] [--runs 5] [--loop-runs 1] [--no-rust]
    python py/bench/bench_synthetic.py [the same options]

The city is the core's synthetic Jiayuguan-shaped province
(``shequ.samples::synthetic``): 10000 communities, each with 9 committee
members and 20 residents'-group members (290000 people, one post each),
budget year 2026 under 嘉政辦發〔2020〕97號.

1. **Arrow**: ``Policy.budget`` from pyarrow Tables, then the totals.
2. **pandas**: the same from pandas DataFrames (``Table.to_pandas()``).
3. **plain Python**: loops with :mod:`decimal` doing the same rules
   (non-serving members only, base by post + 50 per full year of service,
   highest post only, paid for months held on the 1st), twice:
   *same output* reads the same Arrow tables (timed) and produces what shequ
   produces (items with payer shares and month runs, the "why not paid"
   notes, totals by payer, rule and community); *totals only* is the leanest
   loop we could write: lists of dicts already converted (not timed), totals
   by payer and community only.
4. **Rust core alone**: ``Policy::budget`` on the same city, already typed
   (``cargo run --release -p shequ-py --example core_alone -- N RUNS
   --city synthetic``), with the
   system allocator and with mimalloc (the extension's allocator, with the
   extension's setting: freed memory kept 10 s).

Every path runs once per round, the rounds one after the other (this
machine has slow spells of seconds: a path timed only inside one would be
compared with paths timed outside it). The script prints each path's best
and median over all runs, and each ratio the issue sets a goal for, both
from the best times of all rounds and round by round. Every path must give
the same total, to the fen, in every round. Results go to
``BENCHMARKS.md`` by hand (``--json`` for the raw numbers).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import shequ
from shequ import _native

REPO = Path(__file__).resolve().parents[2]
POLICY = "jiayuguan-2020-97"
YEAR = 2026


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        # Free the previous run's result first: freeing a budget of 222k
        # items is not part of computing the next one.
        result = None
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


# ---------------------------------------------------------------- plain Python

AMOUNTS = {
    "deputy_director": Decimal(500),
    "supervision_director": Decimal(500),
    "committee_member": Decimal(200),
    "group_leader": Decimal(300),
    "group_member": Decimal(200),
}
KNOWN_POSTS = set(AMOUNTS) | {"director"}
INCREMENT = Decimal(50)
FEN = Decimal("0.01")
YEAR_START, YEAR_END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)


def full_years(start: datetime.date, day: datetime.date) -> int:
    """Anniversaries of ``start`` reached by ``day`` (29 Feb → 28 Feb)."""
    years = day.year - start.year
    month, dom = start.month, start.day
    if (month, dom) == (2, 29) and not (day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)):
        dom = 28
    if (day.month, day.day) < (month, dom):
        years -= 1
    return max(years, 0)


def plain_python(communities: list[dict[str, Any]], people: list[dict[str, Any]]) -> dict[str, Any]:
    """The Jiayuguan rules in a plain loop with ``decimal``: what a careful
    analyst would write without shequ (with the same basic checks)."""
    known = set()
    for c in communities:
        if c["id"] in known:
            raise ValueError(f"duplicate community {c['id']}")
        if int(c["households"]) < 0:
            raise ValueError(f"negative households in {c['id']}")
        known.add(c["id"])
    persons: dict[str, dict[str, Any]] = {}
    for row in people:
        if row["community"] not in known:
            raise ValueError(f"unknown community {row['community']}")
        if row["post"] not in KNOWN_POSTS:
            raise ValueError(f"unknown post {row['post']}")
        p = persons.setdefault(row["id"], {"community": row["community"], "serving": row["serving"], "posts": []})
        p["posts"].append((row["post"], row["start"], row["end"]))
    firsts = [datetime.date(YEAR, m, 1) for m in range(1, 13)]
    by_community: dict[str, Decimal] = {c["id"]: Decimal(0) for c in communities}
    overall = Decimal(0)
    for p in persons.values():
        if p["serving"]:
            continue
        amount = Decimal(0)
        for first in firsts:
            rates = [
                AMOUNTS[post] + INCREMENT * full_years(start, first)
                for post, start, end in p["posts"]
                if post in AMOUNTS and start <= first and (end is None or first <= end)
            ]
            if rates:
                amount += max(rates)
        amount = amount.quantize(FEN)
        if amount:
            by_community[p["community"]] += amount
            overall += amount
    return {"overall": overall, "by_payer": {"city": overall}, "by_community": by_community}


POST_NAMES = {
    "director": ("居民委員會主任", "committee director"),
    "deputy_director": ("居委會副主任", "deputy director"),
    "supervision_director": ("居務監督委員會主任", "director of the residents' affairs supervision committee"),
    "group_leader": ("居民小組長", "residents' group leader"),
    "committee_member": ("居民委員會成員", "committee member"),
    "group_member": ("居民小組成員", "residents' group member"),
}
RULE = ("work_allowance", "非在職人員工作補貼", "work allowance (non-serving members)", "三(三)")


def plain_python_itemised(communities_table: Any, people_table: Any) -> dict[str, Any]:
    """The same rules with the same output as shequ, end to end from the
    same Arrow tables: rows read into dicts, each person's month-by-month
    allowance as runs of months at one rate, one item per paid person with
    its payer shares, the "why not paid" notes in Chinese and English, and
    totals by payer, rule and community."""
    communities = communities_table.to_pylist()
    people = people_table.to_pylist()
    known: dict[str, dict[str, Any]] = {}
    for i, c in enumerate(communities):
        if c["id"] in known:
            raise ValueError(f"row {i}: duplicate community {c['id']}")
        if int(c["households"]) < 0:
            raise ValueError(f"row {i}: negative households in {c['id']}")
        known[c["id"]] = c
    persons: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(people):
        if row["community"] not in known:
            raise ValueError(f"row {i}: unknown community {row['community']}")
        if row["post"] not in KNOWN_POSTS:
            raise ValueError(f"row {i}: unknown post {row['post']}")
        if row["end"] is not None and row["end"] < row["start"]:
            raise ValueError(f"row {i}: starts after it ends")
        p = persons.setdefault(row["id"], {"id": row["id"], "name": row["name"], "community": row["community"], "serving": row["serving"], "posts": []})
        p["posts"].append((row["post"], row["start"], row["end"]))
    rule_id, rule_zh, rule_en, clause = RULE
    items: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    for p in persons.values():
        listed = [h for h in p["posts"] if h[0] in AMOUNTS]
        who = f"{p['name']}({p['id']})" if p["name"] else p["id"]
        if not listed:
            # Holds only posts no rule pays (a director): a note says so.
            posts = "、".join(dict.fromkeys(POST_NAMES[h[0]][0] for h in p["posts"] if h[0] in POST_NAMES))
            exclusions.append({"community": p["community"], "person": p["id"], "rule": None, "clause": None, "code": "post_not_paid", "zh": f"{who} 擔任{posts},本政策沒有為此職務計發的項目,不計發", "en": f"{who} holds posts no rule of this policy pays: nothing is owed"})
            continue
        note = {"community": p["community"], "person": p["id"], "rule": rule_id, "clause": clause}
        if p["serving"]:
            exclusions.append({**note, "code": "serving_not_eligible", "zh": f"{who} 为在职人员,不享受{rule_zh}", "en": f"{who} is in serving employment and gets no {rule_en}"})
            continue
        segments: list[dict[str, Any]] = []
        passed_over: list[tuple[str, str]] = []
        total = Decimal(0)
        for m in range(1, 13):
            first = datetime.date(YEAR, m, 1)
            best = None
            held = []
            for post, start, end in listed:
                if start <= first and (end is None or first <= end):
                    years = full_years(start, first)
                    monthly = AMOUNTS[post] + INCREMENT * years
                    held.append(post)
                    if best is None or monthly > best[3]:
                        best = (post, AMOUNTS[post], years, monthly)
            if best is None:
                continue
            total += best[3]
            for other in held:
                if other != best[0] and (other, best[0]) not in passed_over:
                    passed_over.append((other, best[0]))
            last = segments[-1] if segments else None
            if last and last["to_month"] + 1 == m and last["post"] == best[0] and last["monthly"] == best[3]:
                last["to_month"] = m
                last["months"] += 1
            else:
                segments.append({"from_month": m, "to_month": m, "months": 1, "post": best[0], "base": best[1], "years": best[2], "increment": INCREMENT, "monthly": best[3]})
        for lower, higher in passed_over:
            (lz, le), (hz, he) = POST_NAMES[lower], POST_NAMES[higher]
            exclusions.append({**note, "code": "lower_post_not_paid", "zh": f"{who} 兼任{lz}和{hz},{rule_zh}高位取酬,按{hz}计发,{lz}不重复享受", "en": f"{who} holds both {le} and {he}: {rule_en} is paid for the higher-paid {he} only, not for {le} as well"})
        if not segments:
            if any(start <= YEAR_END and (end is None or end >= YEAR_START) for _, start, end in listed):
                exclusions.append({**note, "code": "no_month_held", "zh": f"{who} 在所计月份的1日均未在岗,本期不计{rule_zh}", "en": f"{who} held no listed post on the 1st of any counted month, so no {rule_en} is owed"})
            elif not passed_over:
                # Nothing paid and no rule's note: the note of nothing owed.
                exclusions.append({"community": p["community"], "person": p["id"], "rule": None, "clause": None, "code": "nothing_owed", "zh": f"{who} 本期沒有應發的項目", "en": f"{who}: nothing is owed"})
            continue
        amount = total.quantize(FEN, rounding=ROUND_HALF_UP)
        post = segments[0]["post"] if all(s["post"] == segments[0]["post"] for s in segments) else None
        items.append({
            "community": p["community"], "person": p["id"], "rule": rule_id, "post": post,
            "months": sum(s["months"] for s in segments), "amount": amount,
            "shares": [{"payer": "city", "percent": Decimal(100), "amount": amount}],
            "calc": segments, "clause": clause,
        })
    by_payer: dict[str, Decimal] = {"city": Decimal(0)}
    by_rule: dict[str, Decimal] = {rule_id: Decimal(0)}
    by_community: dict[str, Decimal] = {c: Decimal(0) for c in known}
    for it in items:
        for share in it["shares"]:
            by_payer[share["payer"]] += share["amount"]
        by_rule[it["rule"]] += it["amount"]
        by_community[it["community"]] += it["amount"]
    overall = sum(by_payer.values(), Decimal(0))
    return {"overall": overall, "by_payer": by_payer, "by_rule": by_rule, "by_community": by_community, "items": items, "exclusions": exclusions}


# ---------------------------------------------------------------- Rust alone


def build_core_alone(workdir: Path) -> dict[str, Path]:
    """The core-alone example built with each allocator, copied to
    ``workdir`` (one binary per allocator: cargo writes both to the same
    path). Empty if cargo is not there or the build fails."""
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


def rust_core_alone(binary: Path, allocator: str, communities: int, runs: int) -> dict[str, Any]:
    """One run of the core-alone example: its JSON line (times of each run
    included)."""
    # With the extension's allocator, also its setting (shequ/__init__.py):
    # freed memory kept 10 s.
    env = dict(os.environ)
    if allocator == "mimalloc":
        env.setdefault("MIMALLOC_PURGE_DELAY", "10000")
    out = subprocess.run([str(binary), str(communities), str(runs), "--city", "synthetic"], env=env, capture_output=True, text=True, check=True)
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
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--communities", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every path, one after the other (default 3)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each shequ path and of the Rust core per round (default 5)")
    ap.add_argument("--loop-runs", type=int, default=1, help="runs of each plain-Python loop per round (default 1)")
    ap.add_argument("--no-rust", action="store_true", help="skip the Rust core alone (no cargo)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = ap.parse_args()
    if min(args.rounds, args.runs, args.loop_runs) < 1:
        ap.error("--rounds, --runs and --loop-runs must be at least 1")

    import pandas as pd  # noqa: F401  (imported before timing)
    import pyarrow as pa

    policy = shequ.Policy.builtin(POLICY)
    communities, people = _native.synthetic_tables(POLICY, args.communities, 1)
    assert isinstance(communities, pa.Table)
    c_df, p_df = communities.to_pandas(), people.to_pandas()
    c_rows, p_rows = communities.to_pylist(), people.to_pylist()
    print(f"{communities.num_rows} communities, {people.num_rows} people rows ({p_df['id'].nunique()} people)")
    print(f"machine: {machine()}")

    def from_arrow() -> shequ.Budget:
        b = policy.budget(communities, people, year=YEAR)
        b.totals()
        return b

    def from_pandas() -> shequ.Budget:
        b = policy.budget(c_df, p_df, year=YEAR)
        b.totals()
        return b

    with tempfile.TemporaryDirectory() as workdir:
        core_alone = {} if args.no_rust else build_core_alone(Path(workdir))
        # Every path once per round, the rounds one after the other: this
        # machine has slow spells of seconds, and a path timed only inside
        # one would be compared with paths timed outside it.
        times: dict[str, list[float]] = {}
        rounds: list[dict[str, float]] = []
        for r in range(args.rounds):
            print(f"round {r + 1} of {args.rounds}", file=sys.stderr)
            best: dict[str, float] = {}

            def run(name: str, fn: Callable[[], Any], runs: int) -> Any:
                ts, result = timed(fn, runs)
                times.setdefault(name, []).extend(ts)
                best[name] = min(ts)
                return result

            budget = run(ARROW, from_arrow, args.runs)
            lines = run(LINES, lambda: budget.lines("arrow"), args.runs)
            b2 = run(PANDAS, from_pandas, args.runs)
            b3 = run(DICTS, lambda: policy.budget(c_rows, p_rows, year=YEAR), max(1, args.runs // 2))
            plain = run(LOOP_TOTALS, lambda: plain_python(c_rows, p_rows), args.loop_runs)
            full = run(LOOP_SAME, lambda: plain_python_itemised(communities, people), args.loop_runs)
            for allocator, binary in core_alone.items():
                rust = rust_core_alone(binary, allocator, args.communities, args.runs)
                assert Decimal(rust["total"]) == budget.total, "Rust total differs"
                name = f"{RUST} {allocator} malloc"
                times.setdefault(name, []).extend(rust["times_s"])
                best[name] = rust["best_s"]
            rounds.append(best)

            # Same numbers everywhere, to the fen.
            assert budget.total == b2.total == b3.total == plain["overall"], "totals differ"
            assert budget.totals("payer") == plain["by_payer"]
            assert budget.totals("community") == plain["by_community"]
            assert budget.totals("community") == full["by_community"] and budget.totals("rule") == full["by_rule"]
            assert len(full["items"]) == len(budget) and len(full["exclusions"]) == len(budget.exclusions)
            assert lines.num_rows >= len(budget)

    results: dict[str, dict[str, Any]] = {}
    print(f"\nbest and median of every run, {args.rounds} round(s):")
    for name, ts in times.items():
        results[name] = {"best_s": min(ts), "median_s": statistics.median(ts), "runs": len(ts), "total": str(budget.total)}
        print(f"  {name:<38} best {min(ts):8.3f} s   median {statistics.median(ts):8.3f} s   ({len(ts)} runs)")
    print(f"  every path's total: {budget.total} yuan")

    ratios: dict[str, list[float]] = {}
    print()
    print(f"{'ratio':<60} {'all runs':>9}   each round")
    for top, bottom, goal in ratio_lines([n for n in results if n.startswith(RUST)]):
        overall = results[top]["best_s"] / results[bottom]["best_s"]
        each = [rd[top] / rd[bottom] for rd in rounds]
        label = f"{top} / {bottom}"
        ratios[label] = each
        print(f"{label:<60} {overall:8.2f}x   {'  '.join(f'{x:.2f}x' for x in each)}   {goal}")
    if args.json:
        print(json.dumps({"machine": machine(), "rounds": rounds, "results": results, "ratios": ratios}, indent=2))


ARROW = "shequ from Arrow"
LINES = "  + lines() as Arrow"
PANDAS = "shequ from pandas"
DICTS = "shequ from lists of dicts"
LOOP_TOTALS = "plain Python loop, totals only"
LOOP_SAME = "plain Python loop, same output"
RUST = "Rust core alone,"


def ratio_lines(rust: list[str]) -> list[tuple[str, str, str]]:
    """The ratios the issue sets goals for, and one for reference, each as
    the paths whose best times are divided and the goal."""
    return [
        (LOOP_SAME, ARROW, "(goal >= 50x: the loop gives what shequ gives)"),
        (LOOP_TOTALS, ARROW, "(for reference: totals only, no items or notes)"),
        *((ARROW, name, "(goal <= 2x)") for name in rust),
    ]


if __name__ == "__main__":
    main()
