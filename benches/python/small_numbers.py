"""Timings of the small-numbers tools and the demo dataset they run on.

- ``jamlik.datasets.demo()`` (with the count KPIs' counts, SEs and limits);
- rank intervals for 290 municipalities × 8 KPIs × 14 years × 3 sexes (one call, 1000 draws);
- funnel flags and empirical-Bayes smoothing over the same long frame.

Run: .venv/bin/python benches/python/small_numbers.py   (after `make build`)
"""

from __future__ import annotations

import time
from typing import Any, Callable

from jamlik import datasets, indicators


def best_of(f: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print(f"datasets.demo()                     {best_of(datasets.demo, repeat=5) * 1e3:8.1f} ms")
    demo = datasets.demo()
    geo = datasets.geography()
    munis = set(geo.loc[geo["kind"] == "municipality", "area"])
    counts = demo[demo["count"].notna() & demo["area"].isin(munis)].reset_index(drop=True)
    by = ["kpi", "year", "sex"]
    print(f"rows: {len(counts)}")
    print(f"rank_intervals (1000 draws)         {best_of(lambda: indicators.rank_intervals(counts, by=by)) * 1e3:8.1f} ms")
    print(f"funnel_flags                        {best_of(lambda: indicators.funnel_flags(counts, by=by)) * 1e3:8.1f} ms")
    print(f"smooth (toward the nation)          {best_of(lambda: indicators.smooth(counts, by=by)) * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
