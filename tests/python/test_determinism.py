"""Results are bitwise identical whatever the number of threads.

One script computes every measure family at sizes where the parallel paths are taken and
prints a digest of each result (``float.hex`` of each number, the bytes of each column);
it runs in subprocesses with ``RAYON_NUM_THREADS`` = 1, 2 and 8, and the digests must be
equal. Grouped calls must also equal per-group calls bit for bit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from jamlik import heat, indicators

SCRIPT = textwrap.dedent(
    """
    import hashlib, json
    import numpy as np
    import pandas as pd
    import jamlik
    from jamlik import datasets, heat, indicators, report

    def num(x):
        return None if x is None else float(x).hex()

    def est(e):
        return [num(getattr(e, f)) for f in ("value", "se", "lower", "upper")] + [e.method, e.n]

    def frame(df):
        df = jamlik._frames.to_pandas(df)
        h = hashlib.sha256()
        for c in df.columns:
            h.update(str(c).encode())
            col = df[c]
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                h.update(np.ascontiguousarray(col.to_numpy(dtype=np.float64)).tobytes())
            else:
                h.update(repr(col.tolist()).encode())
        return [len(df), h.hexdigest()]

    rng = np.random.default_rng(20261201)
    n = 300_000
    income = rng.lognormal(10, 0.6, n)
    health = 1 + rng.gamma(2.0, 1.0, n)
    weights = rng.uniform(0.5, 2.0, n)
    strata = rng.integers(0, 20, n)
    cluster = strata * 1000 + rng.integers(0, 50, n)
    out = {}
    # (a) concentration index with SE, weights, clusters and strata
    for kind in ("standard", "erreygers", "wagstaff"):
        kw = {"limits": (0.0, float(health.max()) + 1)} if kind != "standard" else {}
        out["ci_" + kind] = est(jamlik.concentration_index(health, income, weights, kind=kind, cluster=cluster,
                                                           strata=strata, **kw))
    # (b) inequality measures with SE
    out["gini"] = est(jamlik.gini(income, weights, cluster=cluster, strata=strata))
    out["theil"] = est(jamlik.theil(income, weights, cluster=cluster, strata=strata))
    out["atkinson"] = est(jamlik.atkinson(income, 1.5, weights, cluster=cluster, strata=strata))
    out["palma"] = est(jamlik.palma(income, weights, cluster=cluster, strata=strata))
    # (c) heat.summary on 5,000 cases, with simulation intervals
    base = heat.example()
    cases = 5_000
    big = pd.concat([base] * cases, ignore_index=True)
    big["case"] = np.repeat(np.arange(cases), len(base))
    big["estimate"] = big["estimate"] * rng.uniform(0.8, 1.2, len(big))
    out["heat"] = frame(heat.summary(big, by=["case", "dimension"], seed=7, draws=100))
    # (d) dsr and life expectancy on ~3,000 groups
    starts = [0, 1, *range(5, 95, 5)]
    labels = ["0"] + [f"{a}-{a + 3}" if a == 1 else f"{a}-{a + 4}" for a in starts[1:-1]] + ["90+"]
    groups = 3_000
    rates = 0.0003 * np.exp(0.08 * np.array(starts, dtype=float))
    pop = rng.uniform(20_000, 80_000, (groups, len(starts)))
    lt = pd.DataFrame({"area": np.repeat([f"g{i:04d}" for i in range(groups)], len(starts)),
                       "age_band": labels * groups, "population": pop.ravel(),
                       "deaths": rng.poisson(rates * pop).ravel().astype(float)})
    out["dsr"] = frame(indicators.dsr(lt, count="deaths", population="population", age_band="age_band", by="area"))
    out["life_expectancy"] = frame(indicators.life_expectancy(lt, count="deaths", population="population",
                                                              age_band="age_band", by="area"))
    # (e) the goal follow-up of one municipality
    demo = datasets.demo()
    out["follow_up"] = frame(report.follow_up("0180", demo, detail=True))
    out["gaps"] = frame(report.gaps("0180", demo))
    print(json.dumps(out))
    """
)


@cache
def _digests(threads: int) -> dict[str, Any]:
    env = {**os.environ, "RAYON_NUM_THREADS": str(threads)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("threads", [2, 8])
def test_results_do_not_depend_on_the_number_of_threads(threads: int) -> None:
    one, many = _digests(1), _digests(threads)
    assert one.keys() == many.keys()
    differ = {k: (one[k], many[k]) for k in one if one[k] != many[k]}
    assert not differ, differ


def _cases(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    base = heat.example()
    big = pd.concat([base] * n, ignore_index=True)
    big["case"] = np.repeat(np.arange(n), len(base))
    big["estimate"] = big["estimate"] * rng.uniform(0.8, 1.2, len(big))
    return big


def _bitwise_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    assert list(a.columns) == list(b.columns)
    for c in a.columns:
        x, y = a[c], b[c]
        if pd.api.types.is_float_dtype(x):
            assert x.to_numpy().tobytes() == y.to_numpy().tobytes(), c
        else:
            # a missing note is None in one frame and NaN in the other: both mean none
            assert [None if pd.isna(v) else v for v in x] == [None if pd.isna(v) else v for v in y], c


def test_heat_summary_by_case_equals_each_case_alone() -> None:
    # A HEAT case is one dimension of one setting: here (case, dimension).
    frame = _cases(40)
    by = ["case", "dimension"]
    grouped = heat.summary(frame, by=by, seed=5, draws=50)
    assert len(grouped) > 0
    for (case, dimension), part in frame.groupby(by, sort=True):
        alone = heat.summary(part.drop(columns=by), seed=5, draws=50)
        mine = grouped[(grouped["case"] == case) & (grouped["dimension"] == dimension)].drop(columns=by)
        _bitwise_equal(mine, alone)


def test_dsr_by_group_equals_each_group_alone() -> None:
    rng = np.random.default_rng(3)
    starts = [0, 1, *range(5, 95, 5)]
    labels = ["0"] + [f"{a}-{a + 3}" if a == 1 else f"{a}-{a + 4}" for a in starts[1:-1]] + ["90+"]
    rates = 0.0003 * np.exp(0.08 * np.array(starts, dtype=float))
    groups = 60
    pop = rng.uniform(20_000, 80_000, (groups, len(starts)))
    lt = pd.DataFrame({"area": np.repeat([f"g{i:02d}" for i in range(groups)], len(starts)),
                       "age_band": labels * groups, "population": pop.ravel(),
                       "deaths": rng.poisson(rates * pop).ravel().astype(float)})
    args = {"count": "deaths", "population": "population", "age_band": "age_band"}
    grouped = indicators.dsr(lt, by="area", **args)
    for area, part in lt.groupby("area", sort=True):
        alone = indicators.dsr(part.drop(columns="area"), **args)
        mine = grouped[grouped["area"] == area].drop(columns="area")
        _bitwise_equal(mine, alone)
