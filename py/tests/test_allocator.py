"""The extension's allocator keeps freed memory for the next budget (see
``shequ/__init__.py``): the setting reaches mimalloc, a caller's own value
wins, and nothing is left in the environment for child processes."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = "import os, shequ; print(os.environ.get('MIMALLOC_PURGE_DELAY'))"


def load(extra: dict[str, str]) -> tuple[str, str]:
    """Import shequ in a fresh interpreter with mimalloc's option report on:
    what the environment holds after the import, and the report."""
    env = {k: v for k, v in os.environ.items() if k != "MIMALLOC_PURGE_DELAY"}
    env.update(extra)
    env["MIMALLOC_VERBOSE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip(), out.stderr


def test_freed_memory_is_kept_ten_seconds_and_the_variable_is_not_left() -> None:
    left, report = load({})
    assert "option 'purge_delay': 10000" in report, report[-2000:]
    assert left == "None"


def test_a_callers_own_setting_wins() -> None:
    left, report = load({"MIMALLOC_PURGE_DELAY": "25"})
    assert "option 'purge_delay': 25" in report, report[-2000:]
    assert left == "25"
