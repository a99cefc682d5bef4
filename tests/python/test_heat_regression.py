"""Default (jamlik) SII/RII checked against an independent implementation:
statsmodels' GLM (binomial family, var_weights = population, HC1) and WLS
(HC1), plus a delta method written here, on every ordered reference case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import TEST_DATA
from jamlik import heat

sm = pytest.importorskip("statsmodels.api")

INPUTS = TEST_DATA / "healthequal" / "inputs.csv"


def _ordered_cases() -> list[pd.DataFrame]:
    df = pd.read_csv(INPUTS)
    return [g.sort_values("subgroup_order") for _, g in df[df.ordered_dimension == 1].groupby("case_id")]


def _rank(pop: np.ndarray) -> np.ndarray:
    cum = np.cumsum(pop) - pop / 2.0
    return cum / pop.sum()


def _reference(case: pd.DataFrame, linear: bool) -> tuple[float, float, float, float]:
    y = case.estimate.to_numpy(float)
    scale = float(case.scaleval.iloc[0])
    pop = case.population.to_numpy(float)
    if np.isnan(pop).all():
        pop = np.ones_like(y)
    x = _rank(pop)
    X = sm.add_constant(x)
    p = y / scale
    if linear:
        res = sm.WLS(p, X, weights=pop).fit(cov_type="HC1")
        b0, b1 = res.params
        f0, f1 = b0, b0 + b1
        d0, d1 = np.array([1.0, 0.0]), np.array([1.0, 1.0])
    else:
        model = sm.GLM(p, X, family=sm.families.Binomial(), var_weights=pop)
        # statsmodels' GLM treats "HC1" as HC0 (no small-sample factor; checked:
        # both give the same covariance), so take HC0 and apply HC1's n/(n − k)
        # as R's sandwich::vcovHC(type = "HC1") does.
        res = model.fit(cov_type="HC0", tol=1e-14, maxiter=200)
        b0, b1 = res.params
        f0, f1 = 1 / (1 + np.exp(-b0)), 1 / (1 + np.exp(-(b0 + b1)))
        d0 = f0 * (1 - f0) * np.array([1.0, 0.0])
        d1 = f1 * (1 - f1) * np.array([1.0, 1.0])
    V = np.asarray(res.cov_params())
    if not linear:
        V = V * len(y) / (len(y) - 2)
    g_sii = scale * (d1 - d0)
    g_rii = d1 / f1 - d0 / f0
    return (scale * (f1 - f0), float(np.sqrt(g_sii @ V @ g_sii)), f1 / f0, float(np.sqrt(g_rii @ V @ g_rii)))


@pytest.mark.parametrize("linear", [False, True])
@pytest.mark.parametrize("case", _ordered_cases(), ids=lambda c: c.case_id.iloc[0])
def test_default_sii_rii_against_statsmodels(case: pd.DataFrame, linear: bool) -> None:
    sii_ref, sii_se, rii_ref, rii_se = _reference(case, linear)
    pop = case.population.to_numpy(float)
    kw = dict(
        population=None if np.isnan(pop).all() else pop,
        subgroup_order=case.subgroup_order.to_numpy(float),
        scale=float(case.scaleval.iloc[0]),
        linear=linear,
    )
    s = heat.sii(case.estimate.to_numpy(float), **kw)
    r = heat.rii(case.estimate.to_numpy(float), **kw)
    assert s.value == pytest.approx(sii_ref, rel=1e-8)
    assert s.se == pytest.approx(sii_se, rel=1e-6)
    assert r.value == pytest.approx(rii_ref, rel=1e-8)
    assert r.se == pytest.approx(rii_se, rel=1e-6)


def test_default_differs_from_healthequal_compat_as_documented() -> None:
    v07 = next(c for c in _ordered_cases() if c.case_id.iloc[0] == "V07")
    kw = dict(population=v07.population.to_numpy(float), subgroup_order=v07.subgroup_order.to_numpy(float), scale=100000.0)
    ours = heat.sii(v07.estimate.to_numpy(float), **kw)
    compat = heat.sii(v07.estimate.to_numpy(float), **kw, compat="healthequal")
    assert compat.value == pytest.approx(-182.40435, rel=1e-6)
    assert "declared scale 100000" in ours.method and "guessed" in compat.method
    assert abs(ours.value - compat.value) > 1.0
