"""Python-side timings of jamlik.heat: per-call overhead of one measure, and
summary() on one case and on 100,000 cases (500,000 rows, one native call).

Run: .venv/bin/python benches/python/heat_summary.py   (after `make build`)
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np
import pandas as pd

from jamlik import _jamlik, heat


def best_of(f: Callable[[], Any], repeat: int = 5, number: int = 1) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            f()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def main() -> None:
    y = np.array([38.2, 45.6, 51.9, 60.3, 71.4])
    se = np.array([2.41, 2.27, 2.18, 2.05, 1.87])
    pop = np.array([212400, 198700, 187300, 176900, 160200], dtype=float)
    order = np.arange(1.0, 6.0)
    n = 2000
    print(f"native heat_measure('d')        {best_of(lambda: _jamlik.heat_measure('d', y, se, pop, order), number=n) * 1e6:8.1f} µs/call")
    print(f"jamlik.heat.d (numpy)           {best_of(lambda: heat.d(y, se, pop, order), number=n) * 1e6:8.1f} µs/call")
    print(f"jamlik.heat.d (lists)           {best_of(lambda: heat.d(list(y), list(se), list(pop), list(order)), number=n) * 1e6:8.1f} µs/call")
    print(f"jamlik.heat.sii (numpy)         {best_of(lambda: heat.sii(y, se, pop, order, scale=100), number=n) * 1e6:8.1f} µs/call")
    print(f"jamlik.heat.mdmw (100 draws)    {best_of(lambda: heat.mdmw(y, se, pop, scale=100), number=n) * 1e6:8.1f} µs/call")

    one = pd.DataFrame(dict(estimate=y, se=se, population=pop, subgroup_order=order, ordered_dimension=1,
                            favourable_indicator=1, scaleval=100, reference_subgroup=0))
    print(f"summary, one ordered case       {best_of(lambda: heat.summary(one), number=200) * 1e3:8.3f} ms/call")
    nonord = one.assign(ordered_dimension=0, subgroup_order=0)
    print(f"summary, one non-ordered case   {best_of(lambda: heat.summary(nonord), number=200) * 1e3:8.3f} ms/call")

    cases = 100_000
    k = np.repeat(np.arange(cases), 5)
    big = pd.DataFrame(dict(
        case_id=k,
        estimate=np.tile(y, cases) + (k % 97) / 10.0,
        se=np.tile(se, cases),
        population=np.tile(pop, cases) + k % 13,
        subgroup_order=np.tile(order, cases),
        ordered_dimension=(k % 2 == 0).astype(float),
        favourable_indicator=1.0,
        scaleval=100.0,
        reference_subgroup=np.tile([0, 0, 0, 0, 1.0], cases),
    ))
    t = best_of(lambda: heat.summary(big, by="case_id"), repeat=2)
    rows = len(heat.summary(big, by="case_id"))
    print(f"summary, 100,000 cases (pandas) {t:8.2f} s  ({rows} result rows, half ordered)")
    try:
        import polars as pl

        pbig = pl.from_pandas(big)
        t = best_of(lambda: heat.summary(pbig, by="case_id"), repeat=2)
        print(f"summary, 100,000 cases (polars) {t:8.2f} s")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
