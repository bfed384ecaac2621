"""shequ on a Dask cluster: budgets, plans and sweeps of inputs too large
for one process, over ``dask.dataframe`` tables.

Each partition is computed by the Rust core through the Arrow path
(:meth:`shequ.Policy.budget`, :meth:`~shequ.Policy.plan`,
:meth:`~shequ.Policy.sweep` on the partition's ``pyarrow`` tables) on a
worker; the partial totals are combined exactly (``Decimal``, or Arrow
``decimal128`` sums; never a float)::

    import dask.dataframe as dd, shequ, shequ.dask
    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")           # or LocalCluster(); dask-jobqueue, dask-kubernetes alike
    communities = dd.read_parquet("s3://bureau/communities/")
    people = dd.read_parquet("s3://bureau/people/")
    policy = shequ.Policy.builtin("jilin-2011-13")
    shequ.dask.totals(policy, communities, people, year=2026)   # {'city': Decimal('…'), …}, as Budget.totals()
    shequ.dask.plan(policy, communities, people, years=range(2026, 2031)).totals()
    shequ.dask.sweep(policy, {"rate 2000": {"work_funds.rate": "2000"}}, communities, people, years=[2027]).diff()

**Partitions.** A community and its people must be in the same partition
(a partition is a small city of its own). The functions here see to it:
:func:`partition_by_community` gives both tables a partition number from
the hash of the community id (of its text, so an ``int64`` id and its
digits as text land together) and moves each row there (``set_index`` on
that number with fixed divisions: one shuffle of each table). Tables
already partitioned so can say ``partitioned=True`` and skip the shuffle.

**The rating quota is city-wide.** A quota caps a share of *all*
communities (floor(10% × N) excellent): a partition alone would check it
against its own N and, assigning ratings from scores, rank its own
communities. So, when a policy pays by rating, the communities table's
``id``, ``households``, ``rating`` and ``score`` columns are gathered
once and the ratings resolved on the whole city, as one process does:
the quota check and its error (``quota="error"``) or warning are the
whole city's; ratings assigned from scores are written into the
partitions' ``rating`` column; each partition is then computed with
``ratings="given"`` and ``quota="warn"`` and its own quota check dropped.
The totals are those of one process, to the fen (the tests check it with
the bench policy's 10% / 30% quota). A sweep whose scenarios assign
different ratings from scores (a scenario changing the caps) is refused:
run that scenario as its own :func:`plan`.

**What a partition cannot see.** A person listed under two communities is
an error in one process (``conflicting_rows``); partitioned by community,
no partition sees both rows, so the people table's ``id`` → ``community``
is checked once across partitions (``check_people=True``) and the error
raised here.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Optional, Union

from . import _native
from ._api import Policy, _parameters
from ._plan import Plan, Sweep, assumptions_json, scenario_pairs, year_list
from .errors import InputError

__all__ = ["partition_by_community", "totals", "plan", "sweep", "PART"]

PART = "_shequ_partition"
"""The column :func:`partition_by_community` adds (dropped before computing)."""

_RATING_COLUMNS = ("id", "households", "rating", "score")


def _part_of(ids: Any, n: int) -> Any:
    import pandas as pd

    h = pd.util.hash_pandas_object(ids.astype("string"), index=False)
    return (h % n).astype("int64")


def partition_by_community(
    communities: Any,
    people: Any = None,
    adjustments: Any = None,
    *,
    npartitions: Optional[int] = None,
) -> tuple[Any, Any, Any]:
    """The tables co-partitioned by community: partition ``k`` of each holds
    the communities whose id hashes to ``k`` and their people and
    adjustment lines. One shuffle of each table (``set_index`` on the
    partition number, fixed divisions)."""
    n = npartitions or communities.npartitions
    divisions = list(range(n)) + [n - 1]

    def place(t: Any, key: str) -> Any:
        if t is None:
            return None
        with_part = t.assign(**{PART: t[key].map_partitions(_part_of, n, meta=(PART, "int64"))})
        return with_part.set_index(PART, divisions=divisions, drop=True)

    return place(communities, "id"), place(people, "community"), place(adjustments, "community")


@functools.lru_cache(maxsize=8)
def _policy(state: tuple[str, str, tuple[tuple[str, str], ...]]) -> Policy:
    """A worker's copy of a policy, read once per process."""
    text, origin, overrides = state
    return Policy(_native.policy_from_state(text, origin, list(overrides)))


def _state(policy: Policy) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    text, origin, overrides = _native.policy_state(policy._native)
    return (text, origin, tuple((k, v) for k, v in overrides))


def _arrow(pdf: Any, ratings: Optional[dict[str, str]] = None) -> Any:
    """A partition (pandas) as the Arrow table the core reads."""
    import pyarrow as pa

    if pdf is None:
        return None
    pdf = pdf.reset_index(drop=True)
    if PART in pdf.columns:
        pdf = pdf.drop(columns=[PART])
    if ratings is not None:
        pdf = pdf.assign(rating=pdf["id"].astype("string").map(ratings))
    return pa.Table.from_pandas(pdf, preserve_index=False)


def _empty(pdf: Any) -> bool:
    return pdf is None or len(pdf) == 0


def _part_totals(state: Any, by: str, c: Any, p: Any, a: Any, ratings: Any, options: dict[str, Any]) -> Optional[list[tuple[Any, Decimal]]]:
    if _empty(c):
        return None
    budget = _policy(state)._native.budget(_arrow(c, ratings), _arrow(p), _arrow(a), **options)
    return budget.totals(by)


def _part_plan(state: Any, c: Any, p: Any, a: Any, ratings: Any, years: list[int], assumptions: Optional[str], options: dict[str, Any]) -> Any:
    if _empty(c):
        return None
    return _native.plan(_policy(state)._native, _arrow(c, ratings), _arrow(p), _arrow(a), years=years, assumptions=assumptions, **options).totals_arrow()


def _part_sweep(state: Any, scenarios: Any, c: Any, p: Any, a: Any, ratings: Any, years: list[int], assumptions: Optional[str], options: dict[str, Any]) -> Any:
    if _empty(c):
        return None
    return _native.sweep(_policy(state)._native, scenarios, _arrow(c, ratings), _arrow(p), _arrow(a), years=years, assumptions=assumptions, **options).totals_arrow()


def _unique_ids(d: Any) -> Any:
    return d["id"].astype("string").drop_duplicates()


def _people_conflicts(p: Any) -> Any:
    """Ids of people found in more than one partition: listed under
    communities of two partitions (a person under two communities of one
    partition is found by the core itself)."""
    counts = p.map_partitions(_unique_ids, meta=("id", "string")).value_counts()
    return counts[counts > 1]


def _options(year: Optional[int], quota: str, ratings: str, max_households: Optional[int], parameters: Any) -> dict[str, Any]:
    o: dict[str, Any] = {"quota": quota, "ratings": ratings, "max_households": max_households, "parameters": _parameters(parameters)}
    if year is not None:
        o["year"] = year
    return o


def _resolve(policies: list[Policy], communities: Any, year: int, options: dict[str, Any]) -> tuple[Optional[dict[str, str]], dict[str, Any]]:
    """The ratings of the whole city, resolved once under each policy's quota
    (raising as one process does), and the options each partition is
    computed with; ``None`` for ratings when the partitions keep theirs."""
    if not any(_uses_ratings(pol) for pol in policies):
        return None, options
    columns = [c for c in _RATING_COLUMNS if c in communities.columns]
    whole = communities[columns].compute().reset_index(drop=True)
    if PART in whole.columns:
        whole = whole.drop(columns=[PART])
    assigned: Optional[dict[str, str]] = None
    for pol in policies:
        b = pol.budget(whole, year=year, **{k: v for k, v in options.items() if k != "year"})
        q = b.quota
        if q is not None and q.get("ratings_from") == "assigned":
            got = {str(r["community"]): r["rating"] for r in b.ratings}
            if assigned is not None and got != assigned:
                raise ValueError(
                    f"scenario policy {pol.origin!r} assigns other ratings from scores than the baseline: "
                    "run it as its own shequ.dask.plan (the quota is city-wide)"
                )
            assigned = got
    return assigned, {**options, "quota": "warn", "ratings": "given"}


def _rates(path: str) -> bool:
    """Whether a what-if path can change which rating a community has (or
    may have): the ratings, or the quota on them."""
    return path.split(".", 1)[0] in ("ratings", "rating_quota")


def _uses_ratings(policy: Policy) -> bool:
    d = policy.to_dict()
    return bool(d.get("rating_quota")) or any(
        r.get("kind") == "rating_bonus" or (r.get("kind") == "monthly_allowance" and r.get("only_ratings"))
        for r in d.get("rules", [])
    )


def _inputs(communities: Any, people: Any, adjustments: Any, partitioned: bool, npartitions: Optional[int]) -> tuple[Any, Any, Any]:
    if not partitioned:
        return partition_by_community(communities, people, adjustments, npartitions=npartitions)
    return communities, people, adjustments


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """A context in which dask's note that delayed tasks materialise the
    frames' expressions is not shown (the tasks need them materialised)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Computing mixed collections")
        yield


def _delayed_parts(f: Any, c: Any, p: Any, a: Any, *args: Any) -> list[Any]:
    """``f(c_k, p_k, a_k, *args)`` for each partition ``k``, as delayed tasks."""
    import dask

    with _quiet():
        cs = c.to_delayed()
        ps = p.to_delayed() if p is not None else [None] * len(cs)
        as_ = a.to_delayed() if a is not None else [None] * len(cs)
    if len(ps) != len(cs) or len(as_) != len(cs):
        raise ValueError("communities, people and adjustments must have as many partitions (see partition_by_community)")
    g = dask.delayed(f, pure=True)
    return [g(ck, pk, ak, *args) for ck, pk, ak in zip(cs, ps, as_)]


def _run(parts: list[Any], people: Any, check_people: bool = True) -> list[Any]:
    """Compute the partitions' tasks (and the people check) in one graph."""
    import dask

    check = people is not None and check_people
    # As delayed partitions, like the tasks: one kind of collection per
    # compute.
    with _quiet():
        conflicts = _people_conflicts(people).to_delayed() if check else []
        done = dask.compute(*parts, *conflicts)
    results, found = list(done[: len(parts)]), done[len(parts) :]
    for bad in found:
        if len(bad) > 0:
            pid = str(bad.index[0])
            raise InputError(
                f"person `{pid}` is listed under more than one community",
                code="conflicting_rows",
                record="person",
                record_id=pid,
                row=None,
                field="community",
            )
    return results


def totals(
    policy: Policy,
    communities: Any,
    people: Any = None,
    adjustments: Any = None,
    *,
    year: int,
    by: str = "payer",
    quota: str = "error",
    ratings: str = "auto",
    max_households: Optional[int] = None,
    parameters: Optional[Mapping[str, Any]] = None,
    partitioned: bool = False,
    npartitions: Optional[int] = None,
    check_people: bool = True,
) -> dict[Any, Decimal]:
    """The budget's totals by ``"payer"`` (default), ``"rule"`` or
    ``"community"``, the same dict :meth:`shequ.Budget.totals` gives for the
    whole input in one process (communities in partition order), from
    ``dask.dataframe`` tables (a pandas frame is taken as one partition).
    Runs on the current Dask scheduler (a ``distributed.Client`` if one is
    active)."""
    c, p, a = _inputs(_dd(communities), _dd(people), _dd(adjustments), partitioned, npartitions)
    options = _options(year, quota, ratings, max_households, parameters)
    assigned, part_options = _resolve([policy], c, year, options)
    parts = _delayed_parts(_part_totals_k, c, p, a, _state(policy), by, assigned, part_options)
    # Payers and rules in the policy's order (every partition lists them
    # alike); communities in partition order.
    out: dict[Any, Decimal] = {}
    for partial in _run(parts, p, check_people):
        for k, v in partial or []:
            out[k] = out.get(k, Decimal("0.00")) + v
    return out


def _part_totals_k(c: Any, p: Any, a: Any, state: Any, by: str, ratings: Any, options: dict[str, Any]) -> Any:
    return _part_totals(state, by, c, p, a, ratings, options)


def _part_plan_k(c: Any, p: Any, a: Any, state: Any, ratings: Any, years: list[int], assumptions: Any, options: dict[str, Any]) -> Any:
    return _part_plan(state, c, p, a, ratings, years, assumptions, options)


def _part_sweep_k(c: Any, p: Any, a: Any, state: Any, scenarios: Any, ratings: Any, years: list[int], assumptions: Any, options: dict[str, Any]) -> Any:
    return _part_sweep(state, scenarios, c, p, a, ratings, years, assumptions, options)


def _combine(tables: list[Any], keys: list[str], order: dict[str, list[str]]) -> Any:
    """Partial totals tables summed exactly by ``keys`` (decimal128 sums),
    in a fixed order: scenarios and payers and rules as the first partial
    lists them, years ascending, districts by name (none last)."""
    import pyarrow as pa

    tables = [t for t in tables if t is not None and t.num_rows > 0]
    if not tables:
        raise ValueError("no communities in any partition")
    # In Decimal: a partition's totals are a few rows per year, payer, rule
    # and district, and Arrow's own group-by (Acero) warns of the buffers
    # that come back from workers unaligned.
    sums: dict[tuple[Any, ...], Decimal] = {}
    for t in tables:
        columns = [t.column(k).to_pylist() for k in keys]
        for *k, v in zip(*columns, t.column("amount").to_pylist()):
            sums[tuple(k)] = sums.get(tuple(k), Decimal("0.00")) + v
    rows = [{**dict(zip(keys, k)), "amount": v} for k, v in sums.items()]
    rank = {k: {v: i for i, v in enumerate(vs)} for k, vs in order.items()}

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        out: list[Any] = []
        for k in keys:
            v = r[k]
            if k in rank:
                out.append(rank[k].get(v, len(rank[k])))
            elif k == "district":
                out.append((v is None, v or ""))
            else:
                out.append(v)
        return tuple(out)

    rows.sort(key=key)
    schema = pa.schema([tables[0].schema.field(k) for k in keys] + [pa.field("amount", pa.decimal128(18, 2), False)])
    for r in rows:
        r["amount"] = r["amount"].quantize(Decimal("0.01"))
    return pa.Table.from_pylist(rows, schema=schema)


def _first_order(tables: list[Any], columns: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {c: [] for c in columns}
    for t in tables:
        if t is None:
            continue
        for c in columns:
            for v in t.column(c).to_pylist():
                if v not in out[c]:
                    out[c].append(v)
    return out


def plan(
    policy: Policy,
    communities: Any,
    people: Any = None,
    adjustments: Any = None,
    *,
    years: Union[int, Iterable[int]],
    assumptions: Optional[Mapping[str, Any]] = None,
    quota: str = "error",
    ratings: str = "auto",
    max_households: Optional[int] = None,
    parameters: Optional[Mapping[str, Any]] = None,
    partitioned: bool = False,
    npartitions: Optional[int] = None,
    check_people: bool = True,
) -> Plan:
    """:meth:`shequ.Policy.plan` over ``dask.dataframe`` tables: each
    partition's plan on a worker, the totals summed exactly. The
    :class:`~shequ.Plan` has ``totals()``, ``changes()``, ``by_year()`` and
    ``plot()``; ``budget(year)`` needs one process (use :meth:`Policy.budget`
    or :func:`totals`)."""
    ys = year_list(years)
    c, p, a = _inputs(_dd(communities), _dd(people), _dd(adjustments), partitioned, npartitions)
    options = _options(None, quota, ratings, max_households, parameters)
    assigned, part_options = _resolve([policy], c, ys[0], options)
    parts = _delayed_parts(_part_plan_k, c, p, a, _state(policy), assigned, ys, assumptions_json(assumptions), part_options)
    tables = _run(parts, p, check_people)
    order = _first_order(tables, ["payer", "rule"])
    return Plan(totals=_combine(tables, ["year", "payer", "rule", "district"], order))


def sweep(
    policy: Policy,
    scenarios: Mapping[str, Any],
    communities: Any,
    people: Any = None,
    adjustments: Any = None,
    *,
    years: Union[int, Iterable[int]],
    assumptions: Optional[Mapping[str, Any]] = None,
    quota: str = "error",
    ratings: str = "auto",
    max_households: Optional[int] = None,
    parameters: Optional[Mapping[str, Any]] = None,
    partitioned: bool = False,
    npartitions: Optional[int] = None,
    check_people: bool = True,
) -> Sweep:
    """:meth:`shequ.Policy.sweep` over ``dask.dataframe`` tables: each
    partition's whole sweep on a worker (its scenarios on the worker's
    cores), the tidy totals summed exactly; ``diff()`` against the
    baseline as one process gives it."""
    ys = year_list(years)
    pairs = scenario_pairs(scenarios)
    c, p, a = _inputs(_dd(communities), _dd(people), _dd(adjustments), partitioned, npartitions)
    options = _options(None, quota, ratings, max_households, parameters)
    # Only a scenario that changes the ratings or their quota can resolve
    # the ratings otherwise than the baseline does (each resolution is a
    # budget of the whole city's communities, here in the client).
    policies = [policy] + [policy.with_values(dict(ov)) for _, ov in pairs if any(_rates(k) for k, _ in ov)]
    if not _uses_ratings(policy):
        policies += [policy.with_values(dict(ov)) for _, ov in pairs if not any(_rates(k) for k, _ in ov)]
    assigned, part_options = _resolve(policies, c, ys[0], options)
    parts = _delayed_parts(_part_sweep_k, c, p, a, _state(policy), pairs, assigned, ys, assumptions_json(assumptions), part_options)
    tables = _run(parts, p, check_people)
    order = _first_order(tables, ["scenario", "payer", "rule"])
    order["scenario"] = ["baseline", *[n for n, _ in pairs]]
    return Sweep(totals=_combine(tables, ["scenario", "year", "payer", "rule", "district"], order))


def _dd(t: Any) -> Any:
    """A table as a dask DataFrame (a pandas frame as one partition)."""
    if t is None:
        return None
    import dask.dataframe as dd

    if isinstance(t, dd.DataFrame):
        return t
    import pandas as pd

    if isinstance(t, pd.DataFrame):
        return dd.from_pandas(t, npartitions=1)
    raise TypeError(f"shequ.dask takes dask or pandas DataFrames, got {type(t).__name__}")

