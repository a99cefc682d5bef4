"""Issue 12 speed goals, side by side in one process: Gini with SE (goal 3)
and indicator statistics (goal 4) against the vectorised numpy/scipy formulas.

Run: .venv/bin/python benches/python/speed_goals.py [--n-gini 10000000] [--n-ind 1000000] [--repeats 5]
[--only gini|indicators]
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
    ap.add_argument("--only", choices=("gini", "indicators"))
    args = ap.parse_args()
    rng = np.random.default_rng(20261202)

    if args.only != "indicators":
        gini_rows(rng, args.n_gini, args.repeats)
    if args.only != "gini":
        indicator_rows(rng, args.n_ind, args.repeats)
        standardised_rows(rng, args.repeats)


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
    from jamlik import _jamlik

    pop = rng.integers(50, 5000, m).astype(float)
    cnt = rng.binomial(pop.astype(np.int64), 0.08).astype(float)
    rc = rng.poisson(rng.uniform(0.0, 40.0, m)).astype(float)
    rp = rng.integers(1000, 100_000, m).astype(float)
    ours = jamlik.indicators.rate(rc, rp)
    assert np.allclose(ours["lower"].to_numpy(), numpy_rate(rc, rp)[1], rtol=1e-9)
    ours = jamlik.indicators.proportion(cnt, pop)
    assert np.allclose(ours["upper"].to_numpy(), numpy_wilson(cnt, pop)[2], rtol=1e-12)
    t = interleaved(
        {
            "jamlik_p": lambda: jamlik.indicators.proportion(cnt, pop),
            "native_p": lambda: _jamlik.indicator_counts("proportion", cnt, pop, [0.95], 1.0, None, "error"),
            "numpy_p": lambda: numpy_wilson(cnt, pop),
            "jamlik_r": lambda: jamlik.indicators.rate(rc, rp),
            "native_r": lambda: _jamlik.indicator_counts("rate", rc, rp, [0.95], 1e5, None, "error"),
            "numpy_r": lambda: numpy_rate(rc, rp),
        },
        repeats,
    )
    print(row(f"proportions, Wilson, {m:,} rows (pandas frame of 8 columns)", t["jamlik_p"], "numpy (3 arrays)",
              t["numpy_p"]))
    print(row("  the same, native call alone (7 arrays)", t["native_p"], "numpy (3 arrays)", t["numpy_p"]))
    small = float(np.mean(rc < 10))
    print(row(f"rates, exact < 10 / Byars, {m:,} rows ({small:.0%} below 10; pandas frame)", t["jamlik_r"],
              "numpy Byars + scipy exact", t["numpy_r"]))
    print(row("  the same, native call alone", t["native_r"], "numpy Byars + scipy exact", t["numpy_r"]))


# Municipalities × years × sexes, as in a Kolada-style long frame.
GROUPS = (290, 20, 3)


def long_frame(rng: np.random.Generator, starts: list[float]) -> Any:
    """A long frame sorted by group then band: (municipality, year, sex, age, count, population)."""
    import pandas as pd

    nm, ny, ns = GROUPS
    g, b = nm * ny * ns, len(starts)
    pop = rng.integers(200, 4000, (g, b)).astype(float)
    rate = np.geomspace(2e-4, 0.2, b)
    deaths = rng.binomial(pop.astype(np.int64), rate).astype(float)
    muni = np.repeat(np.array([f"{1000 + i:04d}" for i in range(nm)], dtype=object), ny * ns * b)
    year = np.tile(np.repeat(np.arange(2001, 2001 + ny), ns * b), nm)
    sex = np.tile(np.repeat(np.array(["K", "M", "T"], dtype=object), b), nm * ny)
    return pd.DataFrame({
        "municipality": muni, "year": year, "sex": sex, "age": np.tile(np.asarray(starts), g),
        "count": deaths.ravel(), "population": pop.ravel(),
    })


def numpy_dsr(o: np.ndarray, n: np.ndarray, w: np.ndarray, multiplier: float = 1e5) -> tuple[np.ndarray, ...]:
    """Dobson limits around Byars' (exact gamma below 10 events) on (groups, bands) arrays."""
    from scipy import special, stats

    z = stats.norm.ppf(0.975)
    r = w / n
    t = o.sum(1)
    total = w.sum(1)
    dsr = (o * r).sum(1) / total
    var = (o * r * r).sum(1) / (total * total)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.maximum(t * (1 - 1 / (9 * t) - z / (3 * np.sqrt(t))) ** 3, 0.0)
        y = t + 1
        hi = y * (1 - 1 / (9 * y) + z / (3 * np.sqrt(y))) ** 3
        small = t < 10
        ts = t[small]
        lo[small] = np.where(ts > 0, special.gammaincinv(np.maximum(ts, 1e-300), 0.025), 0.0)
        hi[small] = special.gammaincinv(ts + 1, 0.975)
        scale = np.sqrt(var / t)
    return dsr * multiplier, (dsr + scale * (lo - t)) * multiplier, (dsr + scale * (hi - t)) * multiplier, t


def numpy_isr(o: np.ndarray, n: np.ndarray, xr: np.ndarray, nr: np.ndarray) -> tuple[np.ndarray, ...]:
    """SMRs: exact gamma limits below 10 observed, Byars from 10, on (groups, bands) arrays."""
    from scipy import special, stats

    z = stats.norm.ppf(0.975)
    obs = o.sum(1)
    e = (xr / nr * n).sum(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = obs * (1 - 1 / (9 * obs) - z / (3 * np.sqrt(obs))) ** 3
    y = obs + 1
    hi = y * (1 - 1 / (9 * y) + z / (3 * np.sqrt(y))) ** 3
    small = obs < 10
    xs = obs[small]
    lo[small] = np.where(xs > 0, special.gammaincinv(np.maximum(xs, 1e-300), 0.025), 0.0)
    hi[small] = special.gammaincinv(xs + 1, 0.975)
    return obs / e, lo / e, hi / e, e


def numpy_life_table(d: np.ndarray, p: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Chiang II with Silcocks' last-band variance on (groups, bands) arrays: e, se, limits, and the
    deaths and population from each age on (the columns jamlik returns)."""
    from scipy import stats

    z = stats.norm.ppf(0.975)
    g, k = d.shape
    width = np.append(np.diff(starts), np.nan)
    a = np.where((starts == 0) & (width == 1), 0.1, 0.5)
    m = d / p
    nm = width[:-1] * m[:, :-1]
    q = np.ones((g, k))
    q[:, :-1] = np.where(nm * a[:-1] >= 1, 1.0, nm / (1 + nm * (1 - a[:-1])))
    surv = np.empty((g, k))
    surv[:, 0] = 1e5
    surv[:, 1:] = 1 - q[:, :-1]
    lx = np.cumprod(surv, axis=1)
    big_l = np.empty((g, k))
    big_l[:, :-1] = width[:-1] * (lx[:, 1:] + a[:-1] * (lx[:, :-1] - lx[:, 1:]))
    big_l[:, -1] = np.where(lx[:, -1] > 0, lx[:, -1] / m[:, -1], 0.0)
    t = np.cumsum(big_l[:, ::-1], axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(lx > 0, t / lx, 0.0)
        qq = q[:, :-1]
        var_q = np.where((lx[:, :-1] - lx[:, 1:] == 0) | (d[:, :-1] == 0), 0.0, qq * qq * (1 - qq) / d[:, :-1])
        f = (1 - a[:-1]) * width[:-1] + e[:, 1:]
        w = np.empty((g, k))
        w[:, :-1] = lx[:, :-1] ** 2 * var_q * f * f
        w[:, -1] = lx[:, -1] ** 2 / (d[:, -1] * m[:, -1] ** 2)
        w[lx == 0] = 0.0
        se = np.sqrt(np.cumsum(w[:, ::-1], axis=1)[:, ::-1]) / lx
    value = np.where(2 * z * se > 20, np.nan, e)
    cum_d = np.cumsum(d[:, ::-1], axis=1)[:, ::-1]
    cum_p = np.cumsum(p[:, ::-1], axis=1)[:, ::-1]
    return value, se, e - z * se, e + z * se, cum_d, cum_p


def standardised_rows(rng: np.random.Generator, repeats: int) -> None:
    """DSR, ISR and life tables for every municipality × year × sex in one call,
    against the numpy formulas on the same numbers reshaped to (groups, bands)."""
    import jamlik
    from jamlik import _jamlik

    by = ["municipality", "year", "sex"]
    g = int(np.prod(GROUPS))
    # DSR and ISR: 18 bands 0-4 ... 85+, the ESP2013 weights aggregated to them.
    starts18 = [5.0 * i for i in range(18)]
    f18 = long_frame(rng, starts18)
    esp = jamlik.indicators.esp2013()
    weights = np.append(esp["weight"].to_numpy()[:17], esp["weight"].to_numpy()[17:].sum())
    f18["standard"] = np.tile(weights, g)
    ref_n = f18.groupby("age", sort=True)["population"].sum().to_numpy()
    ref_x = f18.groupby("age", sort=True)["count"].sum().to_numpy()
    o, n = f18["count"].to_numpy().reshape(g, 18), f18["population"].to_numpy().reshape(g, 18)
    w2 = np.broadcast_to(weights, (g, 18))

    def dsr() -> Any:
        return jamlik.indicators.dsr(f18, count="count", population="population", standard="standard",
                                     age_band="age", by=by, suppress_below=None)

    def isr() -> Any:
        return jamlik.indicators.isr(f18, count="count", population="population", reference_count=ref_x,
                                     reference_population=ref_n, by=by)

    ours, peer = dsr(), numpy_dsr(o, n, w2)
    for col, k in (("value", 0), ("lower", 1), ("upper", 2)):
        assert np.allclose(ours[col].to_numpy(), peer[k], rtol=1e-9), col
    ours, peer = isr(), numpy_isr(o, n, ref_x, ref_n)
    for col, k in (("value", 0), ("lower", 1), ("upper", 2), ("expected", 3)):
        assert np.allclose(ours[col].to_numpy(), peer[k], rtol=1e-9), col

    # Life tables: the 20 bands 0, 1-4, 5-9, ..., 85-89, 90+.
    starts20 = np.asarray([0.0, 1.0] + [5.0 * i for i in range(1, 19)])
    f20 = long_frame(rng, list(starts20))
    d20, p20 = f20["count"].to_numpy().reshape(g, 20), f20["population"].to_numpy().reshape(g, 20)

    def life() -> Any:
        return jamlik.indicators.life_expectancy(f20, count="count", population="population", age_band="age",
                                                 by=by, min_population=None)

    ours, peer = life(), numpy_life_table(d20, p20, starts20)
    for col, k in (("value", 0), ("se", 1), ("lower", 2), ("upper", 3), ("count", 4), ("population", 5)):
        assert np.allclose(ours[col].to_numpy(), peer[k].ravel(), rtol=1e-9, equal_nan=True), col

    # The native calls alone, with the group codes made beforehand.
    codes18 = np.repeat(np.arange(g, dtype=np.int64), 18)
    codes20 = np.repeat(np.arange(g, dtype=np.int64), 20)
    c18, n18, a18, s18 = (np.ascontiguousarray(f18[c].to_numpy(dtype=float))
                          for c in ("count", "population", "age", "standard"))
    c20, n20, a20 = (np.ascontiguousarray(f20[c].to_numpy(dtype=float)) for c in ("count", "population", "age"))
    t = interleaved(
        {
            "dsr": dsr,
            "dsr_native": lambda: _jamlik.indicator_dsr(c18, n18, [0.95], 1e5, s18, None, a18, None, codes18, None),
            "dsr_numpy": lambda: numpy_dsr(o, n, w2),
            "isr": isr,
            "isr_native": lambda: _jamlik.indicator_isr(c18, n18, ref_x, ref_n, "ratio", 1.0, [0.95], codes18),
            "isr_numpy": lambda: numpy_isr(o, n, ref_x, ref_n),
            "life": life,
            "life_native": lambda: _jamlik.indicator_life_expectancy(c20, n20, a20, [0.95], list(starts20), None,
                                                                     20.0, codes20),
            "life_numpy": lambda: numpy_life_table(d20, p20, starts20),
        },
        repeats,
    )
    what = f"{g:,} groups ({' × '.join(map(str, GROUPS))})"
    print(row(f"DSR (Dobson, exact < 10 / Byars), {what} × 18 bands, by= 3 key columns", t["dsr"],
              "numpy + scipy on (groups, bands) arrays", t["dsr_numpy"]))
    print(row("  the same, native call alone (group codes given)", t["dsr_native"], "numpy + scipy", t["dsr_numpy"]))
    print(row(f"ISR (SMR, exact < 10 / Byars), {what} × 18 bands, by= 3 key columns", t["isr"],
              "numpy + scipy on (groups, bands) arrays", t["isr_numpy"]))
    print(row("  the same, native call alone (group codes given)", t["isr_native"], "numpy + scipy", t["isr_numpy"]))
    print(row(f"life tables (Chiang II + Silcocks), {what} × 20 bands, by= 3 key columns", t["life"],
              "numpy on (groups, bands) arrays", t["life_numpy"]))
    print(row("  the same, native call alone (group codes given)", t["life_native"], "numpy", t["life_numpy"]))


if __name__ == "__main__":
    main()
