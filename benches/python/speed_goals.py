"""Issue 12 speed goals, side by side in one process: Gini with SE (goal 3)
and indicator statistics (goal 4) against the vectorised numpy/scipy formulas.

Run: .venv/bin/python benches/python/speed_goals.py [--n-gini 10000000] [--n-ind 1000000] [--repeats 5]
(after `make build`). For a current numpy, unset OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE in this command only.

The machine is shared, so every comparison runs in this one process,
interleaved (jamlik, peer, jamlik, peer, ...), best of `repeats`. Two times
are printed: wall-clock seconds and CPU seconds (process time; jamlik may use
both cores, numpy uses one), because wall time on a loaded machine mostly
measures the other processes. Each goal prints one markdown table row.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Callable

import numpy as np


def interleaved(cases: dict[str, Callable[[], Any]], repeats: int) -> dict[str, tuple[float, float]]:
    """Best wall and best CPU seconds of each case, the cases interleaved."""
    best = {k: (float("inf"), float("inf")) for k in cases}
    for _ in range(repeats):
        for name, f in cases.items():
            w, c = time.perf_counter(), time.process_time()
            f()
            w, c = time.perf_counter() - w, time.process_time() - c
            best[name] = (min(best[name][0], w), min(best[name][1], c))
    return best


def numpy_gini(y: np.ndarray, w: Any = None) -> tuple[float, float]:
    """Gini with the linearised (iid) SE: sort, midpoint ranks, one weighted sum."""
    if w is None:
        s = np.sort(y)
        ws = np.ones_like(s)
    else:
        o = np.argsort(y)
        s, ws = y[o], w[o]
    total = ws.sum()
    r = (np.cumsum(ws) - ws / 2) / total
    mu = (ws * s).sum() / total
    g = 2.0 * (ws * s * (r - 0.5)).sum() / (total * mu)
    q = np.cumsum(ws * s) / (total * mu)
    a = s / mu * (2 * r - 1 - g) + 2 - (q - ws * s / (total * mu)) - q
    var = ((ws * a * a).sum() / total - (1 + g) ** 2) / len(s)
    return float(g), float(np.sqrt(max(var, 0.0)))


def numpy_wilson(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, ...]:
    from scipy import stats

    z = stats.norm.ppf(0.975)
    p = x / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return p, c - h, c + h


def numpy_rate(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, ...]:
    """Byars from 10 events, scipy's exact (gamma) limits below."""
    from scipy import special, stats

    z = stats.norm.ppf(0.975)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    y = x + 1
    up = y * (1 - 1 / (9 * y) + z / (3 * np.sqrt(y))) ** 3
    small = x < 10
    xs = x[small]
    lo[small] = np.where(xs > 0, special.gammaincinv(np.maximum(xs, 1e-300), 0.025), 0.0)
    up[small] = special.gammaincinv(xs + 1, 0.975)
    return x / n * 1e5, lo / n * 1e5, up / n * 1e5


def row(job: str, ours: tuple[float, float], peer_name: str, peer: tuple[float, float]) -> str:
    return (
        f"| {job} | {ours[0]:.3f} s wall / {ours[1]:.3f} s CPU | {peer_name} {peer[0]:.3f} s / {peer[1]:.3f} s CPU "
        f"| {peer[0] / ours[0]:.1f}× wall / {peer[1] / ours[1]:.1f}× CPU |"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-gini", type=int, default=10_000_000)
    ap.add_argument("--n-ind", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(20261202)

    gini_rows(rng, args.n_gini, args.repeats)
    indicator_rows(rng, args.n_ind, args.repeats)


def gini_rows(rng: np.random.Generator, n: int, repeats: int) -> None:
    import jamlik

    y = np.exp(rng.normal(10.0, 1.0, n))
    w = rng.uniform(0.5, 3.0, n)
    g_ours, g_peer = jamlik.gini(y), numpy_gini(y)
    assert abs(g_ours.value - g_peer[0]) < 1e-9, (g_ours.value, g_peer)
    t = interleaved(
        {
            "jamlik": lambda: jamlik.gini(y),
            "numpy": lambda: numpy_gini(y),
            "jamlik_w": lambda: jamlik.gini(y, w),
            "numpy_w": lambda: numpy_gini(y, w),
        },
        repeats,
    )
    print(row(f"Gini + linearised SE, unweighted, n = {n:,}", t["jamlik"], "numpy", t["numpy"]))
    print(row(f"Gini + linearised SE, weighted, n = {n:,}", t["jamlik_w"], "numpy", t["numpy_w"]))


def indicator_rows(rng: np.random.Generator, m: int, repeats: int) -> None:
    import jamlik

    pop = rng.integers(50, 5000, m).astype(float)
    cnt = rng.binomial(pop.astype(np.int64), 0.08).astype(float)
    rc = rng.poisson(rng.uniform(0.0, 40.0, m)).astype(float)
    rp = rng.integers(1000, 100_000, m).astype(float)
    ours = jamlik.indicators.rate(rc, rp)
    assert np.allclose(ours["lower"].to_numpy(), numpy_rate(rc, rp)[1], rtol=1e-9)
    t = interleaved(
        {
            "jamlik_p": lambda: jamlik.indicators.proportion(cnt, pop),
            "numpy_p": lambda: numpy_wilson(cnt, pop),
            "jamlik_r": lambda: jamlik.indicators.rate(rc, rp),
            "numpy_r": lambda: numpy_rate(rc, rp),
        },
        repeats,
    )
    print(row(f"proportions, Wilson, {m:,} rows (Python frame)", t["jamlik_p"], "numpy", t["numpy_p"]))
    small = float(np.mean(rc < 10))
    print(row(f"rates, exact < 10 / Byars, {m:,} rows ({small:.0%} below 10; Python frame)", t["jamlik_r"],
              "numpy Byars + scipy exact", t["numpy_r"]))


if __name__ == "__main__":
    main()
