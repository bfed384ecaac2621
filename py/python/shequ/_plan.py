"""Multi-year plans and scenario sweeps: :class:`Plan` and :class:`Sweep`.

Made by :meth:`shequ.Policy.plan` and :meth:`shequ.Policy.sweep` (or, on a
Dask cluster, by :mod:`shequ.dask`). Every amount is computed by the Rust
core; these classes hold its tables (money as Arrow ``decimal128(18, 2)``,
exact) and draw them.

>>> import shequ
>>> policy = shequ.Policy.builtin("jilin-2011-13")
>>> plan = policy.plan([{"id": "C1", "households": 2750, "rating": "ordinary"}],
...                    years=range(2026, 2029), assumptions={"households": [{"percent": "2"}]})
>>> [str(plan.total(y)) for y in plan.years]
['41250.00', '42075.00', '42915.00']
"""

from __future__ import annotations

import datetime
import html
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _native
from ._tables import Format, convert

if TYPE_CHECKING:
    from ._api import Budget, Note, Policy

__all__ = ["Plan", "Sweep", "COLOURS"]

COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]
"""The payers' colours in charts, in the policy's order (the web form's too)."""

Assumptions = Mapping[str, Any]
"""What a plan assumes, as the core's ``shequ::plan::Assumptions`` (JSON):
``{"households": [{"percent": "2", "from": 2027, "communities": [...]}],
"growth": [{"path": "stipend.amounts.director", "percent": "5", "from": 2027}],
"rules": [{"rule": "work_funds", "from": "2028-01-01", "toml": ...}]}``.
Numbers as text, int or :class:`~decimal.Decimal` (never float)."""


def _json_default(x: object) -> str:
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, datetime.date):
        return x.isoformat()
    raise TypeError(f"{type(x).__name__} is not an exact value (write numbers as text or Decimal)")


def assumptions_json(assumptions: Optional[Assumptions]) -> Optional[str]:
    """Assumptions as the JSON the core reads."""
    if assumptions is None:
        return None
    return json.dumps(assumptions, default=_json_default, ensure_ascii=False)


def year_list(years: Union[int, Iterable[int]]) -> list[int]:
    """``years`` (a ``range``, a list, or one year) as a list of ints."""
    if isinstance(years, int):
        return [years]
    return [int(y) for y in years]


def _yuan(d: Decimal) -> str:
    return f"{d:,.2f}"


def _changes(totals: Any, key: str, base: Optional[Any] = None) -> Any:
    """Year-on-year changes of a totals table (or, with ``base``, each
    scenario against it), exact, as the core computes them: every key of
    either side, missing amounts zero."""
    import pyarrow as pa

    zero = Decimal("0.00")
    keys = ["year", "payer", "rule", "district"]

    def amounts(t: Any) -> dict[tuple[Any, ...], Decimal]:
        out: dict[tuple[Any, ...], Decimal] = {}
        for r in t.to_pylist():
            k = tuple(r[c] for c in (["scenario"] if "scenario" in t.column_names else []) + keys)
            out[k] = out.get(k, zero) + r["amount"]
        return out

    rows: list[dict[str, Any]] = []
    now = amounts(totals)
    if base is None:
        years = sorted({k[0] for k in now})
        for before, year in zip(years, years[1:]):
            ks = sorted({k[1:] for k in now if k[0] in (before, year)}, key=lambda k: tuple("" if x is None else str(x) for x in k))
            for k in ks:
                b, a = now.get((before, *k), zero), now.get((year, *k), zero)
                rows.append(dict(zip(keys, (year, *k)), before=b, amount=a, change=a - b))
    else:
        was = amounts(base)
        scenarios = list(dict.fromkeys(totals.column("scenario").to_pylist()))
        for s in scenarios:
            ks = sorted(
                {k for k in was} | {k[1:] for k in now if k[0] == s},
                key=lambda k: tuple("" if x is None else str(x) for x in k),
            )
            for k in ks:
                b, a = was.get(k, zero), now.get((s, *k), zero)
                rows.append(dict(scenario=s, **dict(zip(keys, k)), baseline=b, amount=a, change=a - b))
    money = pa.decimal128(18, 2)
    fields = ([pa.field("scenario", pa.string(), False)] if base is not None else []) + [
        pa.field("year", pa.int32(), False),
        pa.field("payer", pa.string(), False),
        pa.field("rule", pa.string(), False),
        pa.field("district", pa.string()),
        pa.field(key, money, False),
        pa.field("amount", money, False),
        pa.field("change", money, False),
    ]
    return pa.Table.from_pylist(rows, schema=pa.schema(fields))


def _by_year(totals: Any) -> list[tuple[str, int, dict[str, Decimal]]]:
    """``(scenario, year, {payer: amount})`` in order, from a totals table."""
    out: dict[tuple[str, int], dict[str, Decimal]] = {}
    scenario = "scenario" in totals.column_names
    for r in totals.to_pylist():
        k = (r["scenario"] if scenario else "", r["year"])
        d = out.setdefault(k, {})
        d[r["payer"]] = d.get(r["payer"], Decimal("0.00")) + r["amount"]
    return [(s, y, d) for (s, y), d in out.items()]


def _plot(totals: Any, payers: list[str], ax: Any, title: Optional[str]) -> Any:
    """Stacked totals by year and payer, scenarios side by side: the chart
    the web form draws (``wasm/www/plan.js``)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "plot() needs matplotlib, an optional dependency: pip install matplotlib"
        ) from None
    rows = _by_year(totals)
    scenarios = list(dict.fromkeys(s for s, _, _ in rows))
    years = sorted({y for _, y, _ in rows})
    # Payers that pay something (in the policy's order): a zero segment
    # draws nothing.
    paying = {p for _, _, d in rows for p, a in d.items() if a != 0}
    payers = [p for p in payers if p in paying] + sorted(paying - set(payers))
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(years) * max(1, len(scenarios))), 4.0))
    width = 0.8 / max(1, len(scenarios))
    for si, s in enumerate(scenarios):
        at = {y: d for sc, y, d in rows if sc == s}
        xs = [i - 0.4 + width * (si + 0.5) for i in range(len(years))]
        bottoms = [0.0] * len(years)
        for pi, payer in enumerate(payers):
            # Floats only for the bars' heights; the labels are exact.
            heights = [float(at.get(y, {}).get(payer, Decimal(0))) for y in years]
            ax.bar(xs, heights, width * 0.95, bottom=bottoms, color=COLOURS[pi % len(COLOURS)], label=payer if si == 0 else None)
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        for x, y, top in zip(xs, years, bottoms):
            total = sum(at.get(y, {}).values(), Decimal("0.00"))
            ax.text(x, top, _yuan(total), ha="center", va="bottom", fontsize=7)
            if len(scenarios) > 1:
                ax.text(x, 0, s, ha="center", va="top", fontsize=7, rotation=90)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_ylabel("yuan")
    ax.legend(title="payer")
    if title:
        ax.set_title(title)
    return ax


class Plan:
    """A multi-year plan: one budget per year, kept as totals by year,
    payer, rule and district (see :meth:`shequ.Policy.plan`).

    Money is :class:`decimal.Decimal` or Arrow ``decimal128(18, 2)``; never
    a float.
    """

    __slots__ = ("_native", "_totals", "_changes")

    def __init__(self, native: Optional[_native.Plan] = None, *, totals: Any = None) -> None:
        """Wrap a native plan, or (for :mod:`shequ.dask`) a totals table
        ``year, payer, rule, district, amount`` combined from partitions."""
        self._native = native
        self._totals: Any = totals if totals is not None else native.totals_arrow() if native is not None else None
        self._changes: Any = None

    @property
    def years(self) -> list[int]:
        """The years, in order."""
        if self._native is not None:
            return self._native.years
        return sorted(set(self._totals.column("year").to_pylist()))

    @property
    def policy(self) -> Optional[Policy]:
        """The policy the plan was computed under, its assumptions written in
        as dated rows cited ``assumed`` (``None`` for a plan combined by
        :mod:`shequ.dask`)."""
        from ._api import Policy

        return Policy(self._native.policy) if self._native is not None else None

    def totals(self, format: Format = "pandas") -> Any:
        """One row per year, payer, rule and district: ``year``, ``payer``,
        ``rule``, ``district`` (null when the communities name none),
        ``amount`` (decimal128(18, 2))."""
        return convert(self._totals, format)

    def changes(self, format: Format = "pandas") -> Any:
        """The year-on-year change: for each year after the first, each payer,
        rule and district of it or the year before: ``before``, ``amount``,
        ``change``."""
        if self._changes is None:
            self._changes = self._native.changes_arrow() if self._native is not None else _changes(self._totals, "before")
        return convert(self._changes, format)

    def total(self, year: int) -> Decimal:
        """Everything owed in ``year``."""
        return sum((a for y, a in zip(self._totals.column("year").to_pylist(), self._totals.column("amount").to_pylist()) if y == year), Decimal("0.00"))

    def by_year(self) -> dict[int, dict[str, Decimal]]:
        """``{year: {payer: amount}}``."""
        return {y: d for _, y, d in _by_year(self._totals)}

    def budget(self, year: int) -> Budget:
        """``year``'s full budget, computed again (the same to the fen), so
        any line of any year explains itself: ``plan.budget(2028).explain("C1")``.
        Communities whose households are assumed have an
        ``assumed_households`` note."""
        from ._api import Budget

        if self._native is None:
            raise ValueError("a plan combined from Dask partitions keeps totals only: compute the year with Policy.budget")
        return Budget(self._native.budget(year))

    def warnings(self, year: int) -> list[Note]:
        """The warnings of ``year``'s budget (``quota_exceeded``, ``not_in_force``,
        ``assumed_households``, …)."""
        from ._api import Note

        if self._native is None:
            return []
        return [Note(**n) for n in self._native.warnings(year)]

    def to_dict(self) -> dict[str, Any]:
        """The plan as the JSON boundary answers it (money as strings)."""
        if self._native is None:
            raise ValueError("a plan combined from Dask partitions has no JSON answer; use totals()")
        result: dict[str, Any] = json.loads(self._native.to_json())
        return result

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """Stacked totals by year and payer (matplotlib, an optional
        dependency); returns the ``Axes``."""
        payers = self._native.payers if self._native is not None else list(dict.fromkeys(self._totals.column("payer").to_pylist()))
        return _plot(self._totals, payers, ax, title)

    def __repr__(self) -> str:
        years = self.years
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        return f"<shequ.Plan {span}: " + ", ".join(f"{y} {_yuan(self.total(y))}" for y in years) + ">"

    def _repr_html_(self) -> str:
        by = self.by_year()
        payers = list(dict.fromkeys(p for d in by.values() for p in d))
        head = "".join(f"<th>{html.escape(p)}</th>" for p in payers)
        body = "".join(
            f"<tr><td>{y}</td>" + "".join(f'<td style="text-align:right">{_yuan(d.get(p, Decimal(0)))}</td>' for p in payers)
            + f'<td style="text-align:right"><b>{_yuan(sum(d.values(), Decimal(0)))}</b></td></tr>'
            for y, d in sorted(by.items())
        )
        return f"<b>Plan</b><table><thead><tr><th>year</th>{head}<th>total</th></tr></thead><tbody>{body}</tbody></table>"


class Sweep:
    """Scenarios against a baseline over the same years (see
    :meth:`shequ.Policy.sweep`): one tidy table, and each scenario's
    difference from the baseline."""

    __slots__ = ("_native", "_totals", "_diff")

    def __init__(self, native: Optional[_native.Sweep] = None, *, totals: Any = None) -> None:
        """Wrap a native sweep, or (for :mod:`shequ.dask`) a totals table
        ``scenario, year, payer, rule, district, amount``."""
        self._native = native
        self._totals: Any = totals if totals is not None else native.totals_arrow() if native is not None else None
        self._diff: Any = None

    @property
    def scenarios(self) -> list[str]:
        """The scenarios' names, ``baseline`` first."""
        if self._native is not None:
            return self._native.scenarios
        return list(dict.fromkeys(self._totals.column("scenario").to_pylist()))

    def totals(self, format: Format = "pandas") -> Any:
        """One tidy table: ``scenario``, ``year``, ``payer``, ``rule``,
        ``district``, ``amount``."""
        return convert(self._totals, format)

    def diff(self, format: Format = "pandas") -> Any:
        """Each scenario against the baseline, for every year, payer, rule
        and district of either: ``baseline``, ``amount``, ``change``."""
        if self._diff is None:
            if self._native is not None:
                self._diff = self._native.diff_arrow()
            else:
                import pyarrow.compute as pc

                t = self._totals
                base = t.filter(pc.equal(t.column("scenario"), "baseline")).drop_columns(["scenario"])
                rest = t.filter(pc.not_equal(t.column("scenario"), "baseline"))
                self._diff = _changes(rest, "baseline", base)
        return convert(self._diff, format)

    def plan(self, scenario: str) -> Plan:
        """One scenario's plan (``"baseline"`` for the policy as it is)."""
        if self._native is not None:
            return Plan(self._native.plan(scenario))
        import pyarrow.compute as pc

        t = self._totals
        if scenario not in self.scenarios:
            raise KeyError(f"no scenario {scenario!r}")
        return Plan(totals=t.filter(pc.equal(t.column("scenario"), scenario)).drop_columns(["scenario"]))

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """Each year's totals stacked by payer, the scenarios side by side
        (matplotlib); returns the ``Axes``."""
        base = self._native.plan("baseline") if self._native is not None else None
        payers = base.payers if base is not None else list(dict.fromkeys(self._totals.column("payer").to_pylist()))
        return _plot(self._totals, payers, ax, title)

    def to_dict(self) -> dict[str, Any]:
        """The sweep as the JSON boundary answers it."""
        if self._native is None:
            raise ValueError("a sweep combined from Dask partitions has no JSON answer; use totals()")
        result: dict[str, Any] = json.loads(self._native.to_json())
        return result

    def __repr__(self) -> str:
        return f"<shequ.Sweep {len(self.scenarios)} scenarios: {', '.join(self.scenarios)}>"


def scenario_pairs(scenarios: Mapping[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """``{name: overrides}`` (each a mapping ``path → value`` or a list of
    pairs) as the native sweep takes it, in order."""
    from ._api import _text_value

    out = []
    for name, overrides in scenarios.items():
        items = overrides.items() if isinstance(overrides, Mapping) else overrides
        out.append((str(name), [(str(k), _text_value(str(k), v)) for k, v in items]))
    return out
