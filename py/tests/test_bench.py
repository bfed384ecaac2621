"""The benchmark script runs on a small city: every path (Arrow, pandas,
lists of dicts, both plain-Python loops) gives the same totals to the fen
(the script asserts it), and it prints the ratios the issue sets goals for.
The times themselves are not checked here (see BENCHMARKS.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

BENCH = REPO / "py" / "bench" / "bench.py"


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_every_path_gives_the_same_totals_round_after_round() -> None:
    out = run_bench("--communities", "30", "--rounds", "2", "--runs", "2", "--no-rust", "--json")
    assert out.returncode == 0, out.stderr
    assert "round 2 of 2" in out.stderr
    assert "shequ from Arrow" in out.stdout and "plain Python loop, same output" in out.stdout
    assert "plain Python loop, same output / shequ from Arrow" in out.stdout
    assert "every path's total: " in out.stdout
    report = json.loads(out.stdout[out.stdout.index("\n{") :])
    assert len(report["rounds"]) == 2
    assert all(len(each) == 2 for each in report["ratios"].values())
    assert report["results"]["shequ from Arrow"]["runs"] == 4


def test_rounds_must_be_at_least_one() -> None:
    out = run_bench("--rounds", "0", "--no-rust")
    assert out.returncode == 2
    assert "at least 1" in out.stderr
