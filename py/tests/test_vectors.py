"""Every cross-front-end vector in tests/vectors, through the Python API.

Each vector runs twice: through :func:`shequ.compute` (the JSON boundary the
WASM package shares) and through the tabular API (``Policy.budget`` with the
request's rows as lists of dicts). Both must give the vector's answer; money
is compared as strings with two decimals, errors by code, field and record.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

import shequ
from conftest import VECTORS

# The catalogue of bad input (bad-*.json) runs in every Python form, with its
# own checks, in test_hostile.py.
FILES = sorted(p for p in VECTORS.glob("*.json") if not p.name.startswith("bad-"))
CASES = [json.loads(p.read_text(encoding="utf-8")) for p in FILES]
IDS = [c["id"] for c in CASES]

# Request keys the tabular API takes as keyword arguments; anything else is
# passed through too, so that the Python API refuses it (a TypeError) as the
# JSON boundary refuses it (bad_request).
TABLES = ("communities", "people", "adjustments")


def via_compute(request: dict[str, Any]) -> shequ.Budget:
    return shequ.compute(request)


def via_tables(request: dict[str, Any]) -> shequ.Budget:
    req = dict(request)
    spec = req.pop("policy")
    if isinstance(spec, str):
        policy = shequ.Policy.builtin(spec)
    else:
        policy = shequ.Policy.from_toml(spec["toml"], spec.get("origin"))
    overrides = req.pop("overrides", None)
    if overrides:
        policy = policy.with_values(dict(overrides))
    req.pop("explain", None)
    tables = [req.pop(t, None) for t in TABLES]
    return policy.budget(*tables, **req)


RUNNERS: dict[str, Callable[[dict[str, Any]], shequ.Budget]] = {"compute": via_compute, "tables": via_tables}


def check_expected(budget: shequ.Budget, exp: dict[str, Any]) -> None:
    if "overall" in exp:
        assert str(budget.total) == exp["overall"]
    for by in ("payer", "rule", "community"):
        want = exp.get(f"by_{by}")
        if want:
            got = budget.totals(by)
            for k, v in want.items():
                assert str(got.get(k)) == v, f"by_{by}.{k}"
    if "items" in exp:
        items = budget.to_dict()["items"]
        table = budget.items("arrow").to_pylist()
        for want in exp["items"]:
            key = (want["community"], want["person"], want["rule"])
            found = [it for it in items if (it["community"], it.get("person"), it["rule"]) == key]
            assert len(found) == 1, f"item {want}"
            assert found[0].get("months") == want["months"]
            assert found[0]["amount"] == want["amount"]
            # The Arrow view says the same, as an exact decimal.
            rows = [r for r in table if (r["community"], r["person"], r["rule"]) == key]
            assert len(rows) == 1
            assert rows[0]["months"] == want["months"]
            assert isinstance(rows[0]["amount"], Decimal)
            assert str(rows[0]["amount"]) == want["amount"]
    for kind in ("warnings", "exclusions"):
        codes = {n.code for n in getattr(budget, kind)}
        for code in exp.get(kind, []):
            assert code in codes, f"{kind} lacks {code}"


@pytest.mark.parametrize("runner", sorted(RUNNERS))
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_vector(case: dict[str, Any], runner: str) -> None:
    if "request_text" in case:
        # A request JSON cannot hold once read (a repeated key): only the
        # JSON boundary takes it, as text.
        if runner == "tables":
            pytest.skip("a request as raw text has no tables a Python call could pass")
        with pytest.raises(shequ.ShequError) as raised:
            shequ.compute(case["request_text"])
        assert raised.value.code == case["expected_error"]["code"], str(raised.value)
        if "field" in case["expected_error"]:
            assert getattr(raised.value, "field", None) == case["expected_error"]["field"]
        return
    run = RUNNERS[runner]
    if "expected" in case:
        check_expected(run(case["request"]), case["expected"])
        return
    want = case["expected_error"]
    if want["code"] == "bad_request" and runner == "tables":
        # A request the JSON boundary cannot read is a call the Python API
        # cannot make: a TypeError (missing or unknown argument) or an
        # InputError with code bad_request.
        with pytest.raises((TypeError, shequ.InputError)) as info:
            run(case["request"])
        if isinstance(info.value, shequ.ShequError):
            assert info.value.code == "bad_request"
        return
    with pytest.raises(shequ.ShequError) as raised:
        run(case["request"])
    err = raised.value
    assert err.code == want["code"], str(err)
    assert str(err)
    if want["code"].startswith("policy_"):
        assert isinstance(err, shequ.PolicyError)
    elif want["code"] != "overflow":
        assert isinstance(err, shequ.InputError) and isinstance(err, ValueError)
    if "field" in want:
        assert getattr(err, "field", None) == want["field"]
    if "record_id" in want:
        assert getattr(err, "record_id", None) == want["record_id"]


def test_there_are_vectors() -> None:
    assert len(CASES) > 10, f"no vectors found in {VECTORS}"
    for path, case in zip(FILES, CASES):
        assert Path(path).stem == case["id"]


def test_error_codes_are_the_cores() -> None:
    every = [json.loads(p.read_text(encoding="utf-8")) for p in VECTORS.glob("*.json")]
    covered = {c["expected_error"]["code"] for c in every if "expected_error" in c}
    assert covered <= set(shequ.ERROR_CODES)
