"""Shared fixtures: small tables in every form a notebook holds them."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import shequ

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"


@pytest.fixture(scope="session")
def jilin() -> shequ.Policy:
    return shequ.Policy.builtin("jilin-2011-13")


@pytest.fixture(scope="session")
def jiayuguan() -> shequ.Policy:
    return shequ.Policy.builtin("jiayuguan-2020-97")


@pytest.fixture()
def communities() -> list[dict[str, Any]]:
    return [
        {"id": "C1", "name": "社区A", "district": "船营区", "households": 2750, "rating": "ordinary"},
        {"id": "C2", "name": "社区B", "district": "昌邑区", "households": 3100, "rating": "ordinary"},
    ]


@pytest.fixture()
def people() -> list[dict[str, Any]]:
    return [
        {"id": "P1", "community": "C1", "name": "王芳", "post": "director", "start": datetime.date(2015, 1, 1)},
        {"id": "P2", "community": "C1", "name": "李伟", "post": "member", "start": "2020-03-01", "end": "2026-06-30"},
        {"id": "P3", "community": "C2", "name": "张娜", "post": "director", "start": "2019-05-01", "serving": True},
    ]
