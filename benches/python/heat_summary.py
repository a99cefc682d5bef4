"""Python-side timings of jamlik.heat.

The issue-12 speed goal first: every applicable measure of 100,000 ordered
5-subgroup cases (500,000 input rows, 800,000 result rows) from Python in one
`heat.summary(frame, by="case_id")` call, best of N, wall and CPU seconds, split
into the native call and the Python frame work around it. Then the per-call
overhead of single measures and of summary() on one case.

Run: .venv/bin/python benches/python/heat_summary.py [--repeat N] [--goal-only]
(after `make build` or `maturin develop --release`).
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Callable

import numpy as np
import pandas as pd

from jamlik import _jamlik, heat

Y = np.array([38.2, 45.6, 51.9, 60.3, 71.4])
SE = np.array([2.41, 2.27, 2.18, 2.05, 1.87])
POP = np.array([212400, 198700, 187300, 176900, 160200], dtype=float)
ORDER = np.arange(1.0, 6.0)


def best_of(f: Callable[[], Any], repeat: int = 5, number: int = 1) -> tuple[float, float]:
    """Best wall and best CPU seconds per call (CPU counts every thread)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(number):
            f()
        walls.append((time.perf_counter() - w0) / number)
        cpus.append((time.process_time() - c0) / number)
    return min(walls), min(cpus)


def cases_frame(cases: int, ordered: float) -> pd.DataFrame:
    """`cases` 5-subgroup cases; the share `ordered` of them ordered."""
    k = np.repeat(np.arange(cases), 5)
    return pd.DataFrame(dict(
        case_id=k,
        estimate=np.tile(Y, cases) + (k % 97) / 10.0,
        se=np.tile(SE, cases),
        population=np.tile(POP, cases) + k % 13,
        subgroup_order=np.tile(ORDER, cases),
        ordered_dimension=((k % 1000) < ordered * 1000).astype(float),
        favourable_indicator=1.0,
        scaleval=100.0,
        reference_subgroup=np.tile([0, 0, 0, 0, 1.0], cases),
    ))


def goal(repeat: int) -> None:
    """The issue-12 goal: 10^5 ordered 5-subgroup cases from Python <= 0.3 s."""
    big = cases_frame(100_000, ordered=1.0)
    out = heat.summary(big, by="case_id")
    wall, cpu = best_of(lambda: heat.summary(big, by="case_id"), repeat=repeat)
    print(f"GOAL summary, 100,000 ordered cases (pandas)  {wall:6.3f} s wall  {cpu:6.3f} s CPU"
          f"  ({len(out)} rows, {out['method'].nunique()} distinct methods; goal <= 0.3 s)")
    # The native call alone, on the arrays summary() hands it.
    cols = {c: big[c].to_numpy(dtype=float) for c in heat.COLUMNS if c in big.columns}
    group = big["case_id"].to_numpy(dtype=np.int64)
    nwall, ncpu = best_of(lambda: _jamlik.heat_summary(cols, group), repeat=repeat)
    print(f"  native heat_summary alone                   {nwall:6.3f} s wall  {ncpu:6.3f} s CPU")
    print(f"  Python around it (columns, keys, frame)     {wall - nwall:6.3f} s wall  {cpu - ncpu:6.3f} s CPU")
    try:
        import polars as pl

        pbig = pl.from_pandas(big)
        wall, cpu = best_of(lambda: heat.summary(pbig, by="case_id"), repeat=repeat)
        print(f"GOAL summary, 100,000 ordered cases (polars)  {wall:6.3f} s wall  {cpu:6.3f} s CPU")
    except ImportError:
        pass


def overheads() -> None:
    y, se, pop, order = Y, SE, POP, ORDER
    n = 2000
    for label, f in [
        ("native heat_measure('d')     ", lambda: _jamlik.heat_measure("d", y, se, pop, order)),
        ("jamlik.heat.d (numpy)        ", lambda: heat.d(y, se=se, population=pop, subgroup_order=order)),
        ("jamlik.heat.sii (numpy)      ", lambda: heat.sii(y, se=se, population=pop, subgroup_order=order, scale=100)),
        ("jamlik.heat.mdmw (100 draws) ", lambda: heat.mdmw(y, se=se, population=pop, scale=100)),
    ]:
        print(f"{label}   {best_of(f, number=n)[0] * 1e6:8.1f} µs/call")
    one = pd.DataFrame(dict(estimate=y, se=se, population=pop, subgroup_order=order, ordered_dimension=1,
                            favourable_indicator=1, scaleval=100, reference_subgroup=0))
    print(f"summary, one ordered case       {best_of(lambda: heat.summary(one), number=200)[0] * 1e3:8.3f} ms/call")
    nonord = one.assign(ordered_dimension=0, subgroup_order=0)
    print(f"summary, one non-ordered case   {best_of(lambda: heat.summary(nonord), number=200)[0] * 1e3:8.3f} ms/call")
    mixed = cases_frame(100_000, ordered=0.5)
    wall, cpu = best_of(lambda: heat.summary(mixed, by="case_id"), repeat=2)
    print(f"summary, 100,000 cases, half non-ordered (100 draws each)  {wall:6.3f} s wall  {cpu:6.3f} s CPU")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeat", type=int, default=5, help="best of N for the goal (default 5)")
    p.add_argument("--goal-only", action="store_true", help="only the issue-12 goal")
    a = p.parse_args()
    goal(a.repeat)
    if not a.goal_only:
        overheads()


if __name__ == "__main__":
    main()
