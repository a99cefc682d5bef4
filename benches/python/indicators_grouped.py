"""Timing: DSR and life expectancy for 290 municipalities × 20 years × 3 sexes
(17 400 groups) in one jamlik call each, from a pandas long frame.

Run: .venv/bin/python benches/python/indicators_grouped.py
Target: under 50 ms per call (the native work; the frame round trip is included).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import jamlik

ESP_BANDS = ["0-4"] + [f"{a}-{a + 4}" for a in range(5, 90, 5)] + ["90+"]
LE_AGES = [0, 1] + list(range(5, 95, 5))


def long_frame(bands: list, ages: list[float]) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    n_groups = 290 * 20 * 3
    k = len(bands)
    kommun = np.repeat(np.arange(290), 60 * k)
    year = np.tile(np.repeat(np.arange(2005, 2025), 3 * k), 290)
    sex = np.tile(np.repeat(np.array(["T", "K", "M"]), k), 290 * 20)
    size = np.repeat(rng.uniform(2_000, 62_000, n_groups), k)
    age = np.tile(np.asarray(ages, dtype=float), n_groups)
    pop = np.maximum(1.0, np.round(size / k * rng.uniform(0.5, 1.5, len(size))))
    deaths = np.minimum(pop, np.round(pop * 0.0005 * np.exp(0.085 * age) * rng.uniform(0.5, 1.5, len(size))))
    return pd.DataFrame({"kommun": kommun, "year": year, "sex": sex, "age_band": np.tile(bands, n_groups), "deaths": deaths, "pop": pop})


def best_of(f, repeat: int = 7) -> tuple[float, float]:
    """Best wall time and best CPU time (all threads of the process), in ms.

    On a shared, oversubscribed machine the wall time measures the queue;
    the CPU time measures the work.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall) * 1000, min(cpu) * 1000


def main() -> None:
    dsr_frame = long_frame(ESP_BANDS, [0] + list(range(5, 95, 5)))
    le_frame = long_frame(LE_AGES, LE_AGES)
    by = ["kommun", "year", "sex"]
    t_dsr = best_of(lambda: jamlik.indicators.dsr(dsr_frame, count="deaths", population="pop", age_band="age_band", by=by, level=(0.95, 0.998)))
    t_le = best_of(lambda: jamlik.indicators.life_expectancy(le_frame, count="deaths", population="pop", age_band="age_band", by=by, level=(0.95, 0.998)))
    out = jamlik.indicators.dsr(dsr_frame, count="deaths", population="pop", age_band="age_band", by=by)
    print(f"groups: {len(out)} (rows {len(dsr_frame)} DSR, {len(le_frame)} LE)")
    codes, _ = jamlik.indicators._group_codes(le_frame, by, len(le_frame))
    d = le_frame["deaths"].to_numpy(dtype=float)
    p = le_frame["pop"].to_numpy(dtype=float)
    a = le_frame["age_band"].to_numpy(dtype=float)
    t_native = best_of(lambda: jamlik._jamlik.indicator_life_expectancy(d, p, a, [0.95, 0.998], jamlik.indicators.STANDARD_20, 5000.0, 20.0, codes))
    print(f"dsr (frame in/out)             wall {t_dsr[0]:8.1f} ms   cpu {t_dsr[1]:8.1f} ms  (target < 50 ms)")
    print(f"life_expectancy (frame in/out) wall {t_le[0]:8.1f} ms   cpu {t_le[1]:8.1f} ms  (target < 50 ms)")
    print(f"life_expectancy (native call)  wall {t_native[0]:8.1f} ms   cpu {t_native[1]:8.1f} ms")


if __name__ == "__main__":
    main()
