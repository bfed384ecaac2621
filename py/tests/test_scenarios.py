"""What-ifs: policy values overridden at run time, diffed per payer, rule and
community; policies from TOML files and text; the compliance report."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import shequ
from conftest import REPO


def test_what_if_rate_diff_per_payer_and_community(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    base = jilin.budget(communities, year=2026)
    what_if = jilin.with_values({"work_funds.rate": "2000"})
    scenario = what_if.budget(communities, year=2026)
    diff = scenario.diff(base)
    # (2750 + 3100) households × 5 yuan more per household
    assert diff.total.change == Decimal("29250.00")
    assert diff.total == shequ.Change("overall", base.total, scenario.total, Decimal("29250.00"))
    payers = diff.changes("payer")
    assert payers["city"].change == payers["district"].change == Decimal("14625.00")
    comm = diff.changes("community")
    assert comm["C1"].change == Decimal("13750.00") and comm["C2"].change == Decimal("15500.00")
    assert diff.changes("rule")["work_funds"].change == Decimal("29250.00")
    frame = diff.frame("community", format="arrow")
    assert frame.column_names == ["community", "before", "after", "change"]
    assert frame.schema.field("change").type == pa.decimal128(18, 2)
    assert list(diff.frame("payer")["change"]) == [Decimal("14625.00"), Decimal("14625.00"), Decimal("0.00")]
    assert "+29,250.00" in repr(diff) and "<table>" in diff._repr_html_()
    assert diff.to_dict()["overall"]["change"] == "29250.00"
    # The override is marked in every item it touches, the original is not.
    assert set(scenario.lines()["source"]) == {"override"}
    assert "override" not in set(base.lines()["source"])
    assert jilin.with_values({}).to_dict() == jilin.to_dict()


def test_values_are_exact_text_int_or_decimal(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    a = jilin.with_values({"work_funds.rate": 2000}).budget(communities, year=2026)
    b = jilin.with_values({"work_funds.rate": Decimal("2000")}).budget(communities, year=2026)
    assert a.total == b.total
    with pytest.raises(TypeError, match="float"):
        jilin.with_values({"work_funds.rate": 2000.0})  # type: ignore[dict-item]


def test_values_on_values_add_up(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    step = jilin.with_values({"work_funds.rate": "2000"}).with_values({"work_funds.basis": "per_full_unit"})
    once = jilin.with_values({"work_funds.rate": "2000", "work_funds.basis": "per_full_unit"})
    assert step.to_dict() == once.to_dict()
    assert step.budget(communities, year=2026).total == once.budget(communities, year=2026).total
    again = step.with_values({"work_funds.rate": "2500"})  # a path given again: the new value
    assert again.to_dict() == jilin.with_values({"work_funds.rate": "2500", "work_funds.basis": "per_full_unit"}).to_dict()
    assert step.origin == again.origin == f"{jilin.origin} (with overrides)"


def test_bad_overrides_are_policy_errors(jilin: shequ.Policy) -> None:
    with pytest.raises(shequ.PolicyError) as info:
        jilin.with_values({"work_funds.nope": "1"})
    assert info.value.code == "policy_bad_override" and info.value.key == "work_funds.nope"
    with pytest.raises(shequ.PolicyError) as info:
        jilin.with_values({"work_funds.split.city": "70"})
    assert info.value.code == "policy_split_sum"
    assert not isinstance(info.value, ValueError)


def test_amounts_too_large_for_a_column(jilin: shequ.Policy, communities: list[dict[str, Any]]) -> None:
    # An item is kept in whole fen in 64 bits (some 92 trillion yuan): past
    # that, the budget is the typed overflow error, never a wrong number.
    with pytest.raises(shequ.AmountOverflowError) as info:
        jilin.with_values({"work_funds.rate": "1" + "0" * 20}).budget(communities, year=2026)
    assert info.value.code == "overflow" and isinstance(info.value, ArithmeticError)
    # Below it, an amount too large for decimal128(18, 2) is refused by the table.
    large = jilin.with_values({"work_funds.rate": "1" + "0" * 15}).budget(communities, year=2026)
    assert large.total > Decimal(10) ** 16  # exact as a Decimal
    with pytest.raises(shequ.AmountOverflowError):
        large.lines()


def test_policy_from_file_and_text(tmp_path: Path, communities: list[dict[str, Any]]) -> None:
    source = REPO / "policies" / "jilin-2011-13.toml"
    text = source.read_text(encoding="utf-8")
    by_path = shequ.Policy.from_toml(source)
    by_str_path = shequ.Policy.from_toml(str(source))
    by_text = shequ.Policy.from_toml(text)
    assert by_path == by_str_path == by_text == shequ.Policy.builtin("jilin-2011-13")
    assert by_path.origin == str(source) and by_text.origin == "<text>"
    bad = tmp_path / "my-city.toml"
    bad.write_text(text.replace('city = "50", district = "50"', 'city = "60", district = "50"', 1), encoding="utf-8")
    with pytest.raises(shequ.PolicyError) as info:
        shequ.Policy.from_toml(bad)
    e = info.value
    assert e.code == "policy_split_sum" and e.origin == str(bad) and e.line is not None and e.key
    assert "my-city.toml, line" in str(e)
    with pytest.raises(shequ.PolicyError) as info:
        shequ.Policy.from_toml("[policy]\nid = 1\n")
    assert info.value.code == "policy_syntax" and info.value.line == 2
    with pytest.raises(shequ.PolicyError) as info:
        shequ.Policy.builtin("atlantis")
    assert info.value.code == "policy_not_found"


def test_policy_metadata(jilin: shequ.Policy) -> None:
    assert jilin.id == "jilin-2011-13" and jilin.document == "吉市发[2011]13号"
    assert list(jilin.payers)[:2] == ["city", "district"] and jilin.payers["city"]["zh"] == "市财政"
    assert "director" in jilin.posts and "excellent" in jilin.ratings
    assert jilin.rules[0] == "work_funds"
    d = jilin.to_dict()
    assert d["rules"][0]["clause"] == "五(三)" and d["rules"][0]["quote"]
    assert "jilin-2011-13" in repr(jilin)


def test_parameters(communities: list[dict[str, Any]]) -> None:
    harbin = shequ.Policy.builtin("harbin-2011-14")
    rows = [{"id": "H1", "households": 1801}]
    with pytest.raises(shequ.MissingParameterError) as info:
        harbin.budget(rows, year=2012)
    e = info.value
    assert e.code == "missing_parameter" and e.name == e.field == "deputy_salary_monthly" and e.clause
    b = harbin.budget(rows, year=2012, parameters={"deputy_salary_monthly": Decimal("1800")})
    assert b.total > 0
    assert harbin.budget(rows, year=2012, parameters={"deputy_salary_monthly": "1800"}).total == b.total
    with pytest.raises(shequ.InputError) as info2:
        harbin.budget(rows, year=2012, parameters={"deputy_salary_monthly": 1800.5})  # type: ignore[dict-item]
    assert info2.value.code == "invalid_number" and info2.value.field == "deputy_salary_monthly"


def test_compliance_report() -> None:
    s = shequ.sample("jilin")
    policy = shequ.Policy.builtin(s.policy)
    report = policy.compliance(s.communities, s.people, year=s.year)
    d = report.to_dict()
    assert report.summary["communities"] == 40 and d["findings"]
    findings = report.findings()
    assert len(findings) == len(d["findings"]) and {"community", "check", "clause", "zh", "en"} <= set(findings.columns)
    norms = report.norms("arrow")
    assert norms.num_rows == len(d["norms"])
    if "annual_cost" in norms.column_names:
        assert norms.schema.field("annual_cost").type == pa.decimal128(18, 2)
    assert "findings" in repr(report)
    # A notebook shows a summary: counts by kind and check, the first findings.
    page = report._repr_html_()
    first = d["findings"][0]
    assert f"{len(d['findings'])} findings in {report.summary['communities_with_findings']} of 40 communities" in page
    assert html.escape(first["zh"]) in page and first["clause"] in page
    for check, n in report.summary["by_check"]:
        assert f"<td style=\"text-align:left\">{check}</td><td style=\"text-align:right\">{n}</td>" in page
