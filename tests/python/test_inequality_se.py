"""Independent check of the linearized SEs of the inequality indices.

Nothing here calls jamlik to build the reference: every index is written out
in numpy below, its influence values are obtained by numerical derivatives
with respect to each row's weight (central differences, ``z_i = W·dθ/dw_i``),
and the design-based variance (with-replacement PSU totals within strata,
``n_h/(n_h − 1)·Σ(U_c − Ū_h)²``) is written out too. jamlik's SEs must agree
to ~1e-6 relative. A seeded bootstrap checks one iid case within its
Monte-Carlo error.

The unweighted checks use the first 1999 rows of medium2000: with 2000 equal
weights the population shares 0.2, 0.4, 0.8 and 0.9 fall exactly on an
observation boundary, where the interpolated quantile share is not
differentiable in the weights (the two one-sided derivatives differ), so a
finite difference has no single value to match.
"""

from __future__ import annotations

import jamlik
import numpy as np
import pandas as pd
import pytest
from conftest import TEST_DATA

DATA = pd.read_csv(TEST_DATA / "concentration" / "medium2000.csv")


# --- the indices, in numpy ---------------------------------------------------


def _mean(y: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(w * y) / np.sum(w))


def ge(y: np.ndarray, w: np.ndarray, alpha: float) -> float:
    s = y / _mean(y, w)
    wn = w / w.sum()
    if alpha == 0:
        return float(-np.sum(wn * np.log(s)))
    if alpha == 1:
        return float(np.sum(wn * np.where(s > 0, s * np.log(np.where(s > 0, s, 1.0)), 0.0)))
    return float((np.sum(wn * s**alpha) - 1) / (alpha * (alpha - 1)))


def atkinson(y: np.ndarray, w: np.ndarray, eps: float) -> float:
    s = y / _mean(y, w)
    wn = w / w.sum()
    if eps == 1:
        return float(1 - np.exp(np.sum(wn * np.log(s))))
    return float(1 - np.sum(wn * s ** (1 - eps)) ** (1 / (1 - eps)))


def hoover(y: np.ndarray, w: np.ndarray) -> float:
    mu = _mean(y, w)
    return float(np.sum(w * np.abs(y - mu)) / (2 * w.sum() * mu))


class Blocks:
    """Tie blocks of ``y`` (sorted distinct values) for rank-based indices."""

    def __init__(self, y: np.ndarray) -> None:
        self.u, self.inv = np.unique(y, return_inverse=True)

    def sums(self, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = self.u.size
        return np.bincount(self.inv, w, k), np.bincount(self.inv, w * y, k)

    def gini(self, y: np.ndarray, w: np.ndarray) -> float:
        """2·cov_w(y, r)/μ with the midpoint fractional rank of tie blocks."""
        wb, hb = self.sums(y, w)
        total = wb.sum()
        mu = hb.sum() / total
        r = (np.cumsum(wb) - wb / 2) / total
        return float(2 * np.sum((hb - mu * wb) * (r - 0.5)) / total / mu)

    def lorenz(self, y: np.ndarray, w: np.ndarray, p: float) -> float:
        """Share of the total below population share p, the boundary block split
        in proportion to the weight it needs."""
        wb, hb = self.sums(y, w)
        cw, ch = np.cumsum(wb), np.cumsum(hb)
        total_w = cw[-1]
        k = int(np.searchsorted(cw, p * total_w, side="left"))
        w_before = cw[k - 1] if k > 0 else 0.0
        h_before = ch[k - 1] if k > 0 else 0.0
        return float((h_before + (p * total_w - w_before) * self.u[k]) / ch[-1])

    def share_ratio(self, y: np.ndarray, w: np.ndarray, lower: float, upper: float) -> float:
        return (1 - self.lorenz(y, w, upper)) / self.lorenz(y, w, lower)


def indices(y: np.ndarray) -> dict:
    """name → (numpy index of the weights, jamlik call)."""
    b = Blocks(y)
    return {
        "theil": (lambda w: ge(y, w, 1), lambda **k: jamlik.theil(y, **k)),
        "mld": (lambda w: ge(y, w, 0), lambda **k: jamlik.mld(y, **k)),
        "ge2": (lambda w: ge(y, w, 2), lambda **k: jamlik.generalized_entropy(y, 2, **k)),
        "ge_half": (lambda w: ge(y, w, 0.5), lambda **k: jamlik.generalized_entropy(y, 0.5, **k)),
        "ge_minus1": (lambda w: ge(y, w, -1), lambda **k: jamlik.generalized_entropy(y, -1, **k)),
        "atkinson0.5": (lambda w: atkinson(y, w, 0.5), lambda **k: jamlik.atkinson(y, 0.5, **k)),
        "atkinson1": (lambda w: atkinson(y, w, 1), lambda **k: jamlik.atkinson(y, 1, **k)),
        "atkinson2": (lambda w: atkinson(y, w, 2), lambda **k: jamlik.atkinson(y, 2, **k)),
        "hoover": (lambda w: hoover(y, w), lambda **k: jamlik.hoover(y, **k)),
        "palma": (lambda w: b.share_ratio(y, w, 0.4, 0.9), lambda **k: jamlik.palma(y, **k)),
        "s80s20": (
            lambda w: b.share_ratio(y, w, 0.2, 0.8),
            lambda **k: jamlik.quantile_share_ratio(y, **k),
        ),
        "s90s10": (
            lambda w: b.share_ratio(y, w, 0.1, 0.9),
            lambda **k: jamlik.quantile_share_ratio(y, lower=0.1, upper=0.9, **k),
        ),
        "gini": (lambda w: b.gini(y, w), lambda **k: jamlik.gini(y, **k)),
    }


# --- influence values by numerical derivatives, and the design variance -----


def numerical_influence(theta, w: np.ndarray) -> np.ndarray:
    """z_i = W·dθ/dw_i by central differences."""
    h = 1e-5 * float(np.mean(w))
    z = np.empty(w.size)
    for i in range(w.size):
        up, down = w.copy(), w.copy()
        up[i] += h
        down[i] -= h
        z[i] = (theta(up) - theta(down)) / (2 * h)
    return z * w.sum()


def design_variance(z: np.ndarray, w: np.ndarray, cluster, strata) -> float:
    """With-replacement PSU variance of the totals of u = w·z/W within strata."""
    u = w * z / w.sum()
    psu = np.arange(u.size) if cluster is None else np.asarray(cluster)
    stratum = np.zeros(u.size, dtype=int) if strata is None else np.asarray(strata)
    var = 0.0
    for h in np.unique(stratum):
        rows = stratum == h
        _, codes = np.unique(psu[rows], return_inverse=True)
        totals = np.bincount(codes, u[rows])
        n_h = totals.size
        var += n_h / (n_h - 1) * np.sum((totals - totals.mean()) ** 2)
    return float(var)


CASES = {
    # values column, weighted, number of rows
    "h weighted": ("h", True, 2000),
    "h unweighted": ("h", False, 1999),
    "x weighted": ("x", True, 2000),
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    column, weighted, n = CASES[request.param]
    d = DATA.iloc[:n]
    y = d[column].to_numpy(dtype=float)
    w = d["w"].to_numpy(dtype=float) if weighted else np.ones(n)
    cluster = d["cluster"].to_numpy()
    strata = d["strata"].to_numpy()
    out = {}
    for name, (theta, call) in indices(y).items():
        z = numerical_influence(theta, w)
        out[name] = (theta(w), z, call)
    return request.param, y, (w if weighted else None), w, cluster, strata, out


@pytest.mark.parametrize(
    "design", ["iid", "cluster", "strata", "cluster+strata"]
)
def test_linearized_se_matches_numerical_influence_and_design_variance(case, design):
    label, _, weights, w, cluster, strata, out = case
    use_cluster = "cluster" in design
    use_strata = "strata" in design
    c = cluster if use_cluster else None
    s = strata if use_strata else None
    for name, (value, z, call) in out.items():
        expected = np.sqrt(design_variance(z, w, c, s))
        est = call(weights=weights, cluster=c, strata=s)
        assert est.value == pytest.approx(value, rel=1e-10), (label, name)
        assert est.se == pytest.approx(expected, rel=1e-6), (label, design, name)
        zc = 1.959963984540054
        assert est.lower == pytest.approx(est.value - zc * est.se, rel=1e-12)
        assert est.upper == pytest.approx(est.value + zc * est.se, rel=1e-12)
        assert est.level == 0.95
        assert est.n == len(z)
        assert "linearized" in est.method


def test_bootstrap_agrees_with_linearized_se_for_iid_data():
    """400 seeded bootstrap replicates (numpy only): the bootstrap SE of each
    index agrees with jamlik's linearized SE within its Monte-Carlo error (the
    relative SE of a bootstrap SE from B replicates is about 1/√(2B) = 3.5%;
    allow 4 of them, plus the O(1/n) difference between the two)."""
    y = DATA["h"].to_numpy(dtype=float)
    rng = np.random.default_rng(123456)
    reps = 400
    b_indices = {
        "theil": lambda v: ge(v, np.ones(v.size), 1),
        "mld": lambda v: ge(v, np.ones(v.size), 0),
        "atkinson1": lambda v: atkinson(v, np.ones(v.size), 1),
        "hoover": lambda v: hoover(v, np.ones(v.size)),
        "palma": lambda v: Blocks(v).share_ratio(v, np.ones(v.size), 0.4, 0.9),
        "gini": lambda v: Blocks(v).gini(v, np.ones(v.size)),
    }
    calls = indices(y)
    draws = {k: np.empty(reps) for k in b_indices}
    for r in range(reps):
        v = y[rng.integers(0, y.size, y.size)]
        for k, f in b_indices.items():
            draws[k][r] = f(v)
    tolerance = 4 / np.sqrt(2 * reps) + 0.02
    for k in b_indices:
        boot = float(np.std(draws[k], ddof=1))
        se = calls[k][1]().se
        assert abs(boot / se - 1) < tolerance, (k, boot, se)


def test_se_is_zero_for_equal_values_and_none_on_request():
    y = np.full(10, 3.0)
    for f in (jamlik.theil, jamlik.mld, jamlik.hoover, jamlik.palma):
        e = f(y)
        assert e.value == pytest.approx(0.25 if f is jamlik.palma else 0.0, abs=1e-15)
        assert e.se == pytest.approx(0.0, abs=1e-15)
    e = jamlik.theil(DATA["h"], se="none")
    assert e.se is None and e.lower is None and e.upper is None
    assert e.note is not None and "no SE" in e.note
