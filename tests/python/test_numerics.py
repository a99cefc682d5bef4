"""Numerics through the Python API: exact sums where naive summation loses digits
(checked against ``fractions`` / ``math.fsum``), valid extremes against closed forms, and
requests for more memory than the machine has, which are a JamlikError naming the
argument instead of an abort that would kill the kernel. The ten-million-row cases are
in ``tests/it/numerics.rs``; here the rows are fewer but the offsets as large."""

from __future__ import annotations

import math
from fractions import Fraction

import jamlik
import numpy as np
import pandas as pd
import pytest

ROWS = 1_000_000


def _offset_values() -> np.ndarray:
    # 1e15 + k/8: exact in float64, but a running sum near 1e21 keeps no fraction.
    return 1e15 + (np.arange(ROWS) % 1000) / 8.0


def test_mean_of_offset_values_is_exact() -> None:
    values = _offset_values()
    exact = sum((Fraction(v) for v in values[:1000]), Fraction(0)) * (ROWS // 1000) / ROWS
    naive = 0.0
    for v in values[:: ROWS // 20_000]:  # a naive running sum (sampled: Python loops are slow)
        naive += v
    assert math.fsum(values) == float(exact * ROWS)
    got = jamlik.indicators.mean(values)["value"].iloc[0]
    assert got == pytest.approx(float(exact), rel=2**-52)
    assert float(np.cumsum(values)[-1]) / ROWS != float(exact)  # naive summation loses the fraction


def test_weighted_mld_with_offset_weights_matches_exact_arithmetic() -> None:
    # Weights 1e12 + varying fraction: the sums of the weighted mean pass 1e16 (no fraction left).
    n = 20_000
    x = np.arange(n) % 7 + 1.0
    w = 1e12 + (np.arange(n) % 13) / 16.0
    wf = [Fraction(v) for v in w]
    xf = [Fraction(v) for v in x]
    sw = sum(wf, Fraction(0))
    mean = sum((a * b for a, b in zip(wf, xf)), Fraction(0)) / sw
    got = jamlik.microdata.mld(x, w, se="none")
    # MLD = Σ w_i ln(μ/x_i) / Σ w, evaluated with exact weights and fsum.
    mld = math.fsum(float(wi / sw) * math.log(float(mean) / xi) for wi, xi in zip(wf, x))
    assert got.value == pytest.approx(mld, rel=1e-12)


def test_extreme_proportions_and_rates() -> None:
    z2 = 1.959963984540054**2
    n = 1e9
    p = jamlik.indicators.proportion([0.0, n, 1.0], [n, n, n])
    values = list(p["value"])
    assert values[0] == 0.0 and values[1] == 1.0 and values[2] == pytest.approx(1e-9, rel=1e-15)
    assert p["upper"].iloc[0] == pytest.approx(z2 / (n + z2), rel=1e-12)
    assert p["lower"].iloc[1] == pytest.approx(n / (n + z2), rel=1e-12)
    assert np.isfinite(p[["lower", "upper"]].to_numpy()).all()
    r = jamlik.indicators.rate([1.0], [1e6], multiplier=1e5)
    assert r["value"].iloc[0] == pytest.approx(0.1, rel=1e-15)


def test_all_equal_values_and_a_single_huge_weight() -> None:
    x = np.full(1000, 7.25)
    assert jamlik.gini(x).value == 0.0
    assert abs(jamlik.theil(x, se="none").value) <= 1e-15
    est = jamlik.heat.bgv([5.0, 5.0, 5.0], population=[1e9, 1e9, 1e9])
    assert est.value == 0.0
    y, pop = np.array([10.0, 20.0, 30.0]), np.array([1e9, 1.0, 1.0])
    share = pop / pop.sum()
    mu = float((share * y).sum())
    assert jamlik.heat.bgv(y, population=pop).value == pytest.approx(float((share * (y - mu) ** 2).sum()), rel=1e-12)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: jamlik.heat.mdbu([10.0, 20.0, 30.0], se=[1.0, 1.0, 1.0], population=[1.0, 1.0, 1.0], scale=1,
                                  draws=10**12), "draws"),
        (lambda: jamlik.heat.mdbu([10.0, 20.0, 30.0], se=[1.0, 1.0, 1.0], population=[1.0, 1.0, 1.0], scale=1,
                                  draws=2**63), "draws"),
        (lambda: jamlik.indicators.sii(
            pd.DataFrame({"q": [1, 2, 3, 4, 5], "population": [1000.0] * 5, "value": [50.0, 45, 40, 32, 25],
                          "se": [2.0] * 5}),
            quantile="q", population="population", value="value", se="se", draws=10**12), "draws"),
        (lambda: jamlik.indicators.funnel_limits(
            pd.DataFrame({"count": [5.0, 7.0, 9.0], "population": [100.0, 150.0, 200.0]}),
            statistic="proportion", count="count", population="population", points=10**12), "points"),
    ],
    ids=["heat-draws", "heat-draws-2**63", "sii-draws", "funnel-points"],
)
def test_more_memory_than_the_machine_has_is_an_error(call: object, argument: str) -> None:
    with pytest.raises(jamlik.JamlikError, match=f"`{argument}`"):
        call()  # type: ignore[operator]
