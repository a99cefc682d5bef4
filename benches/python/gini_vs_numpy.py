"""The Gini at register scale against the issue's baseline: the three-line
numpy Gini WITHOUT a standard error (``np.sort``, then one weighted sum;
weighted: ``np.argsort``, gathers and cumulative sums), while jamlik also
computes the linearised SE.

Run: .venv/bin/python benches/python/gini_vs_numpy.py [--n 10000000] [--repeats 5]

One process, interleaved (round-robin), best of `repeats`, wall and CPU
seconds. Also reports the Rust-side floor for comparison: `np.sort` alone
(SIMD sort of f64 in numpy) — the bare Rust sort of the u64 keys is in
`cargo bench --bench sort_floor`.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any, Callable

import jamlik
import numpy as np


def numpy_gini(v: np.ndarray) -> float:
    """The three-line numpy Gini (population form), no SE."""
    x = np.sort(v)
    n = x.size
    return float(2.0 * np.dot(np.arange(1, n + 1, dtype=np.float64), x) / (n * x.sum()) - (n + 1) / n)


def numpy_gini_weighted(v: np.ndarray, w: np.ndarray) -> float:
    """Weighted Gini with the argsort: sum w x (2 * midpoint rank - 1) / mean."""
    o = np.argsort(v)
    x, ws = v[o], w[o]
    cw = np.cumsum(ws)
    total = cw[-1]
    r = (cw - ws / 2) / total
    wx = ws * x
    return float(2.0 * np.dot(wx, r) / wx.sum() - 1.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    v = rng.lognormal(10.0, 0.7, args.n)
    w = rng.uniform(0.5, 3.0, args.n)
    cases: dict[str, Callable[[], Any]] = {
        "jamlik gini + SE, unweighted": lambda: jamlik.gini(v),
        "jamlik gini (no SE), unweighted": lambda: jamlik.gini(v, se="none"),
        "numpy three-line gini (np.sort), no SE": lambda: numpy_gini(v),
        "np.sort alone": lambda: np.sort(v),
        "jamlik gini + SE, weighted": lambda: jamlik.gini(v, w),
        "numpy weighted gini (argsort), no SE": lambda: numpy_gini_weighted(v, w),
    }
    g, gw = jamlik.gini(v), jamlik.gini(v, w)
    assert abs(g.value - numpy_gini(v)) < 1e-9 and abs(gw.value - numpy_gini_weighted(v, w)) < 1e-9
    best = {k: (float("inf"), float("inf")) for k in cases}
    for _ in range(args.repeats):
        for k, f in cases.items():
            t, c = time.perf_counter(), time.process_time()
            f()
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            best[k] = (min(best[k][0], wall), min(best[k][1], cpu))
    print(f"# Gini at n = {args.n:,} (one process, interleaved, best of {args.repeats}; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})\n")
    print("| implementation | wall s | CPU s |\n|---|---|---|")
    for k, (wall, cpu) in best.items():
        print(f"| {k} | {wall:.3f} | {cpu:.3f} |")
    u, nu = best["jamlik gini + SE, unweighted"], best["numpy three-line gini (np.sort), no SE"]
    wt, nw = best["jamlik gini + SE, weighted"], best["numpy weighted gini (argsort), no SE"]
    print(f"\nunweighted: jamlik with SE is {nu[0] / u[0]:.2f}x (wall) / {nu[1] / u[1]:.2f}x (CPU) the numpy "
          f"three-line Gini without SE (goal >= 2x)")
    print(f"weighted: {nw[0] / wt[0]:.2f}x (wall) / {nw[1] / wt[1]:.2f}x (CPU) (goal >= 8x)")


if __name__ == "__main__":
    main()
