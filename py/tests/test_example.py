"""The notebook-style example runs, and prints the same totals as the Rust
example (`cargo run --release --example city_budget`) for the same sample."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

import shequ
from conftest import REPO

EXAMPLE = REPO / "py" / "examples" / "city_budget.py"


def run_python(sample: str, lang: str) -> str:
    out = subprocess.run(
        [sys.executable, str(EXAMPLE), "--sample", sample, "--lang", lang],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return out.stdout


def rust_binary() -> list[str] | None:
    """The Rust example: `cargo run` (rebuilt if the core changed), else its
    release binary if one is built."""
    if shutil.which("cargo") and not os.environ.get("SHEQU_NO_CARGO"):
        return ["cargo", "run", "--quiet", "--release", "--example", "city_budget", "--"]
    built = REPO / "target" / "release" / "examples" / "city_budget"
    return [str(built)] if built.exists() else None


def totals_block(text: str) -> list[str]:
    """The three header lines (city and title; document, id and version;
    counts) and the two totals blocks (by payer, by rule)."""
    lines = text.splitlines()
    doc = next(i for i, l in enumerate(lines) if any(f"({p} " in l for p in shequ.Policy.builtin_ids()))
    start = next(i for i, l in enumerate(lines) if l.startswith(("Totals by payer", "按出资方合计")))
    rule = next(i for i, l in enumerate(lines) if l.startswith(("Totals by rule", "按规则合计")))
    end = next((i for i in range(rule + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[doc - 1 : doc + 2] + lines[start:end]


@pytest.mark.parametrize("sample", shequ.SAMPLE_IDS)
def test_example_totals_are_the_cores(sample: str) -> None:
    """Checked against the core's JSON boundary, independently of the
    tabular path the example takes."""
    text = run_python(sample, "en")
    s = shequ.sample(sample)
    request = {"policy": s.policy, "year": s.year, "quota": "warn", "communities": s.communities, "people": s.people}
    if s.parameters:
        request["parameters"] = s.parameters
    core = shequ.compute(request)
    assert f"  overall {shequ.format_yuan(core.total):>24}" in text or f"{shequ.format_yuan(core.total):>16}" in text
    block = totals_block(text)
    for payer, amount in core.totals("payer").items():
        name = shequ.Policy.builtin(s.policy).payers.get(payer, {}).get("en", payer)
        assert f"  {name:<16} {shequ.format_yuan(amount):>16}" in block
    for amount in core.totals("rule").values():
        assert any(f" {shequ.format_yuan(amount):>16}  " in line for line in block)
    assert sum(core.totals("payer").values(), Decimal(0)) == core.total


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sample", shequ.SAMPLE_IDS)
def test_example_prints_what_the_rust_example_prints(sample: str, lang: str) -> None:
    rust = rust_binary()
    if rust is None:
        pytest.skip("no Rust toolchain to run the Rust example")
    expected = subprocess.run(
        rust + ["--sample", sample, "--lang", lang], capture_output=True, text=True, encoding="utf-8", check=True, cwd=REPO
    ).stdout
    assert totals_block(run_python(sample, lang)) == totals_block(expected)
