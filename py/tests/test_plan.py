"""Plans, dated what-ifs and sweeps from Python (issue 19): tidy exact
tables, each year a budget that explains itself, scenarios on all cores
with the interpreter released, charts."""

from __future__ import annotations

import pickle
import threading
import time
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

import shequ
from conftest import REPO

D = Decimal


def city() -> list[dict[str, Any]]:
    return [
        {"id": "C1", "name": "胜利社区", "district": "船营区", "households": 2750, "rating": "ordinary"},
        {"id": "C2", "name": "新华社区", "district": "昌邑区", "households": 1000, "rating": "ordinary"},
    ]


def staff() -> list[dict[str, Any]]:
    return [
        {"id": "P1", "community": "C1", "post": "director", "start": "2018-03-01"},
        {"id": "P2", "community": "C1", "post": "member", "start": "2019-01-01", "end": "2027-06-30"},
    ]


def test_a_plan_is_a_tidy_exact_table_with_its_changes(jilin: shequ.Policy) -> None:
    growth = {
        "households": [{"percent": D("2")}],
        "growth": [{"path": "stipend.amounts.director", "percent": "5", "from": 2027}],
    }
    plan = jilin.plan(city(), staff(), years=range(2026, 2031), assumptions=growth)
    assert plan.years == [2026, 2027, 2028, 2029, 2030]
    df = plan.totals()
    assert list(df.columns) == ["year", "payer", "rule", "district", "amount"]
    assert str(df["amount"].dtype) == "decimal128(18, 2)[pyarrow]"
    assert isinstance(df["amount"].sum(), Decimal)
    # 2026: (2750 + 1000) × 15 = 56250 work funds; 14400 + 13200 stipends
    assert plan.total(2026) == D("83850.00")
    # 2027: households 2805 and 1020 (+2%): 57375; the director 12 × 1260,
    # the member six months (the post ends on 30 June): 15120 + 6600
    assert plan.total(2027) == D("79095.00")
    wf = df[(df["year"] == 2027) & (df["rule"] == "work_funds")]
    assert sorted(wf["district"].tolist()) == ["昌邑区", "昌邑区", "船营区", "船营区"]
    assert sum(wf["amount"].tolist(), D(0)) == D("57375.00")
    changes = plan.changes()
    assert list(changes.columns) == ["year", "payer", "rule", "district", "before", "amount", "change"]
    member_gone = changes[(changes["year"] == 2028) & (changes["rule"] == "stipend") & (changes["payer"] == "city")]
    # The director's 1323 × 12 − (1260 × 12 + 6600), halved for the city
    assert member_gone["change"].tolist() == [D("-2922.00")]
    assert plan.by_year()[2029] == {"city": plan.total(2029) / 2, "district": plan.total(2029) / 2}
    assert "2030" in repr(plan)
    assert "<table>" in plan._repr_html_()


def test_any_year_of_a_plan_explains_itself(jilin: shequ.Policy) -> None:
    plan = jilin.plan(city(), staff(), years=[2026, 2027, 2028], assumptions={"households": [{"percent": "10", "communities": ["C2"]}]})
    b = plan.budget(2028)
    assert isinstance(b, shequ.Budget)
    assert b.total == plan.total(2028)
    story = b.explain("C2", "en")
    assert "1210 households × 1500 yuan per 100 households = 18,150.00 yuan" in story
    assert "the 1210 households of 2028 are assumed (a plan assumption)" in story
    assert any(n.code == "assumed_households" for n in plan.warnings(2027))
    assert plan.policy is not None and plan.policy.id == "jilin-2011-13"
    assert plan.to_dict()["years"] == [2026, 2027, 2028]


def test_each_year_of_a_plan_is_that_years_budget(jiayuguan: shequ.Policy) -> None:
    s = shequ.sample("jiayuguan")
    plan = jiayuguan.plan(s.communities, s.people, years=range(2026, 2029), quota="warn")
    for y in plan.years:
        assert plan.total(y) == jiayuguan.budget(s.communities, s.people, year=y, quota="warn").total


def test_a_dated_what_if_is_priced_month_by_month(jilin: shequ.Policy) -> None:
    reform = jilin.with_values({"work_funds.rate": "2000 from 2027-07-01"})
    one = [{"id": "C1", "households": 2750, "rating": "ordinary"}]
    b = reform.budget(one, year=2027)
    assert b.totals("rule")["work_funds"] == D("48125.00")
    assert "1–6月 2750户 × 1500元/百户(年额41250元)× 6/12 + 7–12月 2750户 × 2000元/百户(年额55000元)× 6/12" in b.explain("C1")
    assert reform.budget(one, year=2026).totals("rule")["work_funds"] == D("41250.00")
    assert reform.budget(one, year=2028).totals("rule")["work_funds"] == D("55000.00")
    with pytest.raises(shequ.PolicyError) as e:
        jilin.with_values({"work_funds.basis": "per_full_unit from 2027-01-01"})
    assert e.value.code == "policy_bad_override"


def test_a_sweep_is_one_tidy_table_and_its_diff(jilin: shequ.Policy) -> None:
    scenarios: dict[str, Any] = {
        "reform": {"work_funds.rate": "2000 from 2027-07-01"},
        "stipends": [("stipend.amounts.director", D("1300"))],
    }
    sweep = jilin.sweep(scenarios, city(), staff(), years=[2026, 2027])
    assert sweep.scenarios == ["baseline", "reform", "stipends"]
    t = sweep.totals()
    assert list(t.columns) == ["scenario", "year", "payer", "rule", "district", "amount"]
    assert list(dict.fromkeys(t["scenario"])) == ["baseline", "reform", "stipends"]
    d = sweep.diff()
    assert list(d.columns) == ["scenario", "year", "payer", "rule", "district", "baseline", "amount", "change"]
    up = d[(d["scenario"] == "stipends") & (d["year"] == 2026) & (d["rule"] == "stipend")]
    assert sum(up["change"].tolist(), D(0)) == D("1200.00")  # +100 a month for the director
    reform = d[(d["scenario"] == "reform") & (d["year"] == 2027) & (d["rule"] == "work_funds")]
    # (2750 + 1000) × 5 × 6/12 more
    assert sum(reform["change"].tolist(), D(0)) == D("9375.00")
    assert sweep.plan("reform").total(2027) == jilin.with_values(scenarios["reform"]).budget(city(), staff(), year=2027).total
    b = sweep.plan("stipends").budget(2026)
    assert b.total == sweep.plan("stipends").total(2026)
    assert sweep.to_dict()["scenarios"] == ["baseline", "reform", "stipends"]


def test_plans_refuse_by_code(jilin: shequ.Policy) -> None:
    with pytest.raises(shequ.InputError) as e:
        jilin.plan(city(), years=[2027, 2026])
    assert (e.value.code, e.value.field) == ("out_of_range", "years")
    with pytest.raises(shequ.PolicyError) as p:
        jilin.plan(city(), years=[2026, 2027], assumptions={"growth": [{"path": "work_funds.nope", "percent": "5", "from": 2027}]})
    assert p.value.code == "policy_bad_override"
    with pytest.raises(shequ.ShequError) as f:
        jilin.plan(city(), years=[2026], assumptions={"households": [{"percent": 2.5}]})
    assert "float" in str(f.value)
    with pytest.raises(TypeError):
        jilin.plan(city(), years=[2026], assumptions={"households": [{"percent": object()}]})


def test_a_policy_pickles_with_its_what_if_values(jilin: shequ.Policy) -> None:
    q = jilin.with_values({"work_funds.rate": "2000 from 2027-07-01"})
    back = pickle.loads(pickle.dumps(q))
    assert back == q
    assert back.origin == q.origin
    assert back.budget(city(), year=2027).total == q.budget(city(), year=2027).total


def test_a_sweep_releases_the_interpreter() -> None:
    policy = shequ.Policy.from_toml(REPO / "core" / "benches" / "realistic-city.toml")
    c, p = shequ._native.realistic_tables(1500, 5)
    scenarios = {f"rate {r}": {"work_funds.rate": str(r)} for r in (1600, 1700, 1800, 1900)}
    done = threading.Event()
    out: list[Any] = []

    def run() -> None:
        out.append(policy.sweep(scenarios, c, p, years=[2026, 2027]))
        done.set()

    t = threading.Thread(target=run)
    ticks = 0
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    assert out and out[0].scenarios[0] == "baseline"
    # The main thread kept running while the sweep computed (about one tick
    # a millisecond; with the interpreter held it would get none).
    assert ticks > elapsed * 100, (ticks, elapsed)


def test_plots_stack_years_by_payer_and_put_scenarios_side_by_side(jilin: shequ.Policy) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    plan = jilin.plan(city(), years=range(2026, 2029))
    ax = plan.plot(title="Jilin plan")
    assert len(ax.patches) == 3 * 2  # years × payers
    assert ax.get_title() == "Jilin plan"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026", "2027", "2028"]
    labels = [t.get_text() for t in ax.texts]
    assert "56,250.00" in labels
    sweep = jilin.sweep({"x": {"work_funds.rate": "2000"}}, city(), years=[2026, 2027])
    ax = sweep.plot()
    assert len(ax.patches) == 2 * 2 * 2  # scenarios × years × payers
    assert "75,000.00" in [t.get_text() for t in ax.texts]


def test_plot_says_what_to_install_without_matplotlib(jilin: shequ.Policy, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    plan = jilin.plan(city(), years=[2026])
    with pytest.raises(ImportError, match="pip install matplotlib"):
        plan.plot()


def test_plan_tables_convert_to_arrow_and_polars(jilin: shequ.Policy) -> None:
    plan = jilin.plan(city(), years=[2026, 2027])
    t = plan.totals("arrow")
    assert isinstance(t, pa.Table)
    assert t.schema.field("amount").type == pa.decimal128(18, 2)
    assert t.schema.metadata[b"shequ.policy"] == b"jilin-2011-13"
    pl = pytest.importorskip("polars")
    assert isinstance(plan.changes("polars"), pl.DataFrame)
