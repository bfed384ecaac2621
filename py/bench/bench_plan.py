"""Plans and sweeps (issue 19), timed: one process against a Dask
``LocalCluster``.

    python py/bench/bench_plan.py [--communities 10000] [--scenarios 4] [--years 3] [--workers 2] [--runs 2] [--json]

The city is the realistic one of ``py/bench/bench.py``
(``shequ._native.realistic_tables(n, seed)``, about 31 rows of people per
community) under ``core/benches/realistic-city.toml``. Timed, best of
``--runs``:

1. **budget**: one single-year budget from Arrow (``Policy.budget`` and its
   totals), the unit the others are measured against;
2. **plan**: ``Policy.plan`` over the years (households +2% a year, the
   director's stipend +5% a year from the second year);
3. **sweep**: ``Policy.sweep`` of the scenarios (work-funds rates from 1 July
   of the second year, stipends) over the same years, on all cores;
4. the same three through :mod:`shequ.dask` on a ``LocalCluster`` of
   ``--workers`` worker processes (one thread each), the inputs already
   co-partitioned and persisted on the workers (``partitioned=True``), so
   what is timed is the scheduling, the partitions' work and the exact
   combination; the one shuffle (:func:`shequ.dask.partition_by_community`)
   is timed on its own.

Every Dask answer must equal the single-process one, to the fen. Results go
to ``BENCHMARKS.md`` by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import shequ
import shequ.dask
from shequ import _native

REPO = Path(__file__).resolve().parents[2]
POLICY_FILE = REPO / "core" / "benches" / "realistic-city.toml"
T = TypeVar("T")


def best(runs: int, f: Callable[[], T]) -> tuple[float, T]:
    times: list[float] = []
    out: Any = None
    for _ in range(runs):
        start = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
    return min(times), out


def sorted_frame(df: Any) -> Any:
    keys = [k for k in ("scenario", "year", "payer", "rule", "district") if k in df.columns]
    return df.sort_values(keys).reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--communities", type=int, default=10_000)
    ap.add_argument("--scenarios", type=int, default=4)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=0, help="default: 2 per worker")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    policy = shequ.Policy.from_toml(str(POLICY_FILE))
    c_tab, p_tab = _native.realistic_tables(args.communities, args.seed)
    years = list(range(2026, 2026 + args.years))
    assumptions = {
        "households": [{"percent": "2"}],
        "growth": [{"path": "stipend.amounts.director", "percent": "5", "from": years[min(1, len(years) - 1)]}],
    }
    second = years[min(1, len(years) - 1)]
    kinds = [
        lambda i: {"work_funds.rate": f"{1600 + 100 * i} from {second}-07-01"},
        lambda i: {"stipend.amounts.director": str(1250 + 50 * i)},
    ]
    scenarios = {f"s{i + 1}": kinds[i % 2](i // 2) for i in range(args.scenarios)}
    print(
        f"city: {args.communities} communities, {c_tab.num_rows + p_tab.num_rows} rows; "
        f"{args.scenarios} scenarios (+ baseline) × {args.years} years; {os.cpu_count()} cores"
    )

    out: dict[str, float] = {}
    out["budget"], one_budget = best(args.runs, lambda: policy.budget(c_tab, p_tab, year=years[0]).totals())
    out["plan"], one_plan = best(args.runs, lambda: policy.plan(c_tab, p_tab, years=years, assumptions=assumptions))
    out["sweep"], one_sweep = best(args.runs, lambda: policy.sweep(scenarios, c_tab, p_tab, years=years, assumptions=assumptions))

    c_pd, p_pd = c_tab.to_pandas(), p_tab.to_pandas()
    nparts = args.partitions or 2 * args.workers
    with LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
    ) as cluster, Client(cluster) as client:
        dc, dp = dd.from_pandas(c_pd, npartitions=nparts), dd.from_pandas(p_pd, npartitions=nparts)

        def shuffle() -> tuple[Any, Any]:
            pc, pp, _ = shequ.dask.partition_by_community(dc, dp, npartitions=nparts)
            return client.persist(pc), client.persist(pp)

        def settled() -> tuple[Any, Any]:
            pc, pp = shuffle()
            from dask.distributed import wait

            wait([pc, pp])
            return pc, pp

        out["dask shuffle"], (pc, pp) = best(1, settled)
        out["dask budget"], d_budget = best(
            args.runs, lambda: shequ.dask.totals(policy, pc, pp, year=years[0], partitioned=True, check_people=False)
        )
        out["dask plan"], d_plan = best(
            args.runs,
            lambda: shequ.dask.plan(policy, pc, pp, years=years, assumptions=assumptions, partitioned=True, check_people=False),
        )
        out["dask sweep"], d_sweep = best(
            args.runs,
            lambda: shequ.dask.sweep(
                policy, scenarios, pc, pp, years=years, assumptions=assumptions, partitioned=True, check_people=False
            ),
        )
        out["dask budget, people checked"], _ = best(1, lambda: shequ.dask.totals(policy, pc, pp, year=years[0], partitioned=True))

    if d_budget != one_budget:
        raise SystemExit(f"dask budget totals differ: {d_budget} != {one_budget}")
    if not sorted_frame(d_plan.totals()).equals(sorted_frame(one_plan.totals())):
        raise SystemExit("dask plan totals differ")
    if not sorted_frame(d_sweep.totals()).equals(sorted_frame(one_sweep.totals())):
        raise SystemExit("dask sweep totals differ")

    scenario_years = (args.scenarios + 1) * args.years
    print(f"{'':32}{'seconds':>9}")
    for k, v in out.items():
        print(f"{k:32}{v:9.3f}")
    print(f"plan year / budget:              {out['plan'] / args.years / out['budget']:.2f}x (one process)")
    print(f"sweep scenario-year / budget:    {out['sweep'] / scenario_years / out['budget']:.2f}x (one process)")
    print(f"dask sweep / one-process sweep:  {out['dask sweep'] / out['sweep']:.2f}x")
    print("every Dask answer equals the single-process one, to the fen")
    if args.json:
        print(json.dumps({"args": vars(args), "seconds": out}))


if __name__ == "__main__":
    main()
