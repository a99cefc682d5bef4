"""Timing: the concentration index with its linearized SE for 1,000 groups of
10^4 rows (10^7 rows), weighted, in ONE grouped call (``by=``) against a
Python loop of per-group calls over the same data.

Run: .venv/bin/python benches/python/grouped.py [groups] [rows_per_group]
Reports wall and CPU time (best of a few runs) and the loop/grouped ratio.
On a shared, oversubscribed machine the wall time measures the queue; the
CPU time measures the work.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable

import jamlik
import numpy as np


def best_of(f: Callable[[], Any], repeat: int = 3) -> tuple[float, float]:
    """Best wall time and best CPU time (all threads of the process), in s."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def main() -> None:
    groups = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    n = groups * per
    rng = np.random.default_rng(12)
    key = rng.permutation(np.repeat(np.arange(groups), per))  # rows of a group scattered
    income = rng.lognormal(10.0, 0.6, n)
    health = rng.gamma(2.0, 1.0, n) + income * 1e-6
    weights = rng.uniform(0.5, 1.5, n)

    def grouped() -> Any:
        return jamlik.concentration_index(health, income, weights, by=key)

    # The loops a user writes without by=: sort the rows by group once (the
    # sort is timed) and slice, or a boolean mask per group.
    def loop_sorted() -> list[Any]:
        order = np.argsort(key, kind="stable")
        bounds = np.searchsorted(key[order], np.arange(groups + 1))
        out = []
        for g in range(groups):
            rows = order[bounds[g] : bounds[g + 1]]
            out.append(jamlik.concentration_index(health[rows], income[rows], weights[rows]))
        return out

    def loop_mask() -> list[Any]:
        return [
            jamlik.concentration_index(health[m], income[m], weights[m])
            for m in (key == g for g in range(groups))
        ]

    res = grouped()
    check = loop_sorted()
    diff = max(abs(r.value - v) for r, v in zip(check, res.set_index("by").sort_index()["value"]))
    g_wall, g_cpu = best_of(grouped)
    s_wall, s_cpu = best_of(loop_sorted)
    m_wall, m_cpu = best_of(loop_mask, repeat=1)
    print(f"{groups} groups x {per} rows = {n:,} rows, weighted CI + linearized SE")
    print(f"grouped call (by=):                wall {g_wall:7.3f} s  cpu {g_cpu:7.3f} s")
    print(f"loop, argsort by group + slices:   wall {s_wall:7.3f} s  cpu {s_cpu:7.3f} s  ratio {s_wall / g_wall:5.1f}x")
    print(f"loop, boolean mask per group:      wall {m_wall:7.3f} s  cpu {m_cpu:7.3f} s  ratio {m_wall / g_wall:5.1f}x")
    print(f"max |grouped - loop| value: {diff:.2e}")


if __name__ == "__main__":
    main()
