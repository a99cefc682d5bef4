"""Timings of jamlik.plot on the embedded demo (Agg backend): one call per chart, drawing
included (the library's computations it calls are part of the time), and to_svg.

Run: .venv/bin/python benches/python/plot_charts.py   (after `make build`; needs jamlik[plot])
"""

from __future__ import annotations

import time
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import jamlik
from jamlik import heat, plot


def best_of(f: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ax = f()
        ax.figure.canvas.draw()
        times.append(time.perf_counter() - t0)
        plt.close("all")
    return min(times)


def main() -> None:
    demo = jamlik.datasets.demo()
    rng = np.random.default_rng(5)
    areas = pd.DataFrame({"area": [f"a{i}" for i in range(290)], "population": rng.integers(800, 60000, 290).astype(float)})
    areas["count"] = rng.binomial(areas["population"].astype(int), 0.1).astype(float)
    e = heat.example()
    years = pd.concat([e[e["dimension"] == "income quintile"].assign(year=y, setting="A") for y in range(2015, 2024)])
    summary = heat.summary(years, by="year")
    income = rng.lognormal(10, 0.5, 10_000)
    health = 1 + rng.gamma(2.0, 1.0, 10_000)
    charts: dict[str, Callable[[], Any]] = {
        "trend (Arboga, N15428)": lambda: plot.trend(demo, municipality="Arboga", indicator="N15428"),
        "women_vs_men (Arboga, N00925)": lambda: plot.women_vs_men(demo, municipality="Arboga", indicator="N00925"),
        "compare_areas (county 19)": lambda: plot.compare_areas(demo, indicator="N15428", county="19"),
        "spine (Arboga, 11 KPIs)": lambda: plot.spine(demo, municipality="Arboga"),
        "overview (county 19, 10 municipalities)": lambda: plot.overview(demo, county="19"),
        "funnel (290 areas)": lambda: plot.funnel(areas),
        "equiplot (9 years x 5 subgroups)": lambda: plot.equiplot(years),
        "summary_trend (sii, rci)": lambda: plot.summary_trend(summary),
        "concentration_curve (10,000 rows)": lambda: plot.concentration_curve(health, income),
    }
    for name, f in charts.items():
        print(f"{name:42s} {best_of(f) * 1e3:8.0f} ms")
    ax = plot.trend(demo, municipality="Arboga", indicator="N15428")
    t0 = time.perf_counter()
    svg = plot.to_svg(ax)
    print(f"{'to_svg (trend)':42s} {(time.perf_counter() - t0) * 1e3:8.0f} ms, {len(svg) / 1024:.0f} kB")


if __name__ == "__main__":
    main()
