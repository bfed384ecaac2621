"""The notebook-style example runs, and prints the same totals as the Rust
example (`cargo run --release -p shequ --example city_budget`) for the same sample."""

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
        return ["cargo", "run", "--quiet", "--release", "-p", "shequ", "--example", "city_budget", "--"]
    built = REPO / "target" / "release" / "examples" / "city_budget"
    return [str(built)] if built.exists() else None


def totals_block(text: str) -> list[str]:
    """The three header lines of the core's printout (city, year and title;
    document and version; counts) and the two totals blocks (by payer, by
    rule)."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(("Totals by payer", "按出资方合计", "按出資方合計")))
    rule = next(i for i, l in enumerate(lines) if l.startswith(("Totals by rule", "按项目合计", "按項目合計")))
    end = next((i for i in range(rule + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start - 4 : start - 1] + lines[start:end]


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
    block = totals_block(text)
    assert any(l.startswith("  overall") and l.endswith(f"{core.total:,.2f}") for l in block), block
    for payer, amount in core.totals("payer").items():
        name = shequ.Policy.builtin(s.policy).payers.get(payer, {}).get("en", payer)
        assert any(l.startswith(f"  {name} ") and l.endswith(f" {amount:,.2f}") for l in block), (name, block)
    for amount in core.totals("rule").values():
        assert any(f" {amount:,.2f}" in line for line in block), block
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
